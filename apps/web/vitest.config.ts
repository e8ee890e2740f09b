import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  plugins: [react()],
  define: {
    'import.meta.env.VITE_APP_VERSION': JSON.stringify('test'),
  },
  test: {
    name: 'web',
    root: import.meta.dirname,
    environment: 'jsdom',
    // plugins/: the build's own Vite plugins, tested in Node.
    include: ['test/**/*.test.{ts,tsx}', 'plugins/**/*.test.ts'],
    restoreMocks: true,
  },
});
