import { cleanupSessions } from '@medora/core';
import { defineTask } from './define';

export const SESSION_CLEANUP_TASK = 'session__cleanup';
const DAY_MS = 86_400_000;

/** Daily: session rows dead for over the retention period go (see cleanupSessions). */
export const sessionCleanupTask = defineTask({
  name: SESSION_CLEANUP_TASK,
  handler: async (_payload, { services, logger }) => {
    const deleted = await cleanupSessions(services.db);
    logger.info({ deleted }, `session cleanup: ${deleted} old session rows deleted`);
  },
  cron: {
    // 03:15 UTC, a quiet hour; a day of backfill replays a run missed by a restart.
    match: '15 3 * * *',
    options: {
      backfillPeriod: DAY_MS,
      jobKey: SESSION_CLEANUP_TASK,
      jobKeyMode: 'replace',
      maxAttempts: 3,
    },
  },
});
