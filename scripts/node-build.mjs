// The server and the worker as production runs them: one JavaScript bundle per entry point,
// built with esbuild from the TypeScript sources of the app and of the workspace packages it
// imports. Installed packages stay outside the bundle and load from node_modules as they are
// (native addons, pino's transport targets and the embedded PostgreSQL need their own files).
//
// Running the sources through tsx at run time cost each process ~50 MB of RSS (its loader
// thread, the transpiled text and a source map of every module); see tooling/bench/README.md,
// "Memory". Plain Node apart from esbuild, which is imported only when a build is needed.
import { mkdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { newestMtimeMs } from './web-build.mjs';

/** Entry points per app: `apps/<app>/src/<entry>.ts` → `apps/<app>/dist/<entry>.js`. */
export const NODE_ENTRIES = {
  server: ['main', 'cli'],
  worker: ['main'],
};

/**
 * The node arguments that run an app's built entry. Stack traces map back to the TypeScript
 * sources through the bundle's source map. Two V8 settings keep the heap near what is live
 * (~40 MB for a busy server): the young generation capped per semi-space (V8 grows it to 16 MB),
 * and the old generation collected once it is 1.5× what the last collection left (V8 lets it
 * grow up to 4×: a server at 200 req/s reached 140 MB of heap with 40 MB live). Each saves
 * ~20 MB or more of RSS for more frequent, short collections. The server keeps 4 MB (smaller
 * cost its HTTP paths CPU in the collector); the worker, whose jobs wait on the database more
 * than on its CPU, 2 MB (peak RSS under back-to-back analyses 123 → 114 MB). See
 * tooling/bench/README.md, "Memory".
 * @param {string} root the repository root
 * @param {'server' | 'worker'} app
 * @param {string} [entry]
 * @returns {string[]}
 */
export function builtArgs(root, app, entry = 'main') {
  return [
    `--max-semi-space-size=${app === 'worker' ? 2 : 4}`,
    '--heap-growing-percent=50',
    '--enable-source-maps',
    bundlePath(root, app, entry),
  ];
}

/** @param {string} root @param {string} app @param {string} entry */
export function bundlePath(root, app, entry) {
  return path.join(root, 'apps', app, 'dist', `${entry}.js`);
}

/** What the bundles are built from: every workspace source they may include, and this file. */
function sourcesNewestMtimeMs(root) {
  return Math.max(
    newestMtimeMs(path.join(root, 'apps/server')),
    newestMtimeMs(path.join(root, 'apps/worker')),
    newestMtimeMs(path.join(root, 'packages')),
    mtimeMs(path.join(root, 'scripts/node-build.mjs')),
  );
}

function mtimeMs(file) {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return 0;
  }
}

/**
 * Why the bundles under `root` are out of date, or null when they are current: one was never
 * built, or a source changed after the oldest of them was (e.g. after `git pull`).
 * @param {string} root
 * @returns {string | null}
 */
export function nodeBuildReason(root) {
  let builtAt = Infinity;
  for (const [app, entries] of Object.entries(NODE_ENTRIES)) {
    for (const entry of entries) {
      try {
        builtAt = Math.min(builtAt, statSync(bundlePath(root, app, entry)).mtimeMs);
      } catch {
        return 'first start';
      }
    }
  }
  return sourcesNewestMtimeMs(root) > builtAt ? 'sources changed since the last build' : null;
}

/**
 * Builds every bundle. Each file is written to a temporary name and renamed into place, so a
 * process starting meanwhile (or a second build at the same time) never reads half a file.
 * @param {string} root
 * @param {{ apps?: Array<keyof typeof NODE_ENTRIES> }} [opts]
 */
export async function buildNodeApps(root, { apps = Object.keys(NODE_ENTRIES) } = {}) {
  const { build, stop } = await import('esbuild');
  try {
    await buildEach(build, root, apps);
  } finally {
    // esbuild serves builds from a child process, which would otherwise live on beside the
    // processes `npm start` supervises.
    await stop();
  }
}

async function buildEach(build, root, apps) {
  for (const app of apps) {
    const result = await build({
      absWorkingDir: root,
      entryPoints: NODE_ENTRIES[app].map((entry) => `apps/${app}/src/${entry}.ts`),
      outdir: `apps/${app}/dist`,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      // Class and function names stay as written: logs and error names show them.
      keepNames: true,
      // Mappings only: stack traces need positions, not a copy of every source.
      sourcemap: 'linked',
      sourcesContent: false,
      logLevel: 'warning',
      write: false,
      plugins: [externalPackages],
    });
    for (const file of result.outputFiles) {
      mkdirSync(path.dirname(file.path), { recursive: true });
      const temporary = `${file.path}.${process.pid}.tmp`;
      writeFileSync(temporary, file.contents);
      renameSync(temporary, file.path);
    }
  }
}

/** Workspace packages (`@medora/*`, TypeScript sources) go into the bundle; the rest does not. */
const externalPackages = {
  name: 'external-packages',
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, (args) =>
      args.path.startsWith('@medora/') ? undefined : { path: args.path, external: true },
    );
  },
};

// `node scripts/node-build.mjs [server|worker]`: the apps' `build` scripts.
if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const apps = process.argv.slice(2);
  await buildNodeApps(root, apps.length ? { apps } : undefined);
}
