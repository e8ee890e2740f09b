import { appRouter, createContext, type CookieJar } from '@medora/api';
import { reportError, type Services } from '@medora/core';
import { nodeHTTPRequestHandler } from '@trpc/server/adapters/node-http';
import type { Middleware, ParameterizedContext } from 'koa';
import { refuse } from '../middleware/errors';
import { TRPC_METHODS } from '../middleware/methods';
import type { AppState } from '../state';

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

/** Mounts the tRPC router under /trpc, handing the raw Node request to tRPC's adapter. */
export function trpcRoute(services: Services): Middleware<AppState> {
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
    // Hanging up before the answer was written aborts the procedure's signal (the adapter does
    // that); what fails because of it is the client's doing, not a fault of ours.
    let abandoned = false;
    const closed = new Promise<void>((resolve) =>
      ctx.res.once('close', () => {
        abandoned = !ctx.res.writableFinished;
        resolve();
      }),
    );
    const handled = nodeHTTPRequestHandler({
      router: appRouter,
      req: ctx.req,
      res: ctx.res,
      path,
      maxBodySize: MAX_BODY_BYTES,
      // One HTTP request, one call: a batch would carry hundreds of sign-in attempts (and
      // argon2 hashes) past the per-request limits. The web app uses the unbatched httpLink.
      allowBatching: false,
      // A refusal that says when to come back (login lock-out, limits) says it in the header
      // too, as HTTP clients and proxies expect; the body carries the same number.
      responseMeta: ({ data }) => {
        // tRPC writes its own Vary over the one the CORS policy set; an array is appended.
        const headers: Record<string, string | string[]> = { Vary: ['Origin'] };
        const waits = data.map((r) => ('error' in r ? (r.error.data.retryAfterSeconds ?? 0) : 0));
        const retryAfter = Math.max(0, ...waits);
        if (retryAfter > 0) headers['Retry-After'] = String(Math.ceil(retryAfter));
        // A query sent as POST or a mutation as GET: a 405 says what would have worked.
        if (data.some((r) => 'error' in r && r.error.data.code === 'METHOD_NOT_SUPPORTED'))
          headers.Allow = TRPC_METHODS.join(', ');
        return { headers };
      },
      createContext: () =>
        createContext(services, {
          ip: ctx.ip || null,
          userAgent: ctx.get('user-agent') || null,
          requestId: ctx.state.requestId,
          authorization: ctx.get('authorization') || null,
          cookies: cookieJar(ctx),
        }),
      onError: ({ error, path: procedure }) => {
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
    });
    // The adapter resolves on 'finish'; a client that hangs up never finishes, so also stop
    // waiting on 'close' (otherwise the timing middleware would wait forever).
    await Promise.race([handled, closed]);
  };
}
