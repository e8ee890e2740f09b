import { defineScheduledTask } from './define';

export const SESSION_CLEANUP_TASK = 'session__cleanup';
const DAY_MS = 86_400_000;

/** Daily: session rows dead for over the retention period go, and job_runs older than 90 days. */
export const sessionCleanupTask = defineScheduledTask(SESSION_CLEANUP_TASK, {
  // 03:15 UTC, a quiet hour; a day of backfill replays a run missed by a restart.
  backfillPeriod: DAY_MS,
  jobKey: SESSION_CLEANUP_TASK,
  jobKeyMode: 'replace',
  maxAttempts: 3,
});
