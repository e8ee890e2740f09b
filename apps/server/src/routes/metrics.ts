import { timingSafeEqual } from 'node:crypto';
import { bearerToken } from '@medora/core';
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

/** Constant time for equal lengths; a length mismatch answers at once (the length is no secret). */
function sameSecret(given: string, expected: string): boolean {
  const x = Buffer.from(given);
  const y = Buffer.from(expected);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Who may scrape: holders of METRICS_TOKEN, anyone (outside production without a token), or
 * nobody (production without a token: process and traffic figures are not for the public).
 */
export type MetricsAccess = { token: string } | 'open' | 'disabled';

/** Prometheus scrape endpoint, guarded as `access` says. */
export function metricsRoute(metrics: Metrics, access: MetricsAccess): Middleware<AppState> {
  return async (ctx) => {
    ctx.state.route = '/metrics';
    ctx.set('Cache-Control', 'no-store');
    // As if there were no such route, so a scan learns nothing.
    if (access === 'disabled') ctx.throw(404);
    if (typeof access === 'object') {
      const given = bearerToken(ctx.get('authorization'));
      if (!given || !sameSecret(given, access.token)) ctx.throw(401);
    }
    ctx.type = metrics.registry.contentType;
    ctx.body = await metrics.registry.metrics();
  };
}
