import { randomUUID } from 'node:crypto';
import type { Logger } from '@medora/core';
import type { Middleware } from 'koa';
import type { AppState } from '../state';
import type { RefusalLog } from './refusal-log';

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
  refusals: RefusalLog;
}

// A path is attacker-sized (up to the header limit); a log line keeps its start.
const MAX_LOGGED_PATH = 200;

/**
 * Measures every request for the metrics histogram and logs the slow ones (spec: > 1 s). The
 * clock runs from the moment the request reaches the app until its response is fully written
 * (or the connection closed): Koa writes most bodies after the middleware returned, and a client
 * that reads slowly waited for all of it. Refusals (4xx) and abandoned requests go through the
 * refusal log, so a flood of them writes a bounded amount of log.
 */
export function timing(opts: TimingOptions): Middleware<AppState> {
  return async (ctx, next) => {
    const started = process.hrtime.bigint();
    const { res } = ctx;
    let done = false;
    const finished = () => {
      if (done) return;
      done = true;
      res.off('finish', finished);
      res.off('close', finished);
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const route = ctx.state.route ?? 'unmatched';
      const status = ctx.status;
      // 'close' before the last byte was handed to the socket: the client hung up.
      const abandoned = !res.writableFinished;
      opts.observe({ method: ctx.method, route, status }, ms / 1000);
      const path = ctx.path.slice(0, MAX_LOGGED_PATH);
      const fields = { method: ctx.method, route, path, status, ms: Math.round(ms) };
      // An event stream stays open by design (live analysis status): its length is no slowness.
      const stream = String(res.getHeader('content-type') ?? '').startsWith('text/event-stream');
      if (stream) ctx.state.log.debug({ ...fields, abandoned }, 'event stream closed');
      else if (ms > opts.slowRequestMs)
        ctx.state.log.warn({ ...fields, abandoned }, 'slow request');
      else if (abandoned)
        opts.refusals.record(
          ctx.state.log,
          { status, method: ctx.method, route, reason: 'client closed the connection' },
          { path, ms: fields.ms },
          { message: 'request abandoned by the client' },
        );
      else if (status >= 400 && status < 500)
        opts.refusals.record(
          ctx.state.log,
          { status, method: ctx.method, route, reason: ctx.state.refusal?.reason },
          { path, ms: fields.ms, ...ctx.state.refusal?.fields },
          { level: ctx.state.refusal?.level },
        );
      else ctx.state.log.debug(fields, 'request');
    };
    res.once('finish', finished);
    res.once('close', finished);
    await next();
  };
}
