import type { Db } from '@medora/db';
import type { CronItem, TaskList } from 'graphile-worker';
import { SESSION_CLEANUP_TASK, sessionCleanupTask } from './session__cleanup';
import { HEARTBEAT_TASK, heartbeatTask } from './system__heartbeat';

export interface TaskDeps {
  db: Db;
  workerId: string;
  version: string;
}

/** Every task this worker runs, by name (`<domain>__<action>`). Explicit: no directory scan. */
export function createTaskList(deps: TaskDeps): TaskList {
  return {
    [HEARTBEAT_TASK]: heartbeatTask(deps),
    [SESSION_CLEANUP_TASK]: sessionCleanupTask(deps),
  };
}

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;

/**
 * The schedule. Graphile Worker makes each run happen once across all workers; `backfillPeriod`
 * replays runs missed while every worker was down, and a `jobKey` collapses those replays (and
 * any duplicate) into a single queued job.
 */
export const cronItems: CronItem[] = [
  {
    task: HEARTBEAT_TASK,
    match: '* * * * *',
    identifier: HEARTBEAT_TASK,
    options: {
      backfillPeriod: 5 * MINUTE_MS,
      jobKey: HEARTBEAT_TASK,
      jobKeyMode: 'replace',
      maxAttempts: 1,
    },
  },
  {
    // Daily at 03:15 UTC, a quiet hour; a day of backfill replays a run missed by a restart.
    task: SESSION_CLEANUP_TASK,
    match: '15 3 * * *',
    identifier: SESSION_CLEANUP_TASK,
    options: {
      backfillPeriod: DAY_MS,
      jobKey: SESSION_CLEANUP_TASK,
      jobKeyMode: 'replace',
      maxAttempts: 3,
    },
  },
];
