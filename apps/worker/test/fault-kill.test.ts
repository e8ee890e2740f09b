import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  ABANDONED_JOB_GRACE_SECONDS,
  addJob,
  releaseAbandonedJobs,
  type Services,
} from '@medora/core';
import {
  createTestDatabase,
  doctorScope,
  factories,
  holdInTransaction,
  isRowLocked,
  backendsWaitingOn,
  jobLocks,
  sessionsWaitingOnLocks,
  type TestDatabase,
} from '@medora/core/testing';
import { createAnalysisInput } from '@medora/schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testServices } from './support';

// Fault tests: a worker process is killed (SIGKILL) in the middle of a job; another takes it over.
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

let database: TestDatabase;
let services: Services;
let dataDir: string;
interface WorkerProcess {
  child: ChildProcess;
  exited: Promise<void>;
  stderr(): string;
}
const children: WorkerProcess[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  services = testServices(database);
  dataDir = await mkdtemp(path.join(tmpdir(), 'medora-worker-kill-'));
});
afterAll(async () => {
  for (const w of children)
    if (w.child.exitCode === null && !w.child.signalCode) w.child.kill('SIGKILL');
  await Promise.all(children.map((w) => w.exited));
  await services?.cache.close();
  await database?.drop();
  await rm(dataDir, { recursive: true, force: true });
});

/** The real main.ts. */
function spawnWorker(): WorkerProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'apps/worker/src/main.ts'], {
    cwd: repoRoot,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      DATABASE_URL: database.url,
      DATA_DIR: dataDir,
      WORKER_CONCURRENCY: '2',
    },
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = once(child, 'exit').then(() => undefined);
  const w = { child, exited, stderr: () => stderr };
  children.push(w);
  return w;
}

