import { defineScheduledTask } from './define';

export const SUBSCRIPTION_WARN_TASK = 'subscription__warn';
const DAY_MS = 86_400_000;

/** Daily at 09:00 Tashkent: owners hear 3 days and 1 day before their access ends. */
export const subscriptionWarnTask = defineScheduledTask(SUBSCRIPTION_WARN_TASK, {
  // A missed morning is replayed once (the windows are read from the time left, so late is fine).
  backfillPeriod: DAY_MS,
  jobKey: SUBSCRIPTION_WARN_TASK,
  jobKeyMode: 'replace',
  maxAttempts: 5,
});
