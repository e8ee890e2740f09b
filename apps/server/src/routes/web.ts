import { existsSync, readdirSync } from 'node:fs';
import type { Stats } from 'node:fs';
import path from 'node:path';
import type { Middleware, ParameterizedContext } from 'koa';
import send from 'koa-send';
import { defaultLocale, localeCookie, localeSchema } from '@medora/schema';
import type { AppState } from '../state';

const YEAR_MS = 365 * 24 * 3600 * 1000;
/** Paths the web app never answers: they belong to the API and to monitors. */
const NOT_WEB = /^\/(trpc|api|health|metrics)(\/|$)/;
/** Vite's content-hashed output: a name here never changes content. */
const HASHED = /^\/assets(\/|$)/;
/** Source maps, also pre-compressed ones: the full TypeScript source of the app. */
const SOURCE_MAP = /\.map(\.(gz|br))?$/i;
/**
 * The build's precompressed twins (`x.js.br`, `x.js.gz`) are sent in place of `x.js` with
 * `Content-Encoding`; asked for by name they would arrive as opaque archives, so they are not.
 */
const COMPRESSED_TWIN = /\.(br|gz)$/i;
const HTML_TYPES = new Set(['text/html', 'application/xhtml+xml']);
/**
 * Pages the web build drew in every language (apps/web/plugins/prerender.ts):
 * `prerendered/login.ru.html` answers a page load of `/login` for a browser whose locale cookie
 * says `ru`, and `…uz.html` one without.
 */
const PRERENDER_DIR = 'prerendered';
const PRERENDERED_FILE = /^([a-z][a-z-]*)\.([a-z]+)\.html$/;

type Ctx = ParameterizedContext<AppState>;

/**
 * A weak validator from what koa-send already knows: a rebuilt file changes size or mtime. The
 * stats are those of the file sent (the `.br` or `.gz` twin when compressed), and the encoding is
 * part of the tag, so a cache never revalidates its gzip copy against the brotli one.
 */
function etagOf(stats: Stats, encoding: string, variant = ''): string {
  const tag = `${stats.size.toString(16)}-${Math.floor(stats.mtimeMs).toString(16)}`;
  return `W/"${tag}${variant ? `-${variant}` : ''}${encoding ? `-${encoding}` : ''}"`;
}

/**
 * Headers of every file answer. koa-send picks `x.br` or `x.gz` from Accept-Encoding and sets
 * Content-Encoding and the original's Content-Type, but not Vary: without it a shared cache
 * could hand the brotli body to a client that never asked for it. Range is not supported (a
 * Range request gets the whole file, 200), so no Accept-Ranges is announced.
 */
function fileHeaders(ctx: Ctx, stats: Stats, variant?: string): void {
  ctx.vary('Accept-Encoding');
  ctx.set('ETag', etagOf(stats, ctx.response.get('Content-Encoding'), variant));
}

/**
 * A revalidation whose copy is still current (If-None-Match / If-Modified-Since) gets a bodiless
 * 304; koa-send's file stream is closed when the response finishes.
 */
function answerConditional(ctx: Ctx): void {
  if (ctx.status === 200 && ctx.fresh) {
    ctx.status = 304;
    ctx.body = null;
  }
}

/** Which pages the build prerendered, and in which languages: `login` → {uz, ru, en}. */
function prerenderedPages(root: string): Map<string, Set<string>> {
  const pages = new Map<string, Set<string>>();
  let names: string[];
  try {
    names = readdirSync(path.join(root, PRERENDER_DIR));
  } catch {
    return pages;
  }
  for (const name of names) {
    const [, page, locale] = PRERENDERED_FILE.exec(name) ?? [];
    if (!page || !locale) continue;
    pages.set(page, (pages.get(page) ?? new Set()).add(locale));
  }
  return pages;
}

export function hasWebBuild(dir: string | undefined): dir is string {
  return Boolean(dir && existsSync(path.join(dir, 'index.html')));
}

function statusOf(err: unknown): number | undefined {
  const status = (err as { status?: unknown }).status;
  return typeof status === 'number' ? status : undefined;
}

