import type { AppErrorCode } from '@medora/schema';
import type { Middleware } from 'koa';
import type { AppState } from '../state';

// Expected HTTP failures keep their status with a generic, translatable code.
const CODE_BY_STATUS: Partial<Record<number, AppErrorCode>> = {
  400: 'VALIDATION_FAILED',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'VALIDATION_FAILED',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'VALIDATION_FAILED',
  429: 'RATE_LIMITED',
};

function httpStatusOf(err: unknown): number {
  if (typeof err === 'object' && err !== null) {
    const { status, expose } = err as { status?: unknown; expose?: unknown };
    // Only errors raised on purpose (ctx.throw / http-errors) carry a trustworthy 4xx.
    if (typeof status === 'number' && status >= 400 && status < 500 && expose === true)
      return status;
  }
  return 500;
}

export function errorBody(code: AppErrorCode, requestId: string) {
  return { error: { code, requestId } };
}

/**
 * Answers every failure with a small JSON body: a stable code and the request id to quote to
 * support. Stacks and messages stay in the log, never in the response.
 */
export function errorHandler(): Middleware<AppState> {
  return async (ctx, next) => {
    try {
      await next();
      if (ctx.status === 404 && ctx.body == null && ctx.respond !== false) {
        ctx.status = 404;
        ctx.body = errorBody('NOT_FOUND', ctx.state.requestId);
      }
    } catch (err) {
      const status = httpStatusOf(err);
      if (status >= 500)
        ctx.state.log.error({ err, method: ctx.method, path: ctx.path }, 'request failed');
      else ctx.state.log.debug({ status, path: ctx.path }, 'request refused');
      // tRPC already owns the response, or bytes are on the wire: nothing more can be said.
      if (ctx.respond === false || ctx.headerSent) return;
      ctx.status = status;
      ctx.body = errorBody(CODE_BY_STATUS[status] ?? 'INTERNAL', ctx.state.requestId);
      const headers = (err as { headers?: Record<string, string> }).headers;
      if (status === 429 && headers?.['Retry-After'])
        ctx.set('Retry-After', headers['Retry-After']);
    }
  };
}
