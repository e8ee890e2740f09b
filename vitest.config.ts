import { defineConfig } from 'vitest/config';

// One test command for the monorepo. Node-side packages share a globalSetup that provides a
// migrated template database; the web project runs in jsdom with its own config.
const nodeProject = (name: string, dir: string, database = true) => ({
  test: {
    name,
    root: dir,
    include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
    environment: 'node',
    globalSetup: database ? ['../../tests/setup/global-db.ts'] : [],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});

export default defineConfig({
  test: {
    projects: [
      nodeProject('schema', 'packages/schema', false),
      nodeProject('clinical', 'packages/clinical', false),
      nodeProject('db', 'packages/db'),
      nodeProject('core', 'packages/core'),
      nodeProject('api', 'packages/api'),
      nodeProject('server', 'apps/server'),
      nodeProject('worker', 'apps/worker'),
      nodeProject('eslint', 'tooling/eslint', false),
      'apps/web/vitest.config.ts',
    ],
  },
});
