import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Plugin, Rollup } from 'vite';

type OutputBundle = Rollup.OutputBundle;
type OutputChunk = Rollup.OutputChunk;

const RUNTIME = readFileSync(path.join(import.meta.dirname, 'boot-runtime.js'), 'utf8');
const PLACEHOLDER = '__BOOT__';

/** The app's entry chunk: the one index.html's module script starts (src/main.tsx). */
export function entryChunk(bundle: OutputBundle): OutputChunk | undefined {
  return Object.values(bundle).find(
    (file): file is OutputChunk =>
      file.type === 'chunk' && file.isEntry && /[\\/]index\.html$/.test(file.facadeModuleId ?? ''),
  );
}

/** The boot script's source for an entry and the chunks it imports, as URL paths. */
export function bootSource(modules: string[], entry: string): string {
  if (RUNTIME.split(PLACEHOLDER).length !== 2)
    throw new Error(`boot-runtime.js must hold ${PLACEHOLDER} exactly once`);
  return RUNTIME.replace(PLACEHOLDER, JSON.stringify({ modules, entry }));
}

/**
 * Starts the app from a small boot script instead of the entry chunk itself. Loaded by
 * `<script type="module">`, the entry and every chunk it imports are evaluated in one task
 * (React, TanStack, i18next, tRPC and the app's router: ~250 ms on a phone 4× slower than this
 * machine), during which the page cannot paint or answer a tap. The boot script imports the
 * entry's chunks one per task, then the entry. index.html keeps its modulepreload links, so
 * the downloads still start with the HTML; the entry gets one too. A prerendered page (see
 * plugins/prerender.ts) drops those links and lets the boot script ask for the code after the
 * first paint. The script is an asset named after its content, so a new build's chunk list is
 * a new URL.
 */
export function boot(): Plugin {
  let base = '/';
  return {
    name: 'medora:boot',
    apply: 'build',
    enforce: 'post',
    configResolved(config) {
      base = config.base;
    },
    generateBundle(_options, bundle) {
      const entry = entryChunk(bundle);
      const html = bundle['index.html'];
      if (!entry || html?.type !== 'asset') this.error('index.html and its entry must be built');
      const url = (file: string) => `${base}${file}`;
      const ref = this.emitFile({
        type: 'asset',
        name: 'boot.js',
        source: bootSource(entry.imports.map(url), url(entry.fileName)),
      });
      const entryTag = `<script type="module" crossorigin src="${url(entry.fileName)}"></script>`;
      const source = String(html.source);
      if (!source.includes(entryTag)) this.error(`index.html has no ${entryTag}`);
      html.source = source.replace(
        entryTag,
        `<script type="module" crossorigin src="${url(this.getFileName(ref))}"></script>\n` +
          `    <link rel="modulepreload" crossorigin href="${url(entry.fileName)}">`,
      );
    },
  };
}
