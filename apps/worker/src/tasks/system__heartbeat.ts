import { defineScheduledTask } from './define';

export const HEARTBEAT_TASK = 'system__heartbeat';
const MINUTE_MS = 60_000;

/** Every minute: this worker is alive (the detailed health check reads the newest beat). */
export const heartbeatTask = defineScheduledTask(
  HEARTBEAT_TASK,
  { backfillPeriod: 5 * MINUTE_MS, jobKey: HEARTBEAT_TASK, jobKeyMode: 'replace', maxAttempts: 1 },
  // Its heartbeat row is its record; a job_runs row a minute would be noise.
  { record: false },
);
