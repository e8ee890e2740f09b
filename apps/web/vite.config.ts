import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import pkg from './package.json' with { type: 'json' };

const apiTarget = 'http://localhost:3000';
const proxied = { target: apiTarget, changeOrigin: false };

export default defineConfig({
  plugins: [react()],
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
    sourcemap: 'hidden',
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
            {
              name: 'schema',
              test: /node_modules[\\/](zod|libphonenumber-js)[\\/]|packages[\\/]schema[\\/]/,
              priority: 10,
            },
          ],
        },
      },
    },
  },
});
