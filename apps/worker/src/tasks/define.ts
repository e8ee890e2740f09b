import {
  recordJobRun,
  scheduledJobRuns,
  type JobResult,
  type Logger,
  type Services,
} from '@medora/core';
import {
  jobPayloads,
  jobSchedules,
  type JobName,
  type JobPayload,
  type ScheduledJobName,
} from '@medora/schema';
import type { CronItem, CronItemOptions, Job, TaskList } from 'graphile-worker';

/** What a task's handler gets besides its payload. */
export interface TaskContext {
  /** The same services the server builds: tasks call these, they hold no SQL of their own. */
  services: Services;
  /** The worker's logger, bound to this task and job. */
  logger: Logger;
  job: Job;
  /** This worker's id (`hostname:pid`), as its heartbeat row names it. */
  workerId: string;
}

export interface TaskDefinition<N extends JobName = JobName> {
  name: N;
  /** The payload schema from the shared job map: the same one `addJob` parses with. */
  payload: (typeof jobPayloads)[N];
  /** A scheduled task returns what it changed; that goes into its job_runs row. */
  handler(payload: JobPayload<N>, ctx: TaskContext): Promise<JobResult | void>;
  /**
   * Scheduled runs: a crontab `match` (UTC) and Graphile Worker's options. Graphile Worker makes
   * each run happen once across all workers; `backfillPeriod` replays runs missed while every
   * worker was down, and a `jobKey` collapses those replays (and any duplicate) into one job.
   */
  cron?: { match: string; options?: CronItemOptions };
  /**
   * Whether each run leaves a job_runs row, metrics and a log line (see recordJobRun). On by
   * default for scheduled tasks; the heartbeat turns it off (its own row every minute is its
   * record, and a job_runs row a minute would be noise).
   */
  record?: boolean;
}

/** Any one task, whatever its name (a union, so each handler keeps its own payload type). */
export type AnyTaskDefinition = { [N in JobName]: TaskDefinition<N> }[JobName];

/** Defines a task once; its payload schema is looked up by name, never written twice. */
export function defineTask<N extends JobName>(
  def: Omit<TaskDefinition<N>, 'payload'>,
): TaskDefinition<N> {
  return { ...def, payload: jobPayloads[def.name] };
}

/**
 * A scheduled task: the run is core's (`scheduledJobRuns`, the same one `jobs:run` calls), the
 * schedule is the shared crontab (`jobSchedules`); the worker adds Graphile's options only.
 */
export function defineScheduledTask<N extends ScheduledJobName>(
  name: N,
  options: CronItemOptions,
  extra: { record?: boolean } = {},
): TaskDefinition<N> {
  return defineTask<N>({
    name,
    handler: (_payload, { services, workerId }) => scheduledJobRuns[name](services, { workerId }),
    cron: { match: jobSchedules[name], options },
    ...extra,
  });
}

export interface TaskDeps {
  services: Services;
  workerId: string;
}

function toTask<N extends JobName>(def: TaskDefinition<N>, deps: TaskDeps): TaskList[string] {
  return async (raw, helpers) => {
    // A payload written by hand or by an older release is checked here, before any work.
    const payload = def.payload.parse(raw) as JobPayload<N>;
    const logger = deps.services.logger.child({ task: def.name, jobId: helpers.job.id });
    const ctx = { services: deps.services, logger, job: helpers.job, workerId: deps.workerId };
    if (!(def.record ?? Boolean(def.cron))) {
      await def.handler(payload, ctx);
      return;
    }
    await recordJobRun(
      { db: deps.services.db, jobMetrics: deps.services.jobMetrics, logger },
      def.name,
      String(helpers.job.id),
      async () => (await def.handler(payload, ctx)) ?? { affected: 0 },
    );
  };
}

/** Graphile Worker's task list, by name, from the definitions. */
export function taskListOf(defs: readonly AnyTaskDefinition[], deps: TaskDeps): TaskList {
  return Object.fromEntries(defs.map((def) => [def.name, toTask(def as TaskDefinition, deps)]));
}

/** The crontab, from the same definitions: one item per task with a schedule. */
export function cronItemsOf(defs: readonly AnyTaskDefinition[]): CronItem[] {
  return defs.flatMap((def) =>
    def.cron
      ? [{ task: def.name, identifier: def.name, match: def.cron.match, options: def.cron.options }]
      : [],
  );
}
