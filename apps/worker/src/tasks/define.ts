import type { Logger, Services } from '@medora/core';
import { jobPayloads, type JobName, type JobPayload } from '@medora/schema';
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
  handler(payload: JobPayload<N>, ctx: TaskContext): Promise<void>;
  /**
   * Scheduled runs: a crontab `match` (UTC) and Graphile Worker's options. Graphile Worker makes
   * each run happen once across all workers; `backfillPeriod` replays runs missed while every
   * worker was down, and a `jobKey` collapses those replays (and any duplicate) into one job.
   */
  cron?: { match: string; options?: CronItemOptions };
}

/** Any one task, whatever its name (a union, so each handler keeps its own payload type). */
export type AnyTaskDefinition = { [N in JobName]: TaskDefinition<N> }[JobName];

/** Defines a task once; its payload schema is looked up by name, never written twice. */
export function defineTask<N extends JobName>(
  def: Omit<TaskDefinition<N>, 'payload'>,
): TaskDefinition<N> {
  return { ...def, payload: jobPayloads[def.name] };
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
    await def.handler(payload, {
      services: deps.services,
      logger,
      job: helpers.job,
      workerId: deps.workerId,
    });
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
