import { scheduledJobNames } from '@medora/schema';
import { listHeartbeats } from '@medora/core';
import { createTestDatabase, type TestDatabase } from '@medora/core/testing';
import { parseCronItems } from 'graphile-worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTaskList, cronItems, tasks } from '../src/tasks/index';
import { SESSION_CLEANUP_TASK } from '../src/tasks/session__cleanup';
import { SUBSCRIPTION_EXPIRE_TASK } from '../src/tasks/subscription__expire';
import { HEARTBEAT_TASK } from '../src/tasks/system__heartbeat';
import { startWorker } from '../src/worker';
import { helpersFor, testServices } from './support';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database?.drop());

const rows = async () =>
  (await listHeartbeats(database.db)).sort((a, b) => a.workerId.localeCompare(b.workerId));
const heartbeat = () =>
  createTaskList({ services: testServices(database), workerId: 'test-host:1' })[HEARTBEAT_TASK]!;

describe('system__heartbeat', () => {
  it('inserts a row, then moves beat_at forward on the next run', async () => {
    const task = heartbeat();
    await task({ _cron: { ts: new Date().toISOString() } }, helpersFor());
    const [first] = await rows();
    expect(first).toMatchObject({ workerId: 'test-host:1', version: '1.2.3' });

    await new Promise((r) => setTimeout(r, 20));
    await task({}, helpersFor('2'));
    const after = await rows();
    expect(after).toHaveLength(1);
    expect(after[0]!.beatAt.getTime()).toBeGreaterThan(first!.beatAt.getTime());
    expect(after[0]!.startedAt.getTime()).toBe(first!.startedAt.getTime());
  });

  it('rejects a malformed payload', async () => {
    await expect(heartbeat()({ _cron: { ts: 42 } }, helpersFor())).rejects.toThrow();
  });

  it('forgets workers silent for more than a day', async () => {
    await database.db
      .insertInto('worker_heartbeats')
      .values({
        worker_id: 'old-host:9',
        version: 'x',
        beat_at: new Date(Date.now() - 2 * 86_400_000),
      })
      .execute();
    await heartbeat()({}, helpersFor());
    expect((await rows()).map((r) => r.workerId)).toEqual(['test-host:1']);
  });
});

describe('task definitions', () => {
  it('build both the task list and the crontab: every scheduled task has a handler', () => {
    const list = createTaskList({ services: testServices(database), workerId: 'x:1' });
    expect(Object.keys(list).sort()).toEqual(tasks.map((t) => t.name).sort());
    for (const item of cronItems) expect(list[item.task], item.task).toBeTypeOf('function');
    // Every task of the shared crontab is scheduled, and nothing else is.
    expect(cronItems.map((i) => i.identifier).sort()).toEqual([...scheduledJobNames].sort());
    expect(cronItems.map((i) => i.identifier)).toEqual(
      expect.arrayContaining([SESSION_CLEANUP_TASK, SUBSCRIPTION_EXPIRE_TASK, HEARTBEAT_TASK]),
    );
  });
});

describe('crontab', () => {
  it('parses, with backfill and a job key for the heartbeat', () => {
    const parsed = parseCronItems(cronItems);
    const beat = parsed.find((i) => i.task === HEARTBEAT_TASK);
    expect(beat).toBeDefined();
    expect(beat!.options.backfillPeriod).toBeGreaterThan(0);
    expect(beat!.options.jobKey).toBe(HEARTBEAT_TASK);
    expect(cronItems.find((i) => i.task === HEARTBEAT_TASK)?.match).toBe('* * * * *');
  });
});

describe('startWorker', () => {
  it('runs against the database, beats at once, and stops gracefully', async () => {
    const worker = await startWorker({
      services: testServices(database),
      pool: database.pool,
      workerId: 'start-test:1',
    });
    try {
      const deadline = Date.now() + 5_000;
      let found = false;
      while (!found && Date.now() < deadline) {
        found = (await rows()).some((r) => r.workerId === 'start-test:1');
        if (!found) await new Promise((r) => setTimeout(r, 100));
      }
      expect(found).toBe(true);
      // Graphile installed its schema and registered the crontab.
      const known = await database.db
        .selectFrom('graphile_worker._private_known_crontabs' as never)
        .select('identifier' as never)
        .execute();
      expect(known).toEqual(
        expect.arrayContaining([
          { identifier: HEARTBEAT_TASK },
          { identifier: SESSION_CLEANUP_TASK },
        ]),
      );
    } finally {
      await worker.stop();
    }
    // The pool stays usable: the caller owns it.
    expect((await rows()).length).toBeGreaterThan(0);
  });
});
