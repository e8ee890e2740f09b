// A TLS-terminating reverse proxy for local scans, as a production deployment puts in front of
// the server: https on 443 and plain http on 80 of HOST, forwarded to TARGET with the
// X-Forwarded-Proto and X-Forwarded-For a trusted proxy sets. Usage:
//   node tls-proxy.mjs http://127.0.0.1:PORT cert.pem key.pem [host]
import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';

const [target, certFile, keyFile, host = '127.0.0.1'] = process.argv.slice(2);
if (!target || !certFile || !keyFile) {
  console.error('usage: node tls-proxy.mjs TARGET CERT KEY [HOST]');
  process.exit(2);
}

const forward = (proto) => (req, res) => {
  const upstream = http.request(new URL(req.url, target), {
    method: req.method,
    headers: {
      ...req.headers,
      'x-forwarded-proto': proto,
      'x-forwarded-for': req.socket.remoteAddress ?? '',
    },
  });
  upstream.on('response', (answer) => {
    res.writeHead(answer.statusCode ?? 502, answer.rawHeaders);
    answer.pipe(res);
  });
  upstream.on('error', () => {
    res.writeHead(502);
    res.end();
  });
  req.pipe(upstream);
};

const tls = https.createServer(
  { cert: readFileSync(certFile), key: readFileSync(keyFile) },
  forward('https'),
);
const plain = http.createServer(forward('http'));
await Promise.all([
  new Promise((resolve) => tls.listen(443, host, resolve)),
  new Promise((resolve) => plain.listen(80, host, resolve)),
]);
console.error(`proxy: https://${host}:443 and http://${host}:80 -> ${target}`);
