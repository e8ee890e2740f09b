/**
 * A switchable HTTP proxy in front of the test server, so a browser test can take "the server"
 * away while the browser's network stays up: `stop()` refuses connections (the server is down),
 * `badGateway()` answers 502 with an HTML page (a reverse proxy whose upstream is down), `up()`
 * forwards again. The Host header passes through unchanged, so the server sees its own origin.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SwitchableProxy {
  url: string;
  up(): Promise<void>;
  badGateway(): Promise<void>;
  stop(): Promise<void>;
  close(): Promise<void>;
}

export async function startProxy(target: string): Promise<SwitchableProxy> {
  const upstream = new URL(target);
  let mode: 'up' | 'bad-gateway' = 'up';
  const server = http.createServer((req, res) => {
    if (mode === 'bad-gateway') {
      res.writeHead(502, { 'content-type': 'text/html' });
      res.end('<html><body><h1>502 Bad Gateway</h1></body></html>');
      return;
    }
    const forward = http.request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forward.on('error', () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    req.pipe(forward);
  });

  const listen = (port: number) =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  const shut = () =>
    new Promise<void>((resolve) => {
      if (!server.listening) return resolve();
      server.close(() => resolve());
      // Kept-alive connections would otherwise still reach the server.
      server.closeAllConnections();
    });

  await listen(0);
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    async up() {
      mode = 'up';
      if (!server.listening) await listen(port);
    },
    async badGateway() {
      mode = 'bad-gateway';
      server.closeAllConnections();
      if (!server.listening) await listen(port);
    },
    stop: shut,
    close: shut,
  };
}
