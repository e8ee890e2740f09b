import type { ScheduledJobName } from '@medora/schema';
import { cleanupFiles } from '../files/cleanup';
import type { Services } from '../runtime';
import { cleanupSessions } from '../sessions/cleanup';
import { expireSubscriptions } from '../subscriptions/expiry';
import { warnExpiring } from '../subscriptions/warn';
import { recordHeartbeat } from '../system/index';
import { rolloverUsage } from '../usage/rollover';
import { pruneJobRuns, recordJobRun, type JobResult } from './runs';

export interface ScheduledRunContext {
  /** Who runs it: the worker's id, or `cli`. */
  workerId: string;
}

type Run = (services: Services, ctx: ScheduledRunContext) => Promise<JobResult>;

/**
 * What each scheduled task does, once, for both callers: the worker's task (on its crontab) and
 * `npm run cli -- jobs:run <task>` (on demand). Each is idempotent, so a run on demand beside a
 * scheduled one changes nothing twice.
 */
export const scheduledJobRuns: Record<ScheduledJobName, Run> = {
  system__heartbeat: async (services, { workerId }) => {
    await recordHeartbeat(services.db, { workerId, version: services.config.version });
    return { affected: 1 };
  },
  session__cleanup: async ({ db }) => {
    const deleted = await cleanupSessions(db);
    // The job-run history is pruned here too: one daily housekeeping run for both.
    const jobRunsPruned = await pruneJobRuns(db);
    return { affected: deleted, meta: { jobRunsPruned } };
  },
  subscription__expire: async ({ db }) => {
    const { expired, notified } = await expireSubscriptions(db);
    return { affected: expired, meta: { notified } };
  },
  subscription__warn: async ({ db }) => {
    const { due, notified } = await warnExpiring(db);
    return { affected: notified, meta: { due } };
  },
  usage__rollover: async ({ db }) => ({ affected: await rolloverUsage(db) }),
  file__cleanup: async ({ db, storage, logger }) => {
    const { deleted, removed, orphaned } = await cleanupFiles({ db, storage, logger });
    // Staging files left by a crash mid-upload go too (a day old is long dead).
    const staged = await storage.sweepStaging(86_400_000);
    return { affected: deleted, meta: { removed, orphaned, staged } };
  },
};

export const isScheduledJob = (name: string): name is ScheduledJobName =>
  Object.hasOwn(scheduledJobRuns, name);

/** Runs a scheduled task once now and records the run (job_runs, metrics, log). */
export function runScheduledJob(
  services: Services,
  task: ScheduledJobName,
  opts: { jobId?: string | null; workerId?: string } = {},
): Promise<JobResult> {
  return recordJobRun(services, task, opts.jobId ?? null, () =>
    scheduledJobRuns[task](services, { workerId: opts.workerId ?? 'cli' }),
  );
}
