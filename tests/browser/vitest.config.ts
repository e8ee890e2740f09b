import { defineConfig } from 'vitest/config';

/** Browser tests: a real Chromium against the built web app served by the real server. */
export default defineConfig({
  test: {
    name: 'browser',
    root: import.meta.dirname,
    include: ['**/*.test.ts'],
    globalSetup: ['./global-setup.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 180_000,
    // One browser at a time keeps the machine calm and the server logs readable.
    fileParallelism: false,
  },
});
