import { Counter, Histogram, Registry } from 'prom-client';
import { sql } from 'kysely';
import type { Executor } from '../db';
import type { Logger } from '../logger';

/** What a scheduled job's run reports: how many things it changed, and a few figures more. */
export interface JobResult {
  affected: number;
  meta?: Record<string, string | number | boolean | null>;
}

/**
 * The job metrics of one process (the worker, or a CLI run): a run counter by task and outcome
 * and a duration histogram. One registry per Services, so tests that build several never collide.
 */
export class JobMetrics {
  readonly registry = new Registry();
  readonly runs = new Counter({
    name: 'medora_job_runs_total',
    help: 'Scheduled job runs by task and outcome',
    labelNames: ['task', 'outcome'] as const,
    registers: [this.registry],
  });
  readonly duration = new Histogram({
    name: 'medora_job_run_duration_seconds',
    help: 'Scheduled job run duration by task and outcome',
    labelNames: ['task', 'outcome'] as const,
    buckets: [0.01, 0.05, 0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
    registers: [this.registry],
  });
}

/** job_runs.error holds at most this many characters (a CHECK says so too). */
export const JOB_ERROR_MAX = 500;

export interface RecordDeps {
  db: Executor;
  logger: Logger;
  jobMetrics: JobMetrics;
}

/**
 * Runs one scheduled job and leaves its record: a `job_runs` row, the metrics and a log line, on
 * success and on failure alike. A failure is rethrown after it is recorded, so Graphile Worker
 * still retries it (and a CLI run still exits non-zero). `jobId` is the queue's job id, null for
 * a run on demand.
 */
export async function recordJobRun(
  deps: RecordDeps,
  task: string,
  jobId: string | null,
  run: () => Promise<JobResult>,
): Promise<JobResult> {
  const startedAt = new Date();
  let result: JobResult | undefined;
  let failure: Error | undefined;
  try {
    result = await run();
  } catch (err) {
    failure =
      err instanceof Error ? err : new Error(typeof err === 'string' ? err : 'non-error thrown');
  }
  const finishedAt = new Date();
  const outcome = failure === undefined ? 'success' : 'failure';
  const seconds = (finishedAt.getTime() - startedAt.getTime()) / 1000;
  deps.jobMetrics.runs.inc({ task, outcome });
  deps.jobMetrics.duration.observe({ task, outcome }, seconds);
  const error = failure ? failure.message.slice(0, JOB_ERROR_MAX) || failure.name : null;
  try {
    await deps.db
      .insertInto('job_runs')
      .values({
        task,
        job_id: jobId,
        started_at: startedAt,
        finished_at: finishedAt,
        outcome,
        affected: result?.affected ?? null,
        error,
        meta: sql`${JSON.stringify(result?.meta ?? {})}::jsonb`,
      })
      .execute();
  } catch (err) {
    // The record must not turn a done job into a retried one (or hide the real failure).
    deps.logger.error({ err, task, jobId }, 'could not record the job run');
  }
  if (failure !== undefined) {
    deps.logger.error({ err: failure, task, jobId, seconds }, `job ${task} failed`);
    throw failure;
  }
  // A run that changed nothing (most runs of the 15-minute expiry) is a debug line: info stays
  // readable, and job_runs and the metrics hold every run anyway.
  deps.logger[result!.affected > 0 ? 'info' : 'debug'](
    { task, jobId, seconds, affected: result!.affected, meta: result!.meta },
    `job ${task}: ${result!.affected} affected`,
  );
  return result!;
}

/** How long job_runs rows stay (the admin console shows the last run; history is for support). */
export const JOB_RUN_RETENTION_DAYS = 90;

/** Deletes job_runs rows older than the retention period; returns how many went. */
export async function pruneJobRuns(
  db: Executor,
  retentionDays = JOB_RUN_RETENTION_DAYS,
  now?: Date,
): Promise<number> {
  const at = now ? sql`${now}::timestamptz` : sql`now()`;
  const result = await db
    .deleteFrom('job_runs')
    .where('started_at', '<', sql<Date>`${at} - make_interval(days => ${retentionDays})`)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
