import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { listHeartbeats } from '@medora/core';
import { createTestDatabase, type TestDatabase } from '@medora/core/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

let database: TestDatabase;
let dataDir: string;
beforeEach(async () => {
  database = await createTestDatabase();
  dataDir = await mkdtemp(path.join(tmpdir(), 'medora-worker-test-'));
});
afterEach(async () => {
  await database.drop();
  await rm(dataDir, { recursive: true, force: true });
});

/** The real main.ts, JSON logs on a pipe. */
function spawnWorker(env: Record<string, string> = {}) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'apps/worker/src/main.ts'], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      DATABASE_URL: database.url,
      DATA_DIR: dataDir,
      ...env,
    },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  return { child, exited, output: () => ({ stdout, stderr }) };
}

const ownBeat = async (pid: number | undefined) =>
  (await listHeartbeats(database.db)).find((b) => b.workerId.endsWith(`:${pid}`));

describe('worker process', () => {
  it('beats on start and exits 0 on SIGTERM (the real main.ts)', async () => {
    const { child, exited, output } = spawnWorker();
    try {
      // The worker beats once as soon as it runs.
      let beat;
      for (let i = 0; i < 150 && !beat; i++) {
        beat = await ownBeat(child.pid);
        if (!beat) await new Promise((r) => setTimeout(r, 100));
      }
      expect(beat, output().stderr).toBeDefined();
      child.kill('SIGTERM');
      const [code, signal] = await exited;
      expect({ code, signal, stderr: output().stderr }).toEqual({
        code: 0,
        signal: null,
        stderr: '',
      });
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  });

  it('exits 0 on a SIGTERM immediately after spawn', async () => {
    // The first line the process can write comes right after its handlers are installed: the
    // signal goes out the moment that line arrives, long before the database is even open.
    const { child, exited, output } = spawnWorker({ LOG_LEVEL: 'info', LOG_FORMAT: 'json' });
    try {
      child.stdout.once('data', () => child.kill('SIGTERM'));
      const [code, signal] = await exited;
      expect({ code, signal, stderr: output().stderr }).toEqual({
        code: 0,
        signal: null,
        stderr: '',
      });
      const messages = output()
        .stdout.split('\n')
        .filter(Boolean)
        .map((line) => (JSON.parse(line) as { msg: string }).msg);
      expect(messages[0]).toBe('worker starting');
      // Whichever start-up step the signal met, it was undone and the process said so. (Whether
      // it got as far as a first heartbeat depends on how fast the database opened.)
      expect(messages).toContain('worker stopped');
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  });
});
