import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Middleware } from 'koa';
import send from 'koa-send';
import type { AppState } from '../state';

const YEAR_MS = 365 * 24 * 3600 * 1000;
/** Paths the SPA fallback must never answer: they belong to the API and to monitors. */
const NOT_SPA = /^\/(trpc|api|health|metrics)(\/|$)/;

export function hasWebBuild(dir: string | undefined): dir is string {
  return Boolean(dir && existsSync(path.join(dir, 'index.html')));
}

function statusOf(err: unknown): number | undefined {
  const status = (err as { status?: unknown }).status;
  return typeof status === 'number' ? status : undefined;
}

/**
 * Serves the built web app. Vite puts content-hashed files under /assets, which may be cached
 * forever; index.html must be revalidated on each visit so a deploy is picked up at once. Any
 * other GET that wants HTML gets index.html and the client router takes over.
 */
export function webRoute(root: string): Middleware<AppState> {
  return async (ctx, next) => {
    if ((ctx.method !== 'GET' && ctx.method !== 'HEAD') || NOT_SPA.test(ctx.path)) {
      await next();
      return;
    }
    const hashed = ctx.path.startsWith('/assets/');
    if (ctx.path !== '/' && ctx.path !== '/index.html') {
      try {
        const served = await send(ctx, ctx.path, {
          root,
          index: false,
          maxage: hashed ? YEAR_MS : 0,
          immutable: hashed,
        });
        if (served) {
          ctx.state.route = hashed ? 'assets' : 'static';
          return;
        }
      } catch (err) {
        const status = statusOf(err);
        // Missing or refused (traversal, bad encoding) files fall through; real I/O errors do not.
        if (status === undefined || status >= 500) throw err;
      }
    }
    // A missing hashed asset is a 404, never HTML served as JavaScript.
    if (hashed || !ctx.accepts('html')) {
      await next();
      return;
    }
    ctx.state.route = 'spa';
    await send(ctx, 'index.html', {
      root,
      setHeaders: (res) => res.setHeader('Cache-Control', 'no-cache'),
    });
  };
}
