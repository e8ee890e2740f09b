import { addJob, recordJobRun } from '@medora/core';
import { signInDirectly, type TestUser } from '@medora/core/testing';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, failure, type Agent, type Harness } from './harness';

let h: Harness;
let admin: Agent;
let adminUser: TestUser;
beforeAll(async () => {
  h = await createHarness();
  adminUser = await h.make.admin();
  admin = h.agent();
  admin.token = (await signInDirectly(h.services, adminUser)).accessToken;
});
afterAll(async () => {
  await h.services.analyses.events.stop();
  await h.close();
});

/** Sets a job's state the way Graphile Worker leaves it. */
const setJob = (id: string, set: { attempts?: number; locked?: boolean; error?: string }) =>
  sql`update graphile_worker._private_jobs set
      attempts = coalesce(${set.attempts ?? null}::smallint, attempts),
      locked_at = case when ${set.locked ?? false} then now() else null end,
      locked_by = case when ${set.locked ?? false} then 'test:1' else null end,
      last_error = coalesce(${set.error ?? null}, last_error)
    where id = ${id}::bigint`.execute(h.services.db);

const jobState = async (id: string) => {
  const { rows } = await sql<{ attempts: number; run_at: Date }>`
    select attempts, run_at from graphile_worker.jobs where id = ${id}::bigint`.execute(
    h.services.db,
  );
  return rows[0];
};

describe('admin.jobs', () => {
  it('overview: queued, running and failed per task, the schedule, and the last run', async () => {
    const db = h.services.db;
    // file__cleanup: two queued (one waiting for a retry), one running, one failed for good.
    const opts = { maxAttempts: 3 };
    await addJob(db, 'file__cleanup', {}, opts);
    const retrying = await addJob(db, 'file__cleanup', {}, opts);
    const running = await addJob(db, 'file__cleanup', {}, opts);
    const failed = await addJob(db, 'file__cleanup', {}, opts);
    await setJob(retrying.id, { attempts: 1, error: 'first try failed' });
    // Graphile counts the attempt when it takes the job: a last attempt in flight is running.
    await setJob(running.id, { attempts: 3, locked: true });
    await setJob(failed.id, { attempts: 3, error: 'x'.repeat(2000) });
    const deps = { db, logger: h.services.logger, jobMetrics: h.services.jobMetrics };
    await recordJobRun(deps, 'file__cleanup', null, () => Promise.resolve({ affected: 1 }));
    await recordJobRun(deps, 'file__cleanup', '5', () => Promise.resolve({ affected: 4 }));

    const out = await admin.caller.admin.jobs.overview();
    const row = out.tasks.find((t) => t.task === 'file__cleanup')!;
    expect(row).toMatchObject({ queued: 2, running: 1, failed: 1, schedule: '30 3 * * *' });
    expect(row.lastRun).toMatchObject({ outcome: 'success', affected: 4, error: null });
    // Every task is listed, on-demand ones without a schedule.
    expect(out.tasks.find((t) => t.task === 'analysis__run')).toMatchObject({
      queued: 0,
      schedule: null,
      lastRun: null,
    });
    expect(out.failedJobs).toEqual([
      expect.objectContaining({
        id: failed.id,
        task: 'file__cleanup',
        attempts: 3,
        maxAttempts: 3,
        lastError: 'x'.repeat(500),
      }),
    ]);

    // A failed analysis is listed without its error: that may quote the analysis.
    const analysisJob = await addJob(
      db,
      'analysis__run',
      { analysisId: '00000000-0000-4000-8000-000000000001' },
      { maxAttempts: 1 },
    );
    await setJob(analysisJob.id, { attempts: 1, error: 'lab value 7.9 for Alisher' });
    const again = await admin.caller.admin.jobs.overview();
    expect(again.failedJobs.find((j) => j.id === analysisJob.id)).toMatchObject({
      task: 'analysis__run',
      lastError: null,
    });
    expect(JSON.stringify(again)).not.toContain('Alisher');
  });

  it('retry: reschedules a permanently failed job once, with an audit row', async () => {
    const job = await addJob(h.services.db, 'session__cleanup', {}, { maxAttempts: 2 });
    await setJob(job.id, { attempts: 2, error: 'boom' });
    // Two admins at once: one reschedules, the other is told it is no longer failed.
    const results = await Promise.allSettled([
      admin.caller.admin.jobs.retry({ jobId: job.id }),
      admin.caller.admin.jobs.retry({ jobId: job.id }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const state = await jobState(job.id);
    expect(state!.attempts).toBe(0);
    expect(state!.run_at.getTime()).toBeLessThanOrEqual(Date.now() + 1000);
    const audits = await h.t.db
      .selectFrom('audit_log')
      .select(['outcome', 'actor_user_id', 'meta'])
      .where('action', '=', 'admin.job.retry')
      .where('entity_id', '=', job.id)
      .orderBy('id')
      .execute();
    expect(audits).toEqual([
      {
        outcome: 'success',
        actor_user_id: adminUser.userId,
        meta: { task: 'session__cleanup', attempts: 2 },
      },
      {
        outcome: 'denied',
        actor_user_id: adminUser.userId,
        meta: { task: 'session__cleanup', reason: 'not_failed' },
      },
    ]);
  });

  it('retry: JOB_NOT_FAILED for a queued or running job, NOT_FOUND for none, field error for a bad id', async () => {
    const queued = await addJob(h.services.db, 'session__cleanup', {}, { maxAttempts: 2 });
    expect(await failure(admin.caller.admin.jobs.retry({ jobId: queued.id }))).toMatchObject({
      code: 'CONFLICT',
      appCode: 'JOB_NOT_FAILED',
    });
    const running = await addJob(h.services.db, 'session__cleanup', {}, { maxAttempts: 1 });
    await setJob(running.id, { attempts: 1, locked: true });
    expect(await failure(admin.caller.admin.jobs.retry({ jobId: running.id }))).toMatchObject({
      appCode: 'JOB_NOT_FAILED',
    });
    expect(await failure(admin.caller.admin.jobs.retry({ jobId: '999999999' }))).toMatchObject({
      code: 'NOT_FOUND',
    });
    expect(await failure(admin.caller.admin.jobs.retry({ jobId: '0' }))).toMatchObject({
      code: 'BAD_REQUEST',
      fieldErrors: { jobId: ['invalid'] },
    });
    // Past bigint's range: a field error, never an overflow inside the database.
    expect(
      await failure(admin.caller.admin.jobs.retry({ jobId: '9999999999999999999' })),
    ).toMatchObject({ code: 'BAD_REQUEST', fieldErrors: { jobId: ['invalid'] } });
    expect(
      await failure(admin.caller.admin.jobs.retry({ jobId: '999999999999999999' })),
    ).toMatchObject({ code: 'NOT_FOUND' });
  });
});
