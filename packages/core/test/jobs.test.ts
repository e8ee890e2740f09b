import { AppError, addJob } from '../src/index';
import { createTestDatabase, type TestDatabase } from '@medora/db/testing';
import { runMigrations } from 'graphile-worker';
import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
  // Graphile checks that pooled clients have an error handler before it migrates.
  database.pool.on('connect', (client) => client.on('error', () => undefined));
  // The worker installs Graphile's schema when it starts; here the test does it.
  await runMigrations({ pgPool: database.pool, logger: undefined });
});
afterAll(() => database?.drop());
beforeEach(async () => {
  await sql`delete from graphile_worker._private_jobs`.execute(database.db);
});

const jobs = async () =>
  (
    await sql<{ task_identifier: string; payload: unknown; key: string | null }>`
      select t.identifier as task_identifier, j.payload, j.key
      from graphile_worker._private_jobs j
      join graphile_worker._private_tasks t on t.id = j.task_id
      order by j.id`.execute(database.db)
  ).rows;

class Rollback extends Error {}

describe('addJob', () => {
  it('enqueues nothing when the transaction it was added in rolls back', async () => {
    await expect(
      database.db.transaction().execute(async (trx) => {
        await trx
          .insertInto('worker_heartbeats')
          .values({ worker_id: 'business-write', version: 't' })
          .execute();
        await addJob(trx, 'session__cleanup', {});
        // Inside the transaction the job is there...
        const { rows } = await sql<{ n: number }>`
          select count(*)::int as n from graphile_worker.jobs`.execute(trx);
        expect(rows[0]!.n).toBe(1);
        throw new Rollback();
      }),
    ).rejects.toBeInstanceOf(Rollback);
    // ...and with the rollback both the business write and the job are gone.
    expect(await jobs()).toEqual([]);
    const written = await database.db
      .selectFrom('worker_heartbeats')
      .where('worker_id', '=', 'business-write')
      .selectAll()
      .execute();
    expect(written).toEqual([]);
  });

  it('enqueues the job with its parsed payload when the transaction commits', async () => {
    const ts = new Date().toISOString();
    const job = await database.db
      .transaction()
      .execute((trx) =>
        addJob(trx, 'system__heartbeat', { _cron: { ts } }, { jobKey: 'beat-now', maxAttempts: 1 }),
      );
    expect(job.id).toMatch(/^\d+$/);
    expect(job.task).toBe('system__heartbeat');
    expect(job.runAt).toBeInstanceOf(Date);
    expect(await jobs()).toEqual([
      { task_identifier: 'system__heartbeat', payload: { _cron: { ts } }, key: 'beat-now' },
    ]);
  });

  it('refuses a payload its schema rejects, with VALIDATION_FAILED, and writes nothing', async () => {
    const bad = addJob(database.db, 'session__cleanup', { _cron: { ts: 42 } } as never);
    await expect(bad).rejects.toBeInstanceOf(AppError);
    await expect(bad).rejects.toMatchObject({
      kind: 'BAD_REQUEST',
      code: 'VALIDATION_FAILED',
      details: { fieldErrors: { '_cron.ts': [expect.any(String)] } },
    });
    await expect(addJob(database.db, 'no__such_task' as never, {} as never)).rejects.toThrow(
      /unknown job/,
    );
    expect(await jobs()).toEqual([]);
  });
});
