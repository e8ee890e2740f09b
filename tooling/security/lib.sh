# Shared by the scanner scripts: starts the real server on a throwaway database and cleans up.
# Needs PostgreSQL (ADMIN_DATABASE_URL, default the local trust login) and Node with the repo's
# dependencies installed. Source it; call start_app with extra VAR=value settings.

set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
ADMIN_DATABASE_URL="${ADMIN_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
WORK_DIR="$(mktemp -d "${TMPDIR:-/tmp}/medora-scan-XXXXXX")"
SCAN_DB="medora_scan_$(od -An -N4 -tx4 /dev/urandom | tr -d ' ')"
APP_PID=""
APP_PORT=""
EXTRA_PIDS=()

cleanup() {
  for pid in "${EXTRA_PIDS[@]}" $APP_PID; do
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  psql "$ADMIN_DATABASE_URL" -q -c "drop database if exists $SCAN_DB with (force)" >/dev/null 2>&1 || true
  rm -rf "$WORK_DIR"
}
trap cleanup EXIT

free_port() {
  node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

# start_app [VAR=value ...]: the server on 127.0.0.1:$APP_PORT, its log in $WORK_DIR/app.log.
start_app() {
  psql "$ADMIN_DATABASE_URL" -q -c "create database $SCAN_DB" >/dev/null
  local db_url="${ADMIN_DATABASE_URL%/*}/$SCAN_DB"
  APP_PORT="$(free_port)"
  mkdir -p "$WORK_DIR/data"
  (
    cd "$REPO_ROOT"
    env -i PATH="$PATH" HOME="$HOME" \
      HOST=127.0.0.1 PORT="$APP_PORT" DATABASE_URL="$db_url" DATA_DIR="$WORK_DIR/data" \
      TOKEN_SECRET="$(od -An -N32 -tx1 /dev/urandom | tr -d ' \n')" LOG_LEVEL=warn "$@" \
      node --import tsx apps/server/src/main.ts >"$WORK_DIR/app.log" 2>&1
  ) &
  APP_PID=$!
  for _ in $(seq 1 120); do
    if curl -fsS "http://127.0.0.1:$APP_PORT/health" >/dev/null 2>&1; then return 0; fi
    sleep 0.5
  done
  echo "server did not start:" >&2
  cat "$WORK_DIR/app.log" >&2
  return 1
}

# trpc_post PROCEDURE JSON [TOKEN]: the answer's body.
trpc_post() {
  curl -fsS -X POST "http://127.0.0.1:$APP_PORT/trpc/$1" -H 'content-type: application/json' \
    ${3:+-H "authorization: Bearer $3"} --data "{\"json\":$2}"
}
