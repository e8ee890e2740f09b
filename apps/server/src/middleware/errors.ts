import { AppError, isServiceUnavailable, reportError, type ErrorKind } from '@medora/core';
import type { AppErrorCode, FieldErrors } from '@medora/schema';
import { TRPC_ERROR_CODES_BY_KEY, type TRPC_ERROR_CODE_KEY } from '@trpc/server/rpc';
import type { Middleware, ParameterizedContext } from 'koa';
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
  503: 'SERVICE_UNAVAILABLE',
};

/** HTTP statuses of the domain's error kinds (tRPC maps the same kinds the same way). */
const STATUS_BY_KIND: Record<ErrorKind, number> = {
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  TOO_MANY_REQUESTS: 429,
  INTERNAL_SERVER_ERROR: 500,
  SERVICE_UNAVAILABLE: 503,
};

function httpStatusOf(err: unknown): number {
  if (err instanceof AppError) return STATUS_BY_KIND[err.kind];
  if (typeof err === 'object' && err !== null) {
    const { status, expose } = err as { status?: unknown; expose?: unknown };
    // Only errors raised on purpose (ctx.throw / http-errors) carry a trustworthy 4xx.
    if (typeof status === 'number' && status >= 400 && status < 500 && expose === true)
      return status;
  }
  // The database is away (restarting, failing over): an outage the client may retry, not a bug.
  if (isServiceUnavailable(err)) return 503;
  return 500;
}

export function errorBody(code: AppErrorCode, requestId: string, fieldErrors?: FieldErrors) {
  return { error: { code, requestId, ...(fieldErrors && { fieldErrors }) } };
}

const TRPC_PATH = /^\/trpc(\/|$)/;

export interface Refusal {
  /** The request path: under /trpc the body also carries the tRPC client's error shape. */
  path: string;
  status: number;
  trpcCode: TRPC_ERROR_CODE_KEY;
  appCode: AppErrorCode;
  requestId: string;
  retryAfterSeconds?: number;
}

/**
 * The body of a request refused before tRPC runs (rate limits, methods, origins, media types).
 * Plain clients read `error.code`; the tRPC client (superjson) decodes `error.json`, which is
 * what the API's error formatter would have produced, so the web app shows its usual translated
 * message instead of a generic failure.
 */
export function refusalBody(r: Refusal) {
  const retryAfterSeconds = r.retryAfterSeconds ?? null;
  const error: Record<string, unknown> = {
    code: r.appCode,
    requestId: r.requestId,
    ...(retryAfterSeconds === null ? {} : { retryAfterSeconds }),
  };
  if (TRPC_PATH.test(r.path)) {
    error.json = {
      message: r.appCode,
      code: TRPC_ERROR_CODES_BY_KEY[r.trpcCode],
      data: {
        code: r.trpcCode,
        httpStatus: r.status,
        appCode: r.appCode,
        fieldErrors: null,
        retryAfterSeconds,
        attemptsRemaining: null,
      },
    };
  }
  return { error };
}

/** Ends the request with a refusal: its status and the body `refusalBody` gives it. */
export function refuse(
  ctx: ParameterizedContext<AppState>,
  r: Omit<Refusal, 'path' | 'requestId'>,
): void {
  ctx.status = r.status;
  ctx.body = refusalBody({ ...r, path: ctx.path, requestId: ctx.state.requestId });
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
      // A refusal is the client's doing: the timing middleware logs it (sampled, at info, no
      // stack). Only a fault of ours is an error, with its stack.
      if (status >= 500) {
        ctx.state.log.error({ err, method: ctx.method, path: ctx.path }, 'request failed');
        // The database being away is an outage the health checks show, not a bug to file once
        // per request. Tags name the route pattern, never the path (it may carry ids or names).
        if (!isServiceUnavailable(err))
          reportError(err, {
            requestId: ctx.state.requestId,
            method: ctx.method,
            route: ctx.state.route ?? (ctx as { _matchedRoute?: string })._matchedRoute,
            status,
          });
      }
      // tRPC already owns the response, or bytes are on the wire: nothing more can be said.
      if (ctx.respond === false || ctx.headerSent) return;
      ctx.status = status;
      ctx.body =
        err instanceof AppError && (status < 500 || err.kind === 'SERVICE_UNAVAILABLE')
          ? errorBody(err.code, ctx.state.requestId, err.details.fieldErrors)
          : errorBody(CODE_BY_STATUS[status] ?? 'INTERNAL', ctx.state.requestId);
      if (err instanceof AppError && err.details.retryAfterSeconds)
        ctx.set('Retry-After', String(err.details.retryAfterSeconds));
      const headers = (err as { headers?: Record<string, string> }).headers;
      if (status === 429 && headers?.['Retry-After'])
        ctx.set('Retry-After', headers['Retry-After']);
    }
  };
}
