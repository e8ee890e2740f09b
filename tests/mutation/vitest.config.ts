import path from 'node:path';
import { defineConfig } from 'vitest/config';

// The vitest config Stryker runs in its sandbox (see stryker.config.mjs at the root). Workspace
// imports are pointed at the sandbox's sources: through node_modules they would resolve to the
// unmutated originals, and a mutant in packages/schema could never fail a test that imports it.
const root = path.resolve(import.meta.dirname, '../..');
const src = (pkg: string, file = 'index.ts') => path.join(root, 'packages', pkg, 'src', file);

const alias = [
  { find: /^@medora\/core\/testing$/, replacement: src('core', 'testing/index.ts') },
  { find: /^@medora\/db\/testing$/, replacement: src('db', 'testing.ts') },
  {
    find: /^@medora\/(schema|core|db|api)$/,
    replacement: path.join(root, 'packages/$1/src/index.ts'),
  },
];

const nodeProject = (name: string, dir: string, database = true) => ({
  resolve: { alias },
  test: {
    name,
    root: path.join(root, dir),
    include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
    environment: 'node',
    globalSetup: database ? [path.join(root, 'tests/setup/global-db.ts')] : [],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});

// Which test projects can kill a package's mutants: a package's own tests, and for core the API
// tests, which drive most of its behaviour through the real router, and the server tests: the
// upload and download routes (multipart streaming, size caps, type checks) drive FileService,
// which no tRPC procedure reaches.
const projectsFor = {
  schema: () => [nodeProject('schema', 'packages/schema', false)],
  core: () => [
    nodeProject('core', 'packages/core'),
    nodeProject('api', 'packages/api'),
    nodeProject('server', 'apps/server'),
  ],
  web: () => [path.join(root, 'apps/web/vitest.config.ts')],
};

type Target = keyof typeof projectsFor;
const target = (process.env.MUTATION_TARGET ?? 'schema') as Target;
if (!(target in projectsFor)) throw new Error(`unknown MUTATION_TARGET ${target}`);

export default defineConfig({ test: { projects: projectsFor[target]() } });
