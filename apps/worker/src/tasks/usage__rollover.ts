import { defineScheduledTask } from './define';

export const USAGE_ROLLOVER_TASK = 'usage__rollover';
const DAY_MS = 86_400_000;

/** Daily at 00:01 Tashkent (so the 1st's run is the month's first minute): past months close. */
export const usageRolloverTask = defineScheduledTask(USAGE_ROLLOVER_TASK, {
  // Two days of backfill replay a missed boundary into one job (the statement catches up anyway).
  backfillPeriod: 2 * DAY_MS,
  jobKey: USAGE_ROLLOVER_TASK,
  jobKeyMode: 'replace',
  maxAttempts: 5,
});
