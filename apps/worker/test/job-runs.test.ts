import { createTestDatabase, type TestDatabase } from '@medora/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defineTask, taskListOf } from '../src/tasks/define';
import { FILE_CLEANUP_TASK } from '../src/tasks/file__cleanup';
import { cronItems, createTaskList } from '../src/tasks/index';
import { HEARTBEAT_TASK } from '../src/tasks/system__heartbeat';
import { USAGE_ROLLOVER_TASK } from '../src/tasks/usage__rollover';
import { SUBSCRIPTION_WARN_TASK } from '../src/tasks/subscription__warn';
import { helpersFor, testServices } from './support';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database?.drop());

const runsOf = (task: string) =>
  database.db
    .selectFrom('job_runs')
    .select(['job_id', 'outcome', 'affected', 'error'])
    .where('task', '=', task)
    .orderBy('id')
    .execute();

describe('job runs', () => {
  it('a scheduled task run leaves a job_runs row and a metric on success', async () => {
    const services = testServices(database);
    const list = createTaskList({ services, workerId: 'test:1' });
    await list[USAGE_ROLLOVER_TASK]!({ _cron: { ts: new Date().toISOString() } }, helpersFor('7'));
    expect(await runsOf(USAGE_ROLLOVER_TASK)).toEqual([
      { job_id: '7', outcome: 'success', affected: 0, error: null },
    ]);
    expect(await services.jobMetrics.registry.metrics()).toContain(
      `medora_job_runs_total{task="${USAGE_ROLLOVER_TASK}",outcome="success"} 1`,
    );
  });

  it('a failing run is recorded and still throws (so Graphile Worker retries it)', async () => {
    const services = testServices(database);
    const failing = defineTask({
      name: SUBSCRIPTION_WARN_TASK,
      handler: () => Promise.reject(new Error('database went away')),
      cron: { match: '0 4 * * *' },
    });
    const task = taskListOf([failing], { services, workerId: 'test:1' })[SUBSCRIPTION_WARN_TASK]!;
    await expect(task({}, helpersFor('8'))).rejects.toThrow('database went away');
    expect(await runsOf(SUBSCRIPTION_WARN_TASK)).toEqual([
      { job_id: '8', outcome: 'failure', affected: null, error: 'database went away' },
    ]);
    expect(await services.jobMetrics.registry.metrics()).toContain(
      `medora_job_runs_total{task="${SUBSCRIPTION_WARN_TASK}",outcome="failure"} 1`,
    );
  });

  it('the heartbeat leaves no job_runs row (its own row is its record)', async () => {
    const list = createTaskList({ services: testServices(database), workerId: 'test:1' });
    await list[HEARTBEAT_TASK]!({}, helpersFor('9'));
    expect(await runsOf(HEARTBEAT_TASK)).toEqual([]);
  });

  it('schedules the new tasks in UTC for their Tashkent times', () => {
    const match = (task: string) => cronItems.find((i) => i.task === task)?.match;
    expect(match(SUBSCRIPTION_WARN_TASK)).toBe('0 4 * * *');
    expect(match(USAGE_ROLLOVER_TASK)).toBe('1 19 * * *');
    expect(match(FILE_CLEANUP_TASK)).toBe('30 3 * * *');
  });
});
