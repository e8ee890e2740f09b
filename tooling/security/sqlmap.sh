#!/usr/bin/env bash
# sqlmap (the Debian package) against the tRPC endpoints of a running server.
#
# Starts the server in production mode (plain http on 127.0.0.1, limits raised so the scan is
# not throttled), registers a doctor with one patient, and runs sqlmap with the doctor's bearer
# token against query inputs in the URL (patient.list search, patient.get id) and mutation
# inputs in the JSON body (auth.login phone, patient.create fields). Payloads are
# JSON-escaped (sqlmap_tamper/json_string.py) so they reach the procedures intact. Bounded:
# --level 3 --risk 2, PostgreSQL payloads only. Writes a summary to
# results/<date>-sqlmap.log. Installs sqlmap with apt-get when it is missing. Not part of CI.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
HERE="$REPO_ROOT/tooling/security"
OUT="$HERE/results/$(date -u +%F)-sqlmap.log"
# sqlmap's own console output per target, for reading; not committed.
RAW_DIR="${SQLMAP_RAW_DIR:-$WORK_DIR/raw}"
LEVEL="${SQLMAP_LEVEL:-3}"
RISK="${SQLMAP_RISK:-2}"

command -v sqlmap >/dev/null || apt-get install -y sqlmap >/dev/null

echo "== server"
start_app NODE_ENV=production ACCESS_TOKEN_TTL_SECONDS=3600 \
  RATE_LIMIT_IP_PER_MINUTE=1000000 RATE_LIMIT_ANON_PER_HOUR=1000000 \
  RATE_LIMIT_USER_PER_HOUR=1000000 LOGIN_MAX_FAILURES=100 LOGIN_IP_MAX_FAILURES=10000 \
  REGISTRATION_IP_PER_HOUR=1000000 REGISTRATION_NETWORK_PER_HOUR=1000000
BASE="http://127.0.0.1:$APP_PORT/trpc"

echo "== seeding a doctor and a patient"
PHONE="+99890$(shuf -i 1000000-9999999 -n 1)"
TOKEN="$(trpc_post auth.register "{\"phone\":\"$PHONE\",\"name\":\"Scan Doctor\",\"password\":\"correct-horse-battery\"}" |
  node -pe 'JSON.parse(require("fs").readFileSync(0, "utf8")).result.data.json.accessToken')"
PATIENT_ID="$(trpc_post patient.create '{"firstName":"Ali","lastName":"Valiyev","sex":"male","ageYears":40}' "$TOKEN" |
  node -pe 'JSON.parse(require("fs").readFileSync(0, "utf8")).result.data.json.id')"
echo "   doctor $PHONE, patient $PATIENT_ID"

enc() { node -p 'encodeURIComponent(process.argv[1]).replace(/\*/g, "*")' "$1"; }

run_sqlmap() {
  local name="$1"
  shift
  echo "== sqlmap: $name"
  sqlmap --batch --flush-session --disable-coloring --level "$LEVEL" --risk "$RISK" \
    --dbms=PostgreSQL --threads 4 --timeout 15 --retries 1 --time-sec 3 \
    --output-dir "$WORK_DIR/sqlmap" -H "Authorization: Bearer $TOKEN" \
    --tamper="$HERE/sqlmap_tamper/json_string.py" "$@" \
    >"$WORK_DIR/$name.log" 2>&1 || true
  # What sqlmap concluded, one line each: injectable or not, and any critical error.
  {
    echo "   [$name] $(grep -c "\[INFO\] testing '" "$WORK_DIR/$name.log" || true) techniques tried"
    grep -E "is vulnerable|injectable|appears to be|might be|CRITICAL|all tested parameters" \
      "$WORK_DIR/$name.log" | sed -E "s/^/   [$name] /; s/ Try to increase.*//" || true
  } | tee -a "$WORK_DIR/summary.log"
  cp "$WORK_DIR/$name.log" "$RAW_DIR/$name.log"
}

: >"$WORK_DIR/summary.log"
mkdir -p "$RAW_DIR"
START="$(date -u +%FT%TZ)"
run_sqlmap patient.list -u "$BASE/patient.list?input=$(enc '{"json":{"search":"Ali*"}}')"
run_sqlmap patient.get -u "$BASE/patient.get?input=$(enc "{\"json\":{\"id\":\"$PATIENT_ID*\"}}")"
run_sqlmap patient.create -u "$BASE/patient.create" -H 'Content-Type: application/json' \
  --data '{"json":{"firstName":"Ali","lastName":"Valiyev","sex":"male","ageYears":40}}'
# Last: every successful sign-in opens a session, and the session cap then ends the oldest,
# the one whose token the other targets use. The phone only: every password payload is a failed
# sign-in, so the lock-out (429 after LOGIN_MAX_FAILURES) would answer most of them, and the
# password only ever meets argon2, never SQL.
run_sqlmap auth.login -u "$BASE/auth.login" -H 'Content-Type: application/json' \
  --ignore-code=401 --data "{\"json\":{\"phone\":\"$PHONE*\",\"password\":\"correct-horse-battery\"}}"
END="$(date -u +%FT%TZ)"

mkdir -p "$(dirname "$OUT")"
{
  echo "sqlmap $(dpkg-query -W -f='${Version}' sqlmap 2>/dev/null || echo unknown) (Debian), --level $LEVEL --risk $RISK --dbms=PostgreSQL, JSON-escaping tamper"
  echo "from $START to $END against $BASE"
  cat "$WORK_DIR/summary.log"
  echo "server errors logged during the scan: $(grep -c '"level":50' "$WORK_DIR/app.log" || true)"
} >"$OUT"
echo "== written $OUT"
if grep -qE "is vulnerable|parameter '.*' is '.*' injectable" "$WORK_DIR/summary.log"; then
  echo "sqlmap reports an injection" >&2
  exit 1
fi
# A target sqlmap could not test proves nothing: say so rather than pass.
if grep -vE "heavily dynamic" "$WORK_DIR/summary.log" | grep -qE "CRITICAL| 0 techniques tried"; then
  echo "sqlmap could not test every target: see the summary" >&2
  exit 1
fi
