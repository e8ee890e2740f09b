import { createTestDatabase, factories, type TestDatabase } from '@medora/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cronItems, createTaskList } from '../src/tasks/index';
import { SUBSCRIPTION_EXPIRE_TASK } from '../src/tasks/subscription__expire';
import { capturingLogger, helpersFor, testServices } from './support';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database?.drop());

describe('subscription__expire', () => {
  it('runs from the task list and expires an ended trial, once', async () => {
    const doctor = await factories(database.db).doctor({ subscription: 'trial_ended' });
    const { logger, messages } = capturingLogger();
    const task = createTaskList({ services: testServices(database, logger), workerId: 'test:1' })[
      SUBSCRIPTION_EXPIRE_TASK
    ]!;
    await task({ _cron: { ts: new Date().toISOString() } }, helpersFor());
    const ws = await database.db
      .selectFrom('workspaces')
      .select('subscription_status')
      .where('id', '=', doctor.workspaceId)
      .executeTakeFirstOrThrow();
    expect(ws.subscription_status).toBe('expired');
    expect(messages).toContainEqual('job subscription__expire: 1 affected');
    await task({}, helpersFor('2'));
    // The re-run changed nothing: recorded, and logged at debug only.
    expect(messages.filter((m) => m.startsWith('job subscription__expire'))).toHaveLength(1);
    const runs = await database.db
      .selectFrom('job_runs')
      .select(['job_id', 'affected'])
      .where('task', '=', SUBSCRIPTION_EXPIRE_TASK)
      .orderBy('id')
      .execute();
    expect(runs).toEqual([
      { job_id: '1', affected: 1 },
      { job_id: '2', affected: 0 },
    ]);
  });

  it('is scheduled every 15 minutes', () => {
    expect(cronItems.find((i) => i.task === SUBSCRIPTION_EXPIRE_TASK)?.match).toBe('*/15 * * * *');
  });
});