async function until<T>(what: string, fn: () => Promise<T>, ok: (v: T) => boolean, ms = 45_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (ok(v)) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const lockedJobs = (task: string) => jobLocks(database.db, task);
/** Worker sessions waiting on a lock: the job is inside its handler, blocked. */
const blockedWorkerQueries = () => sessionsWaitingOnLocks(database.db, 'medora-worker');
const holdLock = (statement: string, values: unknown[] = []) =>
  holdInTransaction(database.url, statement, values);

async function killMidJob(
  task: string,
  release: () => Promise<void>,
  blocked: () => Promise<boolean> = async () => (await blockedWorkerQueries()) > 0,
) {
  const a = spawnWorker();
  await until('the job blocked inside its handler', blocked, (ok) => ok);
  const [job] = await lockedJobs(task);
  expect(job?.lockedBy, a.stderr()).toBeTruthy();
  a.child.kill('SIGKILL');
  await a.exited;
  await release();
  // Graphile Worker alone would leave it locked for four hours.
  expect((await lockedJobs(task)).map((j) => j.lockedBy)).toEqual([job!.lockedBy]);
  return job!;
}

/** An analysis waiting for its run, the workspace's usage, and the run's audit trail. */
async function queuedAnalysis() {
  const make = factories(database.db);
  const doctor = await make.doctor();
  const patient = await make.patient(doctor);
  const analysis = await services.analyses.create(
    doctorScope(doctor),
    createAnalysisInput.parse({
      patientId: patient.id,
      complaints: 'Holsizlik',
      labs: [{ code: 'potassium', value: 7.1, unit: 'mmol/L' }],
      idempotencyKey: randomUUID(),
    }),
  );
  const usage = () =>
    database.db
      .selectFrom('usage_counters')
      .select('analyses_used')
      .where('workspace_id', '=', doctor.workspaceId)
      .execute();
  const runTrail = () =>
    database.db
      .selectFrom('audit_log')
      .select('action')
      .where('entity_id', '=', analysis.id)
      .where('action', 'in', ['analysis.start', 'analysis.complete', 'analysis.fail'])
      .orderBy('id')
      .execute();
  const usageAtCreate = await usage();
  /** One start and one completion in the trail, and the unit taken at create kept. */
  const expectRanOnce = async () => {
    expect((await runTrail()).map((a) => a.action)).toEqual([
      'analysis.start',
      'analysis.complete',
    ]);
    expect(await usage()).toEqual(usageAtCreate);
  };
  return { analysis, usage, usageAtCreate, runTrail, expectRanOnce };
}

describe('a worker killed in the middle of a job', () => {
  it('analysis__run: another worker runs it again; one report, usage units unchanged', async () => {
    const { analysis, usageAtCreate, expectRanOnce } = await queuedAnalysis();
    expect(usageAtCreate.map((u) => u.analyses_used)).toEqual([1]);

    // The run blocks on the analysis row, which the test holds, until the worker is dead.
    const release = await holdLock('select 1 from analyses where id = $1 for update', [
      analysis.id,
    ]);
    await killMidJob('analysis__run', release);

    const b = spawnWorker();
    const done = await until(
      'the analysis completed by the second worker',
      () =>
        database.db
          .selectFrom('analyses')
          .select(['status', 'report'])
          .where('id', '=', analysis.id)
          .executeTakeFirstOrThrow(),
      (r) => r.status !== 'queued' && r.status !== 'running',
    );
    expect(done.status, b.stderr()).toBe('completed');
    expect(done.report).not.toBeNull();
    await until(
      'the job gone',
      () => lockedJobs('analysis__run'),
      (j) => j.length === 0,
    );

    await expectRanOnce();
    b.child.kill('SIGTERM');
    await b.exited;
  }, 90_000);

  it('analysis__run killed inside its one transaction: nothing of it commits; queued, then run once', async () => {
    const { analysis, usage, usageAtCreate, runTrail, expectRanOnce } = await queuedAnalysis();
    const row = () =>
      database.db
        .selectFrom('analyses')
        .select(['status', 'report', 'started_at', 'completed_at'])
        .where('id', '=', analysis.id)
        .executeTakeFirstOrThrow();

    // The run gets past the row lock and the report's update, then blocks on its audit rows.
    const release = await holdLock('lock table audit_log in share mode');
    await killMidJob('analysis__run', release, async () => {
      // The run's transaction holds the analysis row and waits on its audit insert.
      return (
        (await isRowLocked(database.db, 'analyses', analysis.id)) &&
        (await backendsWaitingOn(database.db, 'audit_log')).length > 0
      );
    });
    expect(await row()).toEqual({
      status: 'queued',
      report: null,
      started_at: null,
      completed_at: null,
    });
    expect(await runTrail()).toEqual([]);
    expect(await usage()).toEqual(usageAtCreate);

    const b = spawnWorker();
    const done = await until('the analysis completed by the second worker', row, (r) =>
      ['completed', 'failed'].includes(r.status),
    );
    expect(done.status, b.stderr()).toBe('completed');
    expect(done.report).not.toBeNull();
    await expectRanOnce();
    b.child.kill('SIGTERM');
    await b.exited;
  }, 90_000);

  it('subscription__expire: each due workspace expired once, no duplicate audit or notification', async () => {
    const make = factories(database.db);
    const due = await Promise.all(
      [1, 2, 3].map(() => make.doctor({ subscription: 'trial_ended' })),
    );
    await addJob(database.db, 'subscription__expire', {});
    // The one statement stops at its notifications, with the workspaces already updated in it.
    const release = await holdLock('lock table notifications in share mode');
    await killMidJob('subscription__expire', release);

    const b = spawnWorker();
    await until(
      'the job done',
      () => lockedJobs('subscription__expire'),
      (j) => j.length === 0,
    );
    const ids = due.map((d) => d.workspaceId);
    const workspaces = await database.db
      .selectFrom('workspaces')
      .select('subscription_status')
      .where('id', 'in', ids)
      .execute();
    expect(
      workspaces.map((w) => w.subscription_status),
      b.stderr(),
    ).toEqual(['expired', 'expired', 'expired']);
    const audits = await database.db
      .selectFrom('audit_log')
      .select('workspace_id')
      .where('action', '=', 'subscription.expire')
      .where('workspace_id', 'in', ids)
      .execute();
    expect(audits.map((a) => a.workspace_id).sort()).toEqual([...ids].sort());
    const notices = await database.db
      .selectFrom('notifications')
      .select('workspace_id')
      .where('kind', '=', 'subscription_expired')
      .where('workspace_id', 'in', ids)
      .execute();
    expect(notices.map((n) => n.workspace_id).sort()).toEqual([...ids].sort());
    b.child.kill('SIGTERM');
    await b.exited;
  }, 90_000);

  it("never takes over a live worker's job", async () => {
    const { analysis } = await queuedAnalysis();
    const release = await holdLock('select 1 from analyses where id = $1 for update', [
      analysis.id,
    ]);
    const a = spawnWorker();
    try {
      await until('the job blocked inside its handler', blockedWorkerQueries, (n) => n > 0);
      // Past the grace period, the job of a live worker is still not abandoned.
      const [job] = await until(
        'the job locked for a while',
        () => lockedJobs('analysis__run'),
        (j) => (j[0]?.lockedForSeconds ?? 0) > ABANDONED_JOB_GRACE_SECONDS + 1,
      );
      expect(await releaseAbandonedJobs(database.db)).toEqual([]);
      expect((await lockedJobs('analysis__run')).map((j) => j.lockedBy)).toEqual([job!.lockedBy]);
    } finally {
      await release();
    }
    await until(
      'the analysis completed by the same worker',
      () =>
        database.db
          .selectFrom('analyses')
          .select('status')
          .where('id', '=', analysis.id)
          .executeTakeFirstOrThrow(),
      (r) => r.status === 'completed',
    );
    a.child.kill('SIGTERM');
    await a.exited;
  }, 90_000);
});
