// Mutation testing (Stryker with its vitest runner): not part of `npm test` or CI, run with
// `npm run test:mutation [-- schema|core|web]`, which sets MUTATION_TARGET for one package at a
// time. docs/testing.md records the scores.
const targets = {
  schema: { mutate: ['packages/schema/src/**/*.ts', '!packages/schema/src/common-passwords.ts'] },
  core: {
    mutate: [
      'packages/core/src/**/*.ts',
      // Test support and generated documentation are not product behaviour.
      '!packages/core/src/testing/**',
      '!packages/core/src/config-docs.ts',
    ],
  },
  web: { mutate: ['apps/web/src/lib/fetch-policy.ts'] },
};

const target = process.env.MUTATION_TARGET ?? 'schema';
if (!(target in targets)) {
  throw new Error(`MUTATION_TARGET must be one of ${Object.keys(targets).join(', ')}`);
}

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  plugins: ['@stryker-mutator/vitest-runner'],
  vitest: { configFile: 'tests/mutation/vitest.config.ts', related: false },
  coverageAnalysis: 'perTest',
  // Mutants in module-level code (declarations, constants) need the whole suite for each one.
  // For core that is hours (its API tests), so there they are reported as ignored and not
  // counted; schema and the web fetch policy are cheap enough to test every mutant.
  ignoreStatic: target === 'core',
  mutate: targets[target].mutate,
  ignorePatterns: [
    '.data',
    'dist',
    '.turbo',
    'coverage',
    'test-results',
    'reports',
    'tests/browser',
  ],
  // The integration tests share one PostgreSQL; two workers keep them from crowding it.
  concurrency: Number(process.env.MUTATION_CONCURRENCY ?? 2),
  timeoutMS: 60_000,
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: `reports/mutation/${target}.html` },
  jsonReporter: { fileName: `reports/mutation/${target}.json` },
  // Later runs re-test only the mutants whose code or covering tests changed.
  incremental: true,
  incrementalFile: `reports/mutation/${target}-incremental.json`,
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
  thresholds: { high: 90, low: 85, break: null },
};
