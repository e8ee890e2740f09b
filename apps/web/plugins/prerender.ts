import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import react from '@vitejs/plugin-react';
import { build, type Plugin, type Rollup, type UserConfig } from 'vite';
import type { PrerenderedPage } from '../src/prerender';
import { LOCALES } from '../src/lib/locales';

/** The pages drawn at build time: public, the same for every visitor, the first a user sees. */
export const PRERENDERED = [
  { path: '/login', module: 'src/features/auth/login-page.tsx' },
  { path: '/register', module: 'src/features/auth/register-page.tsx' },
] as const;
/** Where the pages go in the build: `prerendered/login.ru.html`. The server looks there. */
export const PRERENDER_DIR = 'prerendered';

export interface PageParts extends PrerenderedPage {
  /** The page's own stylesheets (URL paths), which index.html does not link. */
  css: string[];
}

const escapeAttr = (value: string) =>
  value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

/**
 * Nothing in the drawn page may act before the app has taken over: a form sent by the browser
 * itself would put the password in the address, and a button would do nothing. Forms and
 * buttons are inert until the app replaces them; `aria-disabled` says so to test tools and
 * assistive technology. Links work: they load another page.
 */
function inertControls(body: string): string {
  return body.replace(/<(form|button)\b/g, '<$1 inert="" aria-disabled="true"');
}

/**
 * index.html with a prerendered page in `#root`. Its modulepreload links go: on this page the
 * boot script (plugins/boot.ts) asks for the code after the first paint, so the page's text is
 * drawn from the HTML and CSS alone.
 */
export function prerenderedHtml(indexHtml: string, page: PageParts): string {
  // The CSP (`script-src 'self'`) refuses inline scripts: the page must not need one.
  if (/<script\b/i.test(page.html)) throw new Error('a prerendered page holds a <script>');
  const root = /<div id="root">[\s\S]*?<\/div>\s*(?=<noscript>)/;
  if (!root.test(indexHtml)) throw new Error('index.html has no #root before its <noscript>');
  if (!/<title>[^<]*<\/title>/.test(indexHtml)) throw new Error('index.html has no <title>');
  const stylesheets = [...indexHtml.matchAll(/<link rel="stylesheet"[^>]*>/g)];
  const last = stylesheets.at(-1);
  if (!last || last.index === undefined) throw new Error('index.html links no stylesheet');
  const at = last.index + last[0].length;
  const extra = page.css.filter((href) => !indexHtml.includes(`href="${href}"`));
  const withCss =
    indexHtml.slice(0, at) +
    extra.map((href) => `\n    <link rel="stylesheet" crossorigin href="${href}">`).join('') +
    indexHtml.slice(at);
  return withCss
    .replace(/<html lang="[^"]*">/, `<html lang="${page.lang}">`)
    .replace(/<title>[^<]*<\/title>/, `<title>${page.title}</title>`)
    .replace(
      /(<meta\s+name="description"\s+content=")[^"]*(")/,
      (_m, open: string, close: string) => `${open}${escapeAttr(page.description)}${close}`,
    )
    .replace(/\n?\s*<link rel="modulepreload"[^>]*>/g, '')
    .replace(root, `<div id="root" data-prerendered="">${inertControls(page.html)}</div>\n    `);
}

/** The stylesheets a page's chunk and the chunks it imports bring (Vite's `importedCss`). */
export function cssOf(bundle: Rollup.OutputBundle, module: string, base: string): string[] {
  const chunks = Object.values(bundle).filter(
    (file): file is Rollup.OutputChunk => file.type === 'chunk',
  );
  const start = chunks.find((chunk) => chunk.facadeModuleId?.endsWith(`/${module}`));
  if (!start) throw new Error(`no chunk is built from ${module}`);
  const byName = new Map(chunks.map((chunk) => [chunk.fileName, chunk]));
  const css = new Set<string>();
  const seen = new Set<string>();
  const visit = (chunk: Rollup.OutputChunk) => {
    if (seen.has(chunk.fileName)) return;
    seen.add(chunk.fileName);
    for (const file of chunk.viteMetadata?.importedCss ?? []) css.add(`${base}${file}`);
    for (const name of chunk.imports) {
      const next = byName.get(name);
      if (next) visit(next);
    }
  };
  visit(start);
  return [...css];
}

interface Renderer {
  renderPage(path: string, locale: (typeof LOCALES)[number]): Promise<PrerenderedPage>;
}

/**
 * Draws the PRERENDERED pages in every language after the client build: src/prerender.tsx is
 * built for Node on its own (a second, server-side Vite build into a temporary folder), its
 * pages rendered and written into index.html's frame. The stylesheets the pages' chunks bring
 * are linked as well, so the app's later render of the same page lays out exactly as the HTML
 * did (a page that moved would be painted again, as new content). The service worker's shell is
 * still index.html: these pages are for a first visit over the network.
 */
export function prerender(): Plugin {
  let config: { root: string; outDir: string; base: string; define: UserConfig['define'] };
  const css = new Map<string, string[]>();
  return {
    name: 'medora:prerender',
    apply: 'build',
    enforce: 'post',
    configResolved(resolved) {
      config = {
        root: resolved.root,
        outDir: path.resolve(resolved.root, resolved.build.outDir),
        base: resolved.base,
        define: resolved.define,
      };
    },
    generateBundle(_options, bundle) {
      for (const page of PRERENDERED) css.set(page.path, cssOf(bundle, page.module, config.base));
    },
    async writeBundle() {
      const scratch = await mkdtemp(path.join(tmpdir(), 'medora-prerender-'));
      try {
        await build({
          configFile: false,
          root: config.root,
          mode: 'production',
          logLevel: 'warn',
          plugins: [react()],
          define: config.define,
          // Everything in one bundle for Node, the app's own packages too (they ship TypeScript).
          ssr: { noExternal: true },
          build: {
            ssr: 'src/prerender.tsx',
            outDir: scratch,
            emptyOutDir: true,
            sourcemap: false,
            minify: false,
            rolldownOptions: { output: { entryFileNames: 'prerender.mjs' } },
          },
        });
        const renderer = (await import(
          pathToFileURL(path.join(scratch, 'prerender.mjs')).href
        )) as Renderer;
        const indexHtml = await readFile(path.join(config.outDir, 'index.html'), 'utf8');
        await mkdir(path.join(config.outDir, PRERENDER_DIR), { recursive: true });
        for (const page of PRERENDERED) {
          for (const locale of LOCALES) {
            const drawn = await renderer.renderPage(page.path, locale);
            const html = prerenderedHtml(indexHtml, {
              ...drawn,
              css: css.get(page.path) ?? [],
            });
            const name = `${page.path.slice(1)}.${locale}.html`;
            await writeFile(path.join(config.outDir, PRERENDER_DIR, name), html);
          }
        }
        this.info?.(
          `prerendered ${PRERENDERED.map((p) => p.path).join(', ')} in ${LOCALES.join(', ')}`,
        );
      } finally {
        await rm(scratch, { recursive: true, force: true });
      }
    },
  };
}
