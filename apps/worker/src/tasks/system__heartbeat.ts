import { recordHeartbeat } from '@medora/core';
import { defineTask } from './define';

export const HEARTBEAT_TASK = 'system__heartbeat';
const MINUTE_MS = 60_000;

/** Every minute: this worker is alive (the detailed health check reads the newest beat). */
export const heartbeatTask = defineTask({
  name: HEARTBEAT_TASK,
  handler: (_payload, { services, workerId }) =>
    recordHeartbeat(services.db, { workerId, version: services.config.version }),
  cron: {
    match: '* * * * *',
    options: {
      backfillPeriod: 5 * MINUTE_MS,
      jobKey: HEARTBEAT_TASK,
      jobKeyMode: 'replace',
      maxAttempts: 1,
    },
  },
});
