import type { Db } from '@medora/db';
import { jobNames, jobSchedules, type AdminJobsOverview, type JobRunOutcome } from '@medora/schema';
import { sql } from 'kysely';
import type { AuditService } from '../audit/index';
import { AppError } from '../errors';
import type { AdminScope } from '../scope';

/** How much of Graphile Worker's last_error the console shows (a stack can be long). */
const ERROR_SHOWN = 500;
/** Failed jobs listed at most. */
const FAILED_SHOWN = 50;

const schedules: Partial<Record<string, string>> = jobSchedules;

/**
 * The admin console's view of the job queue and the scheduled runs. It reads Graphile Worker's
 * public `graphile_worker.jobs` view (v0.16+): a job is running while locked, permanently failed
 * once its attempts reach max_attempts (Graphile then never picks it up again), queued otherwise
 * (including one waiting for its next retry). The last run per task comes from job_runs.
 */
export class AdminJobsService {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
  ) {}

  async overview(_scope: AdminScope): Promise<AdminJobsOverview> {
    const [counts, lastRuns, failed] = await Promise.all([
      sql<{ task: string; queued: number; running: number; failed: number }>`
        select task_identifier as task,
          count(*) filter (where locked_at is null and attempts < max_attempts)::int as queued,
          count(*) filter (where locked_at is not null)::int as running,
          count(*) filter (where locked_at is null and attempts >= max_attempts)::int as failed
        from graphile_worker.jobs group by task_identifier`.execute(this.db),
      // One index probe per task (job_runs_task_started_idx), not a scan of the history.
      sql<{
        task: string;
        started_at: Date;
        finished_at: Date;
        outcome: JobRunOutcome;
        affected: number | null;
        error: string | null;
      }>`
        select t.task, r.started_at, r.finished_at, r.outcome, r.affected, r.error
        from unnest(${jobNames}::text[]) as t(task)
        cross join lateral (
          select * from job_runs where job_runs.task = t.task order by started_at desc limit 1
        ) r`.execute(this.db),
      sql<{
        id: string;
        task: string;
        attempts: number;
        max_attempts: number;
        last_error: string | null;
        updated_at: Date | null;
      }>`
        select id::text as id, task_identifier as task, attempts, max_attempts,
          left(last_error, ${ERROR_SHOWN}) as last_error, updated_at
        from graphile_worker.jobs
        where locked_at is null and attempts >= max_attempts
        order by updated_at desc, id desc limit ${FAILED_SHOWN}`.execute(this.db),
    ]);
    const byTask = new Map(counts.rows.map((r) => [r.task, r]));
    const runByTask = new Map(lastRuns.rows.map((r) => [r.task, r]));
    // Every task this release knows, then any other the queue holds (an older release's).
    const tasks = [...new Set([...jobNames, ...byTask.keys()])];
    return {
      tasks: tasks.map((task) => {
        const c = byTask.get(task);
        const run = runByTask.get(task);
        return {
          task,
          queued: c?.queued ?? 0,
          running: c?.running ?? 0,
          failed: c?.failed ?? 0,
          schedule: schedules[task] ?? null,
          lastRun: run
            ? {
                startedAt: run.started_at,
                finishedAt: run.finished_at,
                outcome: run.outcome,
                affected: run.affected,
                error: run.error,
              }
            : null,
        };
      }),
      failedJobs: failed.rows.map((j) => ({
        id: j.id,
        task: j.task,
        attempts: j.attempts,
        maxAttempts: j.max_attempts,
        // Only scheduled tasks' errors: theirs name no patient. An analysis or delivery job's
        // error may quote what it worked on, and the console shows no health data.
        lastError: j.task in schedules ? j.last_error : null,
        failedAt: j.updated_at,
      })),
    };
  }

  /**
   * Gives a permanently failed job a fresh set of attempts, to run now
   * (graphile_worker.reschedule_jobs, the documented way). The job row is locked first, so two
   * admins retrying at once reschedule it once: the second finds it no longer failed
   * (JOB_NOT_FAILED). A job that does not exist is NOT_FOUND. Audited either way.
   */
  async retry(scope: AdminScope, jobId: string): Promise<void> {
    const outcome = await this.db.transaction().execute(async (trx) => {
      const { rows } = await sql<{
        task: string;
        attempts: number;
        max_attempts: number;
        locked: boolean;
      }>`
        select t.identifier as task, j.attempts, j.max_attempts, j.locked_at is not null as locked
        from graphile_worker._private_jobs j
        join graphile_worker._private_tasks t on t.id = j.task_id
        where j.id = ${jobId}::bigint
        for update of j`.execute(trx);
      const job = rows[0];
      if (!job) return 'missing' as const;
      const entry = { action: 'admin.job.retry', entityType: 'job', entityId: jobId };
      if (job.locked || job.attempts < job.max_attempts) {
        await this.audit.record(
          scope,
          { ...entry, outcome: 'denied', meta: { task: job.task, reason: 'not_failed' } },
          trx,
        );
        return 'not_failed' as const;
      }
      await sql`select graphile_worker.reschedule_jobs(array[${jobId}::bigint],
        run_at => now(), attempts => 0)`.execute(trx);
      await this.audit.record(
        scope,
        { ...entry, outcome: 'success', meta: { task: job.task, attempts: job.attempts } },
        trx,
      );
      return 'done' as const;
    });
    if (outcome === 'missing') throw new AppError('NOT_FOUND', 'NOT_FOUND');
    if (outcome === 'not_failed') throw new AppError('CONFLICT', 'JOB_NOT_FAILED');
  }
}
