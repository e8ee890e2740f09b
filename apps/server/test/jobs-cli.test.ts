import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTestDatabase, factories, type TestDatabase } from '@medora/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEnv } from './start-test-server';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
let database: TestDatabase;
let dataDir: string;

beforeAll(async () => {
  database = await createTestDatabase();
  dataDir = await mkdtemp(path.join(tmpdir(), 'medora-jobs-cli-'));
});
afterAll(async () => {
  await database?.drop();
  await rm(dataDir, { recursive: true, force: true });
});

/** `npm run cli -- …` as an operator types it: the start script, then cli.ts. */
async function cli(args: string[]) {
  const child = spawn(process.execPath, ['scripts/start.mjs', 'cli', ...args], {
    cwd: repoRoot,
    env: {
      PATH: process.env.PATH ?? '',
      ...testEnv({ DATABASE_URL: database.url, DATA_DIR: dataDir }),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, stdout, stderr };
}

describe('npm run cli -- jobs:run', () => {
  it('runs a scheduled task once now, records the run, and changes nothing on a re-run', async () => {
    const doctor = await factories(database.db).doctor({ subscription: 'trial_ended' });
    const first = await cli(['jobs:run', 'subscription__expire']);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain('subscription__expire: done, 1 affected, notified 1.');
    const ws = await database.db
      .selectFrom('workspaces')
      .select('subscription_status')
      .where('id', '=', doctor.workspaceId)
      .executeTakeFirstOrThrow();
    expect(ws.subscription_status).toBe('expired');

    const again = await cli(['jobs:run', 'subscription__expire']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain('subscription__expire: done, 0 affected, notified 0.');
    const runs = await database.db
      .selectFrom('job_runs')
      .select(['job_id', 'outcome', 'affected'])
      .where('task', '=', 'subscription__expire')
      .orderBy('id')
      .execute();
    expect(runs).toEqual([
      { job_id: null, outcome: 'success', affected: 1 },
      { job_id: null, outcome: 'success', affected: 0 },
    ]);
  });

  it('refuses an unknown task with exit code 2 and the list of tasks', async () => {
    const bad = await cli(['jobs:run', 'check_subscription_expiry']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('unknown task: check_subscription_expiry');
    expect(bad.stderr).toMatch(/subscription__expire, subscription__warn, usage__rollover/);
    const none = await cli(['jobs:run']);
    expect(none.code).toBe(2);
  });
});
