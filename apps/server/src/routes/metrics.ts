import { timingSafeEqual } from 'node:crypto';
import type { Middleware } from 'koa';
import { collectDefaultMetrics, Histogram, Registry } from 'prom-client';
import type { AppState } from '../state';

export interface Metrics {
  registry: Registry;
  observeRequest: (
    labels: { method: string; route: string; status: number },
    seconds: number,
  ) => void;
}

/** One registry per app instance, so tests that build several apps do not collide. */
export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration by method, route and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  return {
    registry,
    observeRequest: (labels, seconds) =>
      duration.observe({ ...labels, status: String(labels.status) }, seconds),
  };
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Prometheus scrape endpoint; guarded by a bearer token when METRICS_TOKEN is set. */
export function metricsRoute(metrics: Metrics, token: string | undefined): Middleware<AppState> {
  return async (ctx) => {
    ctx.state.route = '/metrics';
    if (token) {
      const given = /^Bearer\s+(\S+)$/i.exec(ctx.get('authorization'))?.[1] ?? '';
      if (!sameSecret(given, token)) ctx.throw(401);
    }
    ctx.set('Cache-Control', 'no-store');
    ctx.type = metrics.registry.contentType;
    ctx.body = await metrics.registry.metrics();
  };
}
