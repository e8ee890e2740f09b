import { defineScheduledTask } from './define';

export const FILE_CLEANUP_TASK = 'file__cleanup';
const DAY_MS = 86_400_000;

/** Daily, beside session__cleanup: uploads never attached after 24 hours go, bytes and all. */
export const fileCleanupTask = defineScheduledTask(FILE_CLEANUP_TASK, {
  backfillPeriod: DAY_MS,
  jobKey: FILE_CLEANUP_TASK,
  jobKeyMode: 'replace',
  maxAttempts: 3,
});
