#!/usr/bin/env bash
# MDN HTTP Observatory against the production build served over local TLS.
#
# Builds the web app, starts the server in production behind tls-proxy.mjs (https on
# localhost:443, plain http on :80, self-signed certificate from a throwaway local CA), installs
# @mdn/mdn-http-observatory with --ignore-scripts into a temp dir, scans `localhost` trusting
# that CA, and writes the JSON to results/<date>-observatory.json. The Observatory only scans
# the standard ports, so this needs root (or CAP_NET_BIND_SERVICE) and free ports 80/443 on
# 127.0.0.1. Not part of CI.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
HERE="$REPO_ROOT/tooling/security"
OBSERVATORY_VERSION="${OBSERVATORY_VERSION:-latest}"
OUT="$HERE/results/$(date -u +%F)-observatory.json"

echo "== building the web app"
(cd "$REPO_ROOT" && npm run build -w apps/web >"$WORK_DIR/build.log" 2>&1) || {
  cat "$WORK_DIR/build.log" >&2
  exit 1
}

echo "== certificate for localhost"
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj '/CN=Local scan CA' \
  -addext 'basicConstraints=critical,CA:TRUE' -addext 'keyUsage=critical,keyCertSign' \
  -keyout "$WORK_DIR/ca.key" -out "$WORK_DIR/ca.pem" 2>/dev/null
openssl req -newkey rsa:2048 -nodes -subj '/CN=localhost' \
  -keyout "$WORK_DIR/key.pem" -out "$WORK_DIR/req.csr" 2>/dev/null
printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n' >"$WORK_DIR/ext.cnf"
openssl x509 -req -in "$WORK_DIR/req.csr" -CA "$WORK_DIR/ca.pem" -CAkey "$WORK_DIR/ca.key" \
  -CAcreateserial -days 2 -extfile "$WORK_DIR/ext.cnf" -out "$WORK_DIR/cert.pem" 2>/dev/null

echo "== server (production, behind a trusted TLS proxy)"
start_app NODE_ENV=production TRUST_PROXY=true WEB_DIST_DIR="$REPO_ROOT/apps/web/dist"
node "$HERE/tls-proxy.mjs" "http://127.0.0.1:$APP_PORT" "$WORK_DIR/cert.pem" "$WORK_DIR/key.pem" \
  >"$WORK_DIR/proxy.log" 2>&1 &
EXTRA_PIDS+=($!)
for _ in $(seq 1 40); do
  curl -fsS --cacert "$WORK_DIR/ca.pem" https://localhost/health >/dev/null 2>&1 && break
  sleep 0.25
done
curl -fsS --cacert "$WORK_DIR/ca.pem" https://localhost/health >/dev/null

echo "== installing @mdn/mdn-http-observatory@$OBSERVATORY_VERSION (--ignore-scripts)"
mkdir -p "$WORK_DIR/observatory"
(cd "$WORK_DIR/observatory" && npm init -y >/dev/null &&
  npm install --ignore-scripts --no-audit --no-fund "@mdn/mdn-http-observatory@$OBSERVATORY_VERSION" \
    >"$WORK_DIR/npm.log" 2>&1) || {
  cat "$WORK_DIR/npm.log" >&2
  exit 1
}
PKG="$WORK_DIR/observatory/node_modules/@mdn/mdn-http-observatory"
echo "   version $(node -p "require('$PKG/package.json').version")"
# Its install script would download Chromium's HSTS preload list; localhost is on no such list,
# so an empty one gives the same verdict without the download.
[ -f "$PKG/conf/hsts-preload.json" ] || echo '{}' >"$PKG/conf/hsts-preload.json"

echo "== scanning https://localhost"
# The package's bin wrapper replaces NODE_EXTRA_CA_CERTS with its own bundle: run the CLI
# script itself so the local CA is trusted.
NODE_EXTRA_CA_CERTS="$WORK_DIR/ca.pem" node "$PKG/src/scan.js" localhost >"$WORK_DIR/scan.json" || {
  cat "$WORK_DIR/scan.json" >&2
  exit 1
}
mkdir -p "$(dirname "$OUT")"
cp "$WORK_DIR/scan.json" "$OUT"
node -e '
  const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  if (r.error) { console.error("scan failed:", r.error); process.exit(1); }
  console.log(`grade ${r.scan.grade}, score ${r.scan.score}, ${r.scan.testsPassed}/${r.scan.testsQuantity} tests passed`);
  for (const [name, t] of Object.entries(r.tests))
    console.log(`  ${t.pass ? "pass" : "FAIL"} ${String(t.scoreModifier).padStart(4)} ${name}: ${t.result}`);
' "$OUT"
echo "== written $OUT"
