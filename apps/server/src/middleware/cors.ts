import type { Middleware } from 'koa';
import type { AppState } from '../state';
import { TRPC_METHODS } from './methods';
import { allowedOriginSet, normaliseOrigin } from './origin';

/** The API: tRPC and the plain HTTP routes under /api. Nothing else is offered cross-origin. */
const API_PATH = /^\/(trpc|api)(\/|$)/;
/** What the web client sends besides the CORS-safelisted headers. */
const ALLOWED_HEADERS = ['authorization', 'content-type'];
/** What a cross-origin caller may read besides the safelisted response headers. */
const EXPOSED_HEADERS = ['Content-Disposition', 'Retry-After'];
const PREFLIGHT_MAX_AGE_SECONDS = 600;
const CORS_METHODS: readonly string[] = TRPC_METHODS;

/** `Access-Control-Request-Headers` as lower-case names. */
const requestedHeaders = (header: string): string[] =>
  header
    .split(',')
    .map((h) => h.trim().toLowerCase())
    .filter(Boolean);

/**
 * CORS for the API. By default there is no allow-list, so no response ever carries
 * `Access-Control-Allow-Origin`: only the app's own pages can read answers (same-origin).
 * Origins in ALLOWED_ORIGINS — the same list the cross-site write check accepts — get their
 * preflights answered and may read answers, with credentials (the refresh cookie), for GET and
 * POST with the headers the web client sends. Any other preflight falls through to the method
 * guard, whose bare 204 grants nothing.
 */
export function corsPolicy(opts: { allowedOrigins: readonly string[] }): Middleware<AppState> {
  const allowed = allowedOriginSet(opts.allowedOrigins);
  return async (ctx, next) => {
    if (!API_PATH.test(ctx.path)) {
      await next();
      return;
    }
    // Answers differ by Origin (CORS headers here, refusals in the cross-site check): caches
    // must not hand one origin's answer to another.
    ctx.vary('Origin');
    const header = ctx.get('origin');
    const origin = header ? normaliseOrigin(header) : null;
    if (!origin || !allowed.has(origin)) {
      await next();
      return;
    }
    const method = ctx.get('access-control-request-method');
    if (ctx.method === 'OPTIONS' && method) {
      const headers = requestedHeaders(ctx.get('access-control-request-headers'));
      if (!CORS_METHODS.includes(method) || !headers.every((h) => ALLOWED_HEADERS.includes(h))) {
        await next();
        return;
      }
      ctx.set('Access-Control-Allow-Origin', origin);
      ctx.set('Access-Control-Allow-Credentials', 'true');
      ctx.set('Access-Control-Allow-Methods', CORS_METHODS.join(', '));
      ctx.set('Access-Control-Allow-Headers', ALLOWED_HEADERS.join(', '));
      ctx.set('Access-Control-Max-Age', String(PREFLIGHT_MAX_AGE_SECONDS));
      ctx.status = 204;
      return;
    }
    ctx.set('Access-Control-Allow-Origin', origin);
    ctx.set('Access-Control-Allow-Credentials', 'true');
    ctx.set('Access-Control-Expose-Headers', EXPOSED_HEADERS.join(', '));
    await next();
  };
}