/** The path as koa-send will resolve it (decoded once), or null when it cannot be decoded. */
function decodedPath(ctx: Ctx): string | null {
  try {
    return decodeURIComponent(ctx.path);
  } catch {
    return null;
  }
}

/**
 * A page load in the browser, as opposed to a script, image or fetch: fetch metadata says so
 * where browsers send it; otherwise only an Accept that names HTML itself (not just `*\/*`).
 */
function isNavigation(ctx: Ctx): boolean {
  const mode = ctx.get('sec-fetch-mode');
  if (mode) return mode === 'navigate';
  const accepted = ctx.accepts();
  return Array.isArray(accepted) && accepted.some((type) => HTML_TYPES.has(type));
}

/** An app route (`/patients/…`), not a file name: the last segment has no extension. */
const looksLikeAppRoute = (p: string): boolean => !p.slice(p.lastIndexOf('/') + 1).includes('.');

export interface WebRouteOptions {
  /** Production never serves source maps, even when a build left them in the folder. */
  isProduction: boolean;
}

/**
 * Serves the built web app. Vite puts content-hashed files under /assets, which may be cached
 * forever. Everything else is revalidated on each use (`no-cache`): index.html so a deploy is
 * picked up at once, the service worker script so the browser sees its updates, and the files
 * at the web root (favicon, manifest, icons). Only a navigation to an app route gets
 * index.html for the client router; any other unknown path is a 404, never HTML served as a
 * script, an icon or a manifest.
 */
export function webRoute(root: string, opts: WebRouteOptions): Middleware<AppState> {
  // Read once: a new build is a new deploy, and a restarted server.
  const prerendered = prerenderedPages(root);
  /** The prerendered file for this page load, or null: index.html then. */
  const prerenderedFor = (ctx: Ctx): { file: string; locale: string } | null => {
    const page = prerendered.get(ctx.path.slice(1));
    if (!page) return null;
    // The answer depends on the cookie, whichever file is sent.
    ctx.vary('Cookie');
    const wanted = localeSchema.safeParse(ctx.cookies.get(localeCookie));
    const locale = wanted.success ? wanted.data : defaultLocale;
    // A build without this language's page: the app draws it (never another language's).
    if (!page.has(locale)) return null;
    return { file: `${PRERENDER_DIR}/${ctx.path.slice(1)}.${locale}.html`, locale };
  };
  const sendIndex = async (ctx: Ctx) => {
    ctx.state.route = 'spa';
    const page = prerenderedFor(ctx);
    await send(ctx, page?.file ?? 'index.html', {
      root,
      setHeaders: (res, _path, stats) => {
        res.setHeader('Cache-Control', 'no-cache');
        fileHeaders(ctx, stats, page?.locale);
      },
    });
    answerConditional(ctx);
  };
  return async (ctx, next) => {
    const file = decodedPath(ctx);
    if (
      (ctx.method !== 'GET' && ctx.method !== 'HEAD') ||
      NOT_WEB.test(ctx.path) ||
      file === null ||
      COMPRESSED_TWIN.test(file) ||
      (opts.isProduction && SOURCE_MAP.test(file))
    ) {
      await next();
      return;
    }
    if (ctx.path === '/' || ctx.path === '/index.html') {
      await sendIndex(ctx);
      return;
    }
    const hashed = HASHED.test(ctx.path);
    try {
      const served = await send(ctx, ctx.path, {
        root,
        index: false,
        ...(hashed ? { maxage: YEAR_MS, immutable: true } : {}),
        setHeaders: (res, _path, stats) => {
          if (!hashed) res.setHeader('Cache-Control', 'no-cache');
          fileHeaders(ctx, stats);
        },
      });
      if (served) {
        ctx.state.route = hashed ? 'assets' : 'static';
        answerConditional(ctx);
        return;
      }
    } catch (err) {
      const status = statusOf(err);
      // Missing or refused (traversal, bad encoding) files fall through; real I/O errors do not.
      if (status === undefined || status >= 500) throw err;
    }
    if (hashed || !looksLikeAppRoute(file) || !isNavigation(ctx)) {
      await next();
      return;
    }
    await sendIndex(ctx);
  };
}
