import { appRouter, createContext, type AppErrorData, type CookieJar } from '@medora/api';
import { reportError, type Services } from '@medora/core';
import type { TRPCError } from '@trpc/server';
import { nodeHTTPRequestHandler } from '@trpc/server/adapters/node-http';
import type { TRPCResponse } from '@trpc/server/rpc';
import type { Middleware, ParameterizedContext } from 'koa';
import { refuse } from '../middleware/errors';
import { TRPC_METHODS } from '../middleware/methods';
import type { AppState } from '../state';
import { directProcedure, serveDirectCall } from './trpc-call';

export const TRPC_PREFIX = '/trpc';
const MAX_BODY_BYTES = 1024 * 1024;

type Ctx = ParameterizedContext<AppState>;

/**
 * Koa's cookie API behind the small jar the procedures use. Koa refuses to set a Secure cookie
 * on a request it does not consider secure; the procedures ask for Secure exactly when
 * COOKIE_SECURE is on, so honour that (the browser still gets a Secure cookie) and warn, since
 * it usually means TRUST_PROXY is missing behind a TLS proxy.
 */
function cookieJar(ctx: Ctx): CookieJar {
  return {
    get: (name) => ctx.cookies.get(name),
    set: (name, value, opts) => {
      if (opts.secure && !ctx.secure) {
        ctx.state.log.warn(
          'secure cookie on a plain-http request: set TRUST_PROXY=true behind a TLS proxy',
        );
        ctx.cookies.secure = true;
      }
      ctx.cookies.set(name, value, { ...opts, overwrite: true });
    },
  };
}

/** `type/subtype` of a Content-Type header, lower case, without parameters. */
const mediaType = (header: string): string => header.split(';', 1)[0]!.trim().toLowerCase();

/**
 * Mounts the tRPC router under /trpc: a single query or mutation is answered directly
 * (trpc-call.ts), anything else by tRPC's Node adapter; `fetchAdapterOnly` sends every call
 * through the adapter (the test that holds both paths to the same answers).
 */
export function trpcRoute(
  services: Services,
  opts: { fetchAdapterOnly?: boolean } = {},
): Middleware<AppState> {
  const fetchAdapterOnly = opts.fetchAdapterOnly ?? false;
  const procedures = new Set(Object.keys(appRouter._def.procedures));
  return async (ctx, next) => {
    if (!ctx.path.startsWith(`${TRPC_PREFIX}/`)) {
      await next();
      return;
    }
    const path = ctx.path.slice(TRPC_PREFIX.length + 1);
    // Metrics label: only known procedure names, so random paths cannot blow up cardinality.
    ctx.state.route = procedures.has(path) ? `${TRPC_PREFIX}/${path}` : `${TRPC_PREFIX}/unknown`;
    // Answers carry personal data: never store them in a browser or proxy cache.
    ctx.set('Cache-Control', 'no-store');
    // Only JSON, which a cross-site page cannot send without a CORS preflight. tRPC itself
    // would also take multipart/form-data and octet streams: the kinds an HTML form can post.
    if (ctx.method === 'POST' && mediaType(ctx.get('content-type')) !== 'application/json') {
      refuse(ctx, {
        status: 415,
        trpcCode: 'UNSUPPORTED_MEDIA_TYPE',
        appCode: 'VALIDATION_FAILED',
      });
      return;
    }
    // tRPC writes the response itself; Koa presets 404, which tRPC would otherwise inherit.
    ctx.respond = false;
    ctx.res.statusCode = 200;
    // Hanging up before the answer was written aborts the procedure's signal; what fails
    // because of it is the client's doing, not a fault of ours.
    let abandoned = false;
    const hangUp = new AbortController();
    const closed = new Promise<void>((resolve) =>
      ctx.res.once('close', () => {
        abandoned = !ctx.res.writableFinished;
        if (abandoned) hangUp.abort();
        resolve();
      }),
    );
    const handlers = {
      router: appRouter,
      // A refusal that says when to come back (login lock-out, limits) says it in the header
      // too, as HTTP clients and proxies expect; the body carries the same number.
      responseMeta: ({ data }: { data: TRPCResponse[] }) => {
        // tRPC writes its own Vary over the one the CORS policy set; an array is appended.
        const headers: Record<string, string | string[]> = { Vary: ['Origin'] };
        const waits = data.map((r) =>
          'error' in r ? ((r.error.data as AppErrorData).retryAfterSeconds ?? 0) : 0,
        );
        const retryAfter = Math.max(0, ...waits);
        if (retryAfter > 0) headers['Retry-After'] = String(Math.ceil(retryAfter));
        // A query sent as POST or a mutation as GET: a 405 says what would have worked.
        if (
          data.some(
            (r) =>
              'error' in r && (r.error.data as { code?: string }).code === 'METHOD_NOT_SUPPORTED',
          )
        )
          headers.Allow = TRPC_METHODS.join(', ');
        return { headers };
      },
      createContext: () =>
        createContext(services, {
          ip: ctx.ip || null,
          userAgent: ctx.get('user-agent') || null,
          requestId: ctx.state.requestId,
          authorization: ctx.get('authorization') || null,
          verifiedToken: ctx.state.verifiedToken,
          cookies: cookieJar(ctx),
        }),
      onError: ({ error, path: procedure }: { error: TRPCError; path?: string }) => {
        if (abandoned) return;
        if (error.code === 'INTERNAL_SERVER_ERROR') {
          ctx.state.log.error({ err: error.cause ?? error, procedure }, 'procedure failed');
          // The procedure's name, never its input.
          reportError(error.cause ?? error, {
            requestId: ctx.state.requestId,
            procedure: procedure ?? 'unknown',
            route: ctx.state.route,
          });
        }
        // Only the code, a short fixed word: messages may quote the input.
        else ctx.state.refusal = { reason: error.code };
      },
    };
    const search = new URLSearchParams(ctx.querystring);
    const direct = fetchAdapterOnly ? undefined : directProcedure(appRouter, ctx.req, path, search);
    const handled = direct
      ? serveDirectCall(
          { ...handlers, maxBodySize: MAX_BODY_BYTES },
          { req: ctx.req, res: ctx.res, path, search, procedure: direct, signal: hangUp.signal },
        )
      : nodeHTTPRequestHandler({
          ...handlers,
          req: ctx.req,
          res: ctx.res,
          path,
          maxBodySize: MAX_BODY_BYTES,
          // One HTTP request, one call: a batch would carry hundreds of sign-in attempts (and
          // argon2 hashes) past the per-request limits. The web app uses the unbatched httpLink.
          allowBatching: false,
        });
    // Both resolve once the answer is written; a client that hangs up never finishes, so also
    // stop waiting on 'close' (otherwise the timing middleware would wait forever).
    await Promise.race([handled, closed]);
  };
}
