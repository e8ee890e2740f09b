import { expireSubscriptions } from '@medora/core';
import { defineTask } from './define';

export const SUBSCRIPTION_EXPIRE_TASK = 'subscription__expire';
const HOUR_MS = 3_600_000;

/** Every 15 minutes: workspaces whose trial or period has ended become expired (one statement). */
export const subscriptionExpireTask = defineTask({
  name: SUBSCRIPTION_EXPIRE_TASK,
  handler: async (_payload, { services, logger }) => {
    const { expired, notified } = await expireSubscriptions(services.db);
    logger.info({ expired, notified }, `subscription expiry: ${expired} workspaces expired`);
  },
  cron: {
    // Replays after downtime collapse into one job (the statement catches up on everything due).
    match: '*/15 * * * *',
    options: {
      backfillPeriod: HOUR_MS,
      jobKey: SUBSCRIPTION_EXPIRE_TASK,
      jobKeyMode: 'replace',
      maxAttempts: 5,
    },
  },
});
