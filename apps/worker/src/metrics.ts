import { timingSafeEqual } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { Logger } from '@medora/core';
import type { Registry } from 'prom-client';

/** Who may scrape: the server's rule (METRICS_TOKEN bearer; open outside production without). */
export type WorkerMetricsAccess = { token: string } | 'open';

function sameSecret(given: string, expected: string): boolean {
  const x = Buffer.from(given);
  const y = Buffer.from(expected);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * `GET /metrics` on its own port: the worker has no HTTP server, and the server's /metrics cannot
 * see this process's counters. Anything else answers 404.
 */
export async function serveMetrics(
  registry: Registry,
  opts: { port: number; host?: string; access: WorkerMetricsAccess; logger: Logger },
): Promise<Server> {
  const server = createServer((req, res) => {
    void (async () => {
      if (req.method !== 'GET' || req.url?.split('?')[0] !== '/metrics') {
        res.writeHead(404).end();
        return;
      }
      if (typeof opts.access === 'object') {
        const match = /^Bearer (.+)$/.exec(req.headers.authorization ?? '');
        if (!match?.[1] || !sameSecret(match[1], opts.access.token)) {
          res.writeHead(401).end();
          return;
        }
      }
      const body = await registry.metrics();
      res.writeHead(200, { 'content-type': registry.contentType, 'cache-control': 'no-store' });
      res.end(body);
    })().catch((err: unknown) => {
      opts.logger.warn({ err }, 'metrics scrape failed');
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  server.listen(opts.port, opts.host);
  await once(server, 'listening');
  return server;
}
