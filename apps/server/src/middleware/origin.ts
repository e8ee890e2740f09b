import type { Logger } from '@medora/core';
import type { Middleware, ParameterizedContext } from 'koa';
import type { AppState } from '../state';
import { refuse } from './errors';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** Where state changes live: tRPC mutations and the plain HTTP routes under /api. */
const GUARDED_PATH = /^\/(trpc|api)(\/|$)/;
/** `none` is a request the user started themselves (typed URL, bookmark), not another site. */
const OWN_FETCH_SITES = new Set(['same-origin', 'none']);

/** `scheme://host[:port]` as browsers write it (lower case, no default port), or null. */
export function normaliseOrigin(value: string): string | null {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.origin : null;
  } catch {
    return null;
  }
}

type Ctx = ParameterizedContext<AppState>;

/** ALLOWED_ORIGINS as normalised origins; entries that are not http(s) origins are ignored. */
export function allowedOriginSet(entries: readonly string[], logger?: Logger): Set<string> {
  const allowed = new Set<string>();
  for (const entry of entries) {
    const origin = normaliseOrigin(entry);
    if (origin) allowed.add(origin);
    else logger?.warn({ entry }, 'ALLOWED_ORIGINS: not an http(s) origin, ignored');
  }
  return allowed;
}

/**
 * The scheme and host as this server sees them: X-Forwarded-Proto and X-Forwarded-Host count
 * only under TRUST_PROXY. (Koa 3's `ctx.origin` is the Origin header itself, not this.)
 */
const ownOrigin = (ctx: Ctx): string | null => normaliseOrigin(`${ctx.protocol}://${ctx.host}`);

export type OriginVerdict = 'ok' | 'cross-origin' | 'cross-site';

/**
 * Browsers name the page behind every cross-origin request in `Origin` (and in `Sec-Fetch-Site`
 * where they send fetch metadata); neither can be forged by a page. A request with neither
 * header comes from outside a browser (curl, another server), which holds no victim's cookie.
 */
export function originVerdict(ctx: Ctx, allowed: ReadonlySet<string>): OriginVerdict {
  const origin = ctx.get('origin');
  if (origin) {
    const given = normaliseOrigin(origin);
    const own = ownOrigin(ctx);
    return given !== null && (given === own || allowed.has(given)) ? 'ok' : 'cross-origin';
  }
  const site = ctx.get('sec-fetch-site');
  return !site || OWN_FETCH_SITES.has(site) ? 'ok' : 'cross-site';
}

/**
 * Refuses state-changing requests sent by another site's page: an HTML form can POST
 * `multipart/form-data` or `text/plain` without a CORS preflight, so the SameSite cookie would
 * otherwise be the only defence of `auth.refresh`, `auth.logout` and every later mutation.
 * The refusal comes before the rate limits and the token check, so it costs next to nothing.
 */
export function sameOriginWrites(opts: {
  allowedOrigins: readonly string[];
  trustProxy: boolean;
  logger: Logger;
}): Middleware<AppState> {
  const allowed = allowedOriginSet(opts.allowedOrigins, opts.logger);
  return async (ctx, next) => {
    if (SAFE_METHODS.has(ctx.method) || !GUARDED_PATH.test(ctx.path)) {
      await next();
      return;
    }
    const verdict = originVerdict(ctx, allowed);
    if (verdict === 'ok') {
      await next();
      return;
    }
    const fields = {
      // Client-chosen text: only its start reaches the log.
      origin: ctx.get('origin').slice(0, 200) || null,
      secFetchSite: ctx.get('sec-fetch-site').slice(0, 40) || null,
      ownOrigin: ownOrigin(ctx),
    };
    // The one refusal an operator causes: the app's own pages over https, seen as plain http
    // because the TLS proxy in front is not trusted.
    const ownOverTls =
      !opts.trustProxy &&
      normaliseOrigin(ctx.get('origin')) === normaliseOrigin(`https://${ctx.host}`);
    ctx.state.refusal = ownOverTls
      ? {
          reason:
            'own https origin refused on a plain-http request: set TRUST_PROXY=true behind a TLS proxy',
          fields,
          level: 'warn',
        }
      : { reason: 'cross-site request refused', fields };
    refuse(ctx, { status: 403, trpcCode: 'FORBIDDEN', appCode: 'FORBIDDEN' });
  };
}
