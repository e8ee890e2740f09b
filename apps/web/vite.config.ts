import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';
import pkg from './package.json' with { type: 'json' };
import { boot } from './plugins/boot';
import { precompress } from './plugins/precompress';
import { prerender } from './plugins/prerender';

const SW_FILE = 'sw.js';
const SW_PLACEHOLDER = '__SHELL_MANIFEST__';

/** Every file under `dir`, as URL paths ("/favicon.svg"). */
function filesUnder(dir: string, prefix = ''): string[] {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.flatMap((entry) =>
    entry.isDirectory()
      ? filesUnder(path.join(dir, entry.name), `${prefix}/${entry.name}`)
      : [`${prefix}/${entry.name}`],
  );
}

/**
 * Builds src/sw.ts into /sw.js (a fixed name at the root, so its scope is the whole app) and
 * writes into it the list of this build's files and a version derived from them: every built
 * name carries a content hash, so the version changes exactly when the shell does.
 */
function serviceWorker(): Plugin {
  let publicDir = '';
  return {
    name: 'medora:service-worker',
    apply: 'build',
    enforce: 'post',
    configResolved(config) {
      publicDir = config.publicDir;
    },
    buildStart() {
      this.emitFile({
        type: 'chunk',
        id: path.resolve(import.meta.dirname, 'src/sw.ts'),
        fileName: SW_FILE,
      });
    },
    generateBundle(_options, bundle) {
      const html = bundle['index.html'];
      const worker = bundle[SW_FILE];
      if (html?.type !== 'asset' || worker?.type !== 'chunk') {
        this.error('index.html and the service worker must both be in the bundle');
      }
      const built = Object.keys(bundle)
        .filter((name) => name !== SW_FILE && name !== 'index.html' && !name.endsWith('.map'))
        .filter((name) => !name.startsWith('.vite/'))
        .map((name) => `/${name}`);
      const files = [...built, ...filesUnder(publicDir)].sort();
      const version = createHash('sha256')
        .update(String(html.source))
        .update(files.join('\n'))
        .digest('hex')
        .slice(0, 16);
      if (!worker.code.includes(SW_PLACEHOLDER))
        this.error(`${SW_FILE} lost its ${SW_PLACEHOLDER}`);
      worker.code = worker.code.replace(SW_PLACEHOLDER, JSON.stringify({ version, files }));
    },
  };
}

const apiTarget = 'http://localhost:3000';
const proxied = { target: apiTarget, changeOrigin: false };

/**
 * `vite build` makes what browsers get, so it is a production build even when a test runner has
 * set NODE_ENV=test (Vite would then emit React's development build, `import.meta.env.PROD`
 * false and no service worker). NODE_ENV is given back once the build is done, so the process
 * that ran it (a test set-up) keeps its own.
 */
function productionBuild(command: string, mode: string): Plugin[] {
  if (command !== 'build' || mode !== 'production' || process.env.NODE_ENV === 'production') {
    return [];
  }
  const previous = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  const restore = () => {
    if (previous === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = previous;
  };
  return [
    {
      name: 'medora:production-build',
      apply: 'build',
      buildEnd(error) {
        if (error) restore();
      },
      closeBundle: restore,
    },
  ];
}

export default defineConfig(({ command, mode }) => ({
  plugins: [
    ...productionBuild(command, mode),
    react(),
    boot(),
    prerender(),
    serviceWorker(),
    precompress(),
  ],
  define: {
    'import.meta.env.VITE_APP_VERSION': JSON.stringify(pkg.version),
  },
  server: {
    proxy: {
      '/trpc': proxied,
      '/api': proxied,
      '/health': proxied,
    },
  },
  preview: {
    proxy: {
      '/trpc': proxied,
      '/api': proxied,
      '/health': proxied,
    },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Browsers get no source maps: they would publish the full TypeScript source.
    sourcemap: false,
    target: 'es2022',
    rolldownOptions: {
      output: {
        // A few long-lived vendor chunks instead of one giant one; each page stays its own chunk.
        codeSplitting: {
          groups: [
            {
              name: 'react',
              test: /node_modules[\\/](react|react-dom|scheduler)[\\/]/,
              priority: 30,
            },
            { name: 'tanstack', test: /node_modules[\\/]@tanstack[\\/]/, priority: 20 },
            {
              name: 'trpc',
              test: /node_modules[\\/](@trpc|superjson|copy-anything|is-what)[\\/]/,
              priority: 20,
            },
            { name: 'i18n', test: /node_modules[\\/](i18next|react-i18next)[\\/]/, priority: 20 },
            // Only the libraries: the app's own schemas go with the pages that use them, so the
            // sign-in page does not download the clinical and billing ones.
            { name: 'schema', test: /node_modules[\\/](zod|libphonenumber-js)[\\/]/, priority: 10 },
          ],
        },
      },
    },
  },
}));
