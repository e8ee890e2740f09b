import type Router from '@koa/router';
import type { Middleware } from 'koa';
import type { AppState } from '../state';
import { refuse } from './errors';

/** Queries are GET, mutations POST; nothing else reaches tRPC's adapter. */
export const TRPC_METHODS = ['GET', 'POST'] as const;
/** The web app, health checks and metrics are read-only. */
export const READ_METHODS = ['GET', 'HEAD'] as const;

const TRPC_PATH = /^\/trpc(\/|$)/;
const API_PATH = /^\/api(\/|$)/;
const ORDER = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];
const byOrder = (a: string, b: string) => ORDER.indexOf(a) - ORDER.indexOf(b);

/**
 * The methods a path answers, or null when no route claims it (an unknown /api path: its 404
 * is decided further in). Routes on the router (health, metrics, extra routes) say for
 * themselves; /trpc and everything the web app serves have fixed sets.
 */
export function allowedMethodsFor(router: Router<AppState>, path: string): string[] | null {
  if (TRPC_PATH.test(path)) return [...TRPC_METHODS];
  const routed = new Set(
    router
      .match(path, 'GET')
      .path.flatMap((layer) => layer.methods)
      .filter((m) => m !== 'OPTIONS'),
  );
  if (routed.size > 0) return [...routed].sort(byOrder);
  return API_PATH.test(path) ? null : [...READ_METHODS];
}

/**
 * Answers methods a path does not support with 405 and `Allow` before any handler sees them:
 * tRPC's adapter would turn TRACE into a 500, and the router answers methods it does not know
 * (PROPFIND) with 501. OPTIONS answers 204 with `Allow` and no CORS headers, so it grants no
 * cross-origin access; HEAD is allowed only where GET is plain data (not on /trpc, where it
 * would run a query for nothing). None of this is a server fault, so nothing is logged above
 * debug.
 */
export function methodGuard(router: Router<AppState>): Middleware<AppState> {
  return async (ctx, next) => {
    const allowed = allowedMethodsFor(router, ctx.path);
    if (!allowed || allowed.includes(ctx.method)) {
      await next();
      return;
    }
    ctx.set('Allow', allowed.join(', '));
    if (ctx.method === 'OPTIONS') {
      ctx.status = 204;
      return;
    }
    ctx.state.refusal = { reason: 'method not allowed' };
    refuse(ctx, { status: 405, trpcCode: 'METHOD_NOT_SUPPORTED', appCode: 'VALIDATION_FAILED' });
  };
}
