import { sql } from 'kysely';
import type { Executor } from '../db';
import { periodOf } from './queries';

/**
 * Closes every usage counter of a month before the current Tashkent month (`closed_at` := now),
 * in one statement: idempotent (closed rows are left alone) and catching up after any downtime
 * (every past month closes at once). The new month needs nothing: its row is created by the
 * first analysis (takeUnit), and until then the month's count reads 0. Limits never depend on
 * this job: they read the current month's row only. `now` is a parameter so tests can stand on
 * either side of a month boundary; the job passes the database clock.
 */
export async function rolloverUsage(db: Executor, now?: Date): Promise<number> {
  const at = now ? sql`${now}::timestamptz` : sql`now()`;
  const result = await sql`
    update usage_counters set closed_at = ${at}
    where closed_at is null
      and period_start < ${periodOf(now)}`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}
