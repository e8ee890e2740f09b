import { randomUUID } from 'node:crypto';
import type { Logger } from '@medora/core';
import type { Middleware } from 'koa';
import type { AppState } from '../state';

// An incoming id is kept so one request can be followed across a proxy and our logs, but only
// when it is short and plain: it lands in logs and response headers.
const SANE_REQUEST_ID = /^[A-Za-z0-9_-]{1,64}$/;

export function requestContext(logger: Logger): Middleware<AppState> {
  return async (ctx, next) => {
    const incoming = ctx.get('x-request-id');
    const requestId = SANE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
    ctx.state.requestId = requestId;
    ctx.state.log = logger.child({ requestId });
    ctx.set('X-Request-Id', requestId);
    await next();
  };
}

export interface TimingOptions {
  slowRequestMs: number;
  observe(labels: { method: string; route: string; status: number }, seconds: number): void;
}

/** Measures every request for the metrics histogram and logs the slow ones (spec: > 1 s). */
export function timing(opts: TimingOptions): Middleware<AppState> {
  return async (ctx, next) => {
    const started = process.hrtime.bigint();
    try {
      await next();
    } finally {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const route = ctx.state.route ?? 'unmatched';
      const status = ctx.status;
      opts.observe({ method: ctx.method, route, status }, ms / 1000);
      const fields = { method: ctx.method, route, path: ctx.path, status, ms: Math.round(ms) };
      if (ms > opts.slowRequestMs) ctx.state.log.warn(fields, 'slow request');
      else ctx.state.log.debug(fields, 'request');
    }
  };
}
