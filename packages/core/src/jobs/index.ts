import { jobPayloads, toFieldErrors, type JobName, type JobPayloadInput } from '@medora/schema';
import { sql } from 'kysely';
import type { Executor } from '../db';
import { AppError } from '../errors';

export interface AddJobOptions {
  /** When the job may run; now when unset. */
  runAt?: Date;
  maxAttempts?: number;
  /** At most one pending job per key; see `jobKeyMode` for what a second add does. */
  jobKey?: string;
  jobKeyMode?: 'replace' | 'preserve_run_at' | 'unsafe_dedupe';
  /** Lower runs first (Graphile Worker's default is 0). */
  priority?: number;
  /** Jobs of one queue run one at a time, in order. */
  queueName?: string;
}

export interface EnqueuedJob {
  id: string;
  task: JobName;
  runAt: Date;
}

/**
 * Enqueues a background job through `graphile_worker.add_job` on the given executor. Pass the
 * transaction that makes the business write, and the job exists exactly when that write commits
 * (the worker is notified at commit). The payload is parsed with the task's schema first: a bad
 * one is refused with VALIDATION_FAILED and nothing is written.
 */
export async function addJob<N extends JobName>(
  executor: Executor,
  name: N,
  payload: JobPayloadInput<N>,
  options: AddJobOptions = {},
): Promise<EnqueuedJob> {
  const schema = (jobPayloads as Partial<Record<string, (typeof jobPayloads)[JobName]>>)[name];
  if (!schema) throw new Error(`unknown job: ${name}`);
  const parsed = schema.safeParse(payload);
  if (!parsed.success) {
    throw new AppError('BAD_REQUEST', 'VALIDATION_FAILED', {
      fieldErrors: toFieldErrors(parsed.error.issues),
    });
  }
  const { rows } = await sql<{ id: string; run_at: Date }>`
    select id::text as id, run_at from graphile_worker.add_job(
      identifier => ${name}::text,
      payload => ${JSON.stringify(parsed.data)}::json,
      queue_name => ${options.queueName ?? null}::text,
      run_at => ${options.runAt ?? null}::timestamptz,
      max_attempts => ${options.maxAttempts ?? null}::int,
      job_key => ${options.jobKey ?? null}::text,
      priority => ${options.priority ?? null}::int,
      job_key_mode => ${options.jobKeyMode ?? null}::text
    )`.execute(executor);
  const row = rows[0]!;
  return { id: row.id, task: name, runAt: new Date(row.run_at) };
}

/**
 * Graphile Worker retries a failed delivery with exponential backoff (about exp(attempt) seconds:
 * the 8th try comes roughly two hours after the first), then leaves the job failed.
 */
export const NOTIFICATION_DELIVERY_MAX_ATTEMPTS = 8;

/**
 * For set-based statements: enqueues `notification__deliver` for every row of the CTE named
 * `notes` (a column `id`), in ONE graphile_worker.add_jobs call, and yields a `count(*)`-able
 * set of the new jobs. One call instead of one add_job per row keeps a 100,000-row expiry run
 * within seconds (add_job is add_jobs of one, with its own inserts each time). The jobs are
 * the ones notify() enqueues: same task, payload and attempts.
 */
export const deliveryJobsOf = (notes: string) => sql`
  graphile_worker.add_jobs(coalesce(
    (select array_agg(row('notification__deliver', json_build_object('notificationId', n.id),
        null, null, ${NOTIFICATION_DELIVERY_MAX_ATTEMPTS}::smallint, null, null, null)::graphile_worker.job_spec)
     from ${sql.table(notes)} n),
    '{}'))`;
