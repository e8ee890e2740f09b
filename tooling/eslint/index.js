// Shared typed ESLint flat config. Type-aware rules catch floating promises and unsafe `any`
// flows, which matter most in request and job code.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import { boundaries } from './boundaries.js';

export { boundaries };

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      '**/.data/**',
      '**/.turbo/**',
      '**/coverage/**',
      'packages/db/src/generated/**',
      // Mutation-testing sandboxes (npm run test:mutation): copies of the tree, not the tree.
      '**/.stryker-tmp*/**',
      '**/reports/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true },
      globals: { ...globals.node },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-misused-promises': [
        'error',
        { checksVoidReturn: { attributes: false } },
      ],
      'no-console': ['error', { allow: ['warn', 'error'] }],
    },
  },
  {
    files: ['apps/web/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: { ...reactHooks.configs.recommended.rules },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    extends: [tseslint.configs.disableTypeChecked],
  },
  {
    // The web app's boot script: plain JavaScript for the browser, its data filled in by the build.
    files: ['apps/web/plugins/boot-runtime.js'],
    languageOptions: { globals: { ...globals.browser, __BOOT__: 'readonly' } },
  },
  {
    files: ['scripts/**', '**/cli.ts', 'tooling/bench/**'],
    rules: { 'no-console': 'off' },
  },
  ...boundaries,
  prettier,
);
