import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';

// Lints fixture text with the repository's own eslint.config.js, as if it were a file inside each
// package, and checks that every broken arrow is reported and legal imports are not. Type
// information is switched off: these rules read only the import statements.
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const eslint = new ESLint({ cwd: root, overrideConfig: [tseslint.configs.disableTypeChecked] });

const BOUNDARY_RULES = new Set([
  'no-restricted-imports',
  '@typescript-eslint/no-restricted-imports',
  'no-restricted-globals',
]);

/** Boundary rules reported for `code` placed at `file` (relative to the repository root). */
async function violations(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  const parseErrors = result!.messages.filter((m) => m.fatal);
  expect(parseErrors, 'fixture must parse').toEqual([]);
  return result!.messages
    .filter((m) => m.ruleId !== null && BOUNDARY_RULES.has(m.ruleId))
    .map((m) => m.ruleId!);
}

describe('apps reach the database only through @medora/core', () => {
  it.each([
    ['apps/server/src/fixture.ts', "import { sql } from 'kysely';\nvoid sql;"],
    ['apps/server/src/fixture.ts', "import pg from 'pg';\nvoid pg;"],
    [
      'apps/server/src/fixture.ts',
      "import { pendingMigrations } from '@medora/db';\nvoid pendingMigrations;",
    ],
    ['apps/worker/src/fixture.ts', "import type { Db } from '@medora/db';\nexport type X = Db;"],
    [
      'apps/worker/test/fixture.test.ts',
      "import { createTestDatabase } from '@medora/db/testing';\nvoid createTestDatabase;",
    ],
  ])('%s: refuses %j', async (file, code) => {
    expect(await violations(file, code)).toEqual(['no-restricted-imports']);
  });

  it('allows @medora/core, its test support and server libraries', async () => {
    const code = [
      "import { loadConfig } from '@medora/core';",
      "import { createTestDatabase } from '@medora/core/testing';",
      "import Koa from 'koa';",
      'void [loadConfig, createTestDatabase, Koa];',
    ].join('\n');
    expect(await violations('apps/server/src/fixture.ts', code)).toEqual([]);
    expect(await violations('apps/worker/test/fixture.test.ts', code)).toEqual([]);
  });
});

describe('packages/schema and packages/clinical do no I/O', () => {
  const refused = [
    "import { readFileSync } from 'node:fs';\nvoid readFileSync;",
    "import { readFile } from 'fs/promises';\nvoid readFile;",
    "import net from 'node:net';\nvoid net;",
    "import http from 'http';\nvoid http;",
    "import { spawn } from 'node:child_process';\nvoid spawn;",
    "import pg from 'pg';\nvoid pg;",
    "import { sql } from 'kysely';\nvoid sql;",
    "import Redis from 'ioredis';\nvoid Redis;",
    "import { createDb } from '@medora/db';\nvoid createDb;",
    "import { loadConfig } from '@medora/core';\nvoid loadConfig;",
  ];
  for (const pkg of ['schema', 'clinical']) {
    it.each(refused)(`packages/${pkg}/src: refuses %j`, async (code) => {
      expect(await violations(`packages/${pkg}/src/fixture.ts`, code)).toEqual([
        'no-restricted-imports',
      ]);
    });

    it(`packages/${pkg}/src: refuses the network through globals`, async () => {
      const code = "export const load = () => fetch('https://example.uz');";
      expect(await violations(`packages/${pkg}/src/fixture.ts`, code)).toEqual([
        'no-restricted-globals',
      ]);
    });
  }

  it('allows zod, local modules, and @medora/schema from clinical code', async () => {
    expect(
      await violations(
        'packages/schema/src/fixture.ts',
        "import { z } from 'zod';\nimport { phoneSchema } from './phone';\nvoid [z, phoneSchema];",
      ),
    ).toEqual([]);
    expect(
      await violations(
        'packages/clinical/src/fixture.ts',
        "import { z } from 'zod';\nimport { locales } from '@medora/schema';\nvoid [z, locales];",
      ),
    ).toEqual([]);
  });
});

describe('the web app imports only @medora/schema, the analyte catalogue and types from @medora/api', () => {
  it.each([
    "import { appRouter } from '@medora/api';\nvoid appRouter;",
    "import { loadConfig } from '@medora/core';\nvoid loadConfig;",
    "import type { Db } from '@medora/db';\nexport type X = Db;",
    "import { sql } from 'kysely';\nvoid sql;",
    "import Koa from 'koa';\nvoid Koa;",
    "import pino from 'pino';\nvoid pino;",
    "import { SignJWT } from 'jose';\nvoid SignJWT;",
    "import path from 'node:path';\nvoid path;",
    "import { readFileSync } from 'fs';\nvoid readFileSync;",
    // The engine itself stays on the server: only its catalogue of analytes reaches the browser.
    "import { analyze } from '@medora/clinical';\nvoid analyze;",
  ])('apps/web/src: refuses %j', async (code) => {
    const found = await violations('apps/web/src/fixture.tsx', code);
    expect(found).toContain('@typescript-eslint/no-restricted-imports');
  });

  it('allows the router type, @medora/schema and client libraries', async () => {
    const code = [
      "import type { AppRouter } from '@medora/api';",
      "import { loginInput } from '@medora/schema';",
      "import { analyteCatalogue } from '@medora/clinical/catalogue';",
      "import { createTRPCClient } from '@trpc/client';",
      "import { observable } from '@trpc/server/observable';",
      "import { useState } from 'react';",
      'export type R = AppRouter;',
      'void [loginInput, analyteCatalogue, createTRPCClient, observable, useState];',
    ].join('\n');
    expect(await violations('apps/web/src/fixture.tsx', code)).toEqual([]);
  });
});
