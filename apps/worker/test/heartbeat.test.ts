import { createTestDatabase, type TestDatabase } from '@medora/db/testing';
import { parseCronItems } from 'graphile-worker';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cronItems } from '../src/tasks/index';
import { SESSION_CLEANUP_TASK } from '../src/tasks/session__cleanup';
import { HEARTBEAT_TASK, heartbeatTask } from '../src/tasks/system__heartbeat';
import { startWorker } from '../src/worker';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database?.drop());

const rows = () =>
  database.db.selectFrom('worker_heartbeats').selectAll().orderBy('worker_id').execute();
// The task never touches its helpers; the real ones are exercised by the startWorker test.
const helpers = {} as Parameters<ReturnType<typeof heartbeatTask>>[1];

describe('system__heartbeat', () => {
  it('inserts a row, then moves beat_at forward on the next run', async () => {
    const task = heartbeatTask({ db: database.db, workerId: 'test-host:1', version: '1.2.3' });
    await task({ _cron: { ts: new Date().toISOString() } }, helpers);
    const [first] = await rows();
    expect(first).toMatchObject({ worker_id: 'test-host:1', version: '1.2.3' });

    await new Promise((r) => setTimeout(r, 20));
    await task({}, helpers);
    const after = await rows();
    expect(after).toHaveLength(1);
    expect(after[0]!.beat_at.getTime()).toBeGreaterThan(first!.beat_at.getTime());
    expect(after[0]!.started_at.getTime()).toBe(first!.started_at.getTime());
  });

  it('rejects a malformed payload', async () => {
    const task = heartbeatTask({ db: database.db, workerId: 'test-host:1', version: '1.2.3' });
    await expect(task({ _cron: { ts: 42 } }, helpers)).rejects.toThrow();
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
    await heartbeatTask({ db: database.db, workerId: 'test-host:1', version: '1.2.3' })(
      {},
      helpers,
    );
    expect((await rows()).map((r) => r.worker_id)).toEqual(['test-host:1']);
  });
});

describe('crontab', () => {
  it('parses, with backfill and a job key for the heartbeat', () => {
    const parsed = parseCronItems(cronItems);
    const heartbeat = parsed.find((i) => i.task === HEARTBEAT_TASK);
    expect(heartbeat).toBeDefined();
    expect(heartbeat!.options.backfillPeriod).toBeGreaterThan(0);
    expect(heartbeat!.options.jobKey).toBe(HEARTBEAT_TASK);
  });
});

describe('startWorker', () => {
  it('runs against the database, beats at once, and stops gracefully', async () => {
    const logger = pino({ level: process.env.MEDORA_TEST_LOG_LEVEL ?? 'silent' });
    const worker = await startWorker({
      config: { workerConcurrency: 2, version: 'test' },
      logger,
      db: database.db,
      pool: database.pool,
      workerId: 'start-test:1',
    });
    try {
      const deadline = Date.now() + 5_000;
      let found = false;
      while (!found && Date.now() < deadline) {
        found = (await rows()).some((r) => r.worker_id === 'start-test:1');
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
