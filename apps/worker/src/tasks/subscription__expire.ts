import { defineScheduledTask } from './define';

export const SUBSCRIPTION_EXPIRE_TASK = 'subscription__expire';
const HOUR_MS = 3_600_000;

/** Every 15 minutes: workspaces whose trial or period has ended become expired (one statement). */
export const subscriptionExpireTask = defineScheduledTask(SUBSCRIPTION_EXPIRE_TASK, {
  // Replays after downtime collapse into one job (the statement catches up on everything due).
  backfillPeriod: HOUR_MS,
  jobKey: SUBSCRIPTION_EXPIRE_TASK,
  jobKeyMode: 'replace',
  maxAttempts: 5,
});
