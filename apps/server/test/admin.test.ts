import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '@medora/core';
import { createTestDatabase, type TestDatabase } from '@medora/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '../src/server';
import { testEnv } from './start-test-server';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
let database: TestDatabase;
let dataDir: string;

beforeAll(async () => {
  database = await createTestDatabase();
  dataDir = await mkdtemp(path.join(tmpdir(), 'medora-admin-test-'));
});
afterAll(async () => {
  await database?.drop();
  await rm(dataDir, { recursive: true, force: true });
});

const admins = () =>
  database.db
    .selectFrom('users')
    .select(['phone', 'name'])
    .where('role', '=', 'admin')
    .orderBy('phone')
    .execute();

async function cli(
  args: string[],
  stdin: string,
  env: Record<string, string> = {},
  // `npm run cli` is `node scripts/start.mjs cli`: the start script's environment, then cli.ts.
  command = ['--import', 'tsx', 'apps/server/src/cli.ts'],
) {
  const child = spawn(process.execPath, [...command, ...args], {
    cwd: repoRoot,
    env: {
      PATH: process.env.PATH ?? '',
      ...testEnv({ DATABASE_URL: database.url, DATA_DIR: dataDir }),
      ...env,
    },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdin.end(stdin);
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, stdout, stderr };
}

describe('CLI create-admin', () => {
  it('creates an admin from a piped password, and reports an existing one on the second run', async () => {
    const first = await cli(
      ['create-admin', '--phone', '+998 90 123 45 67', '--name', 'Ali Valiyev'],
      'a-long-admin-password\n',
    );
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/created/i);
    expect(await admins()).toEqual([{ phone: '+998901234567', name: 'Ali Valiyev' }]);

    const second = await cli(
      ['create-admin', '--phone', '+998901234567', '--name', 'Ali Valiyev'],
      'a-long-admin-password\n',
    );
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toMatch(/already exists/i);
    expect(await admins()).toHaveLength(1);
  });

  it('prints field errors and exits 2 on bad input; never reads the password from argv', async () => {
    const bad = await cli(['create-admin', '--phone', '12345', '--name', 'Ali'], 'short\n');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('phone: phone.invalid');
    expect(bad.stderr).toMatch(/password: password\.too_short/);

    const argv = await cli(
      ['create-admin', '--phone', '+998901234568', '--name', 'Ali', '--password', 'x'],
      '',
    );
    expect(argv.code).toBe(2);
    expect(argv.stderr).toMatch(/Unknown option '--password'/);
  });
});

describe('npm run cli', () => {
  it('runs the command through the start script, with its stdin and its exit code', async () => {
    const viaStart = ['scripts/start.mjs', 'cli'];
    const made = await cli(
      ['create-admin', '--phone', '+998 90 123 45 69', '--name', 'Vali Aliyev'],
      'another-admin-password\n',
      {},
      viaStart,
    );
    expect(made.code, made.stderr).toBe(0);
    expect(made.stdout).toMatch(/created/i);
    expect(await admins()).toContainEqual({ phone: '+998901234569', name: 'Vali Aliyev' });

    const usage = await cli(['no-such-command'], '', {}, viaStart);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/unknown command: no-such-command/);
  });
});

describe('admin bootstrap from the environment', () => {
  it('creates exactly one admin on first start, and none when one exists', async () => {
    const fresh = await createTestDatabase();
    try {
      const env = {
        DATABASE_URL: fresh.url,
        DATA_DIR: dataDir,
        ADMIN_PHONE: '+998935550001',
        ADMIN_PASSWORD: 'bootstrap-password-1',
        ADMIN_NAME: 'Boot Admin',
      };
      const first = await startServer({ config: loadConfig(testEnv(env)) });
      await first.close();
      // A second start, even with another phone, must not add a second administrator.
      const second = await startServer({
        config: loadConfig(testEnv({ ...env, ADMIN_PHONE: '+998935550002' })),
      });
      await second.close();
      const rows = await fresh.db
        .selectFrom('users')
        .select(['phone', 'name', 'role'])
        .where('role', '=', 'admin')
        .execute();
      expect(rows).toEqual([{ phone: '+998935550001', name: 'Boot Admin', role: 'admin' }]);
    } finally {
      await fresh.drop();
    }
  });
});
