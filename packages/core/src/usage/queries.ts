import { sql } from 'kysely';
import type { Executor, Trx } from '../db';
import type { TenantScope } from '../scope';

// The monthly analysis counters. A usage period is a calendar month in Asia/Tashkent, computed
// by PostgreSQL from its own clock so every server and worker agree on where a month ends.

const TZ = 'Asia/Tashkent';
/**
 * The first day of the Tashkent month `at` falls in (the database's clock when unset; tests and
 * the rollover pass an instant to stand on either side of a month boundary).
 */
export const periodOf = (at?: Date) =>
  sql<string>`date_trunc('month', ${at ? sql`${at}::timestamptz` : sql`now()`} at time zone ${TZ})::date`;
/** The first day of the current month in Tashkent. */
const currentPeriod = periodOf();
/** The instant a period (a first-of-month date) ends, as a timestamptz. */
const periodEnd = (period: ReturnType<typeof sql.ref> | typeof currentPeriod) =>
  sql<Date>`((${period} + interval '1 month')::timestamp at time zone ${TZ})`;

export interface Usage {
  used: number;
  periodStart: string;
  resetsAt: Date;
}

/**
 * Takes one unit of this month's allowance in one statement: the row is created at 1, or raised
 * by 1 only while below `limit` (null = unlimited). Concurrent takers queue on the row lock and
 * each re-checks the limit against the committed count, so with one unit left exactly one
 * succeeds. Null when the limit is reached.
 */
export async function takeUnit(
  trx: Trx,
  scope: TenantScope,
  limit: number | null,
  /** The instant the unit is taken at; the database's clock when unset (tests pin it). */
  at?: Date,
): Promise<Usage | null> {
  const { rows } = await sql<{ used: number; period_start: string; resets_at: Date }>`
    insert into usage_counters as c (workspace_id, period_start, analyses_used)
    values (${scope.workspaceId}, ${periodOf(at)}, 1)
    on conflict (workspace_id, period_start) do update
      set analyses_used = c.analyses_used + 1
      where ${limit}::int is null or c.analyses_used < ${limit}::int
    returning c.analyses_used as used, c.period_start::text as period_start,
      ${periodEnd(sql.ref('c.period_start'))} as resets_at`.execute(trx);
  const row = rows[0];
  return row ? { used: row.used, periodStart: row.period_start, resetsAt: row.resets_at } : null;
}

/** This month's count (0 before the first analysis of the month). */
export async function currentUsage(db: Executor, scope: TenantScope): Promise<Usage> {
  const { rows } = await sql<{ used: number; period_start: string; resets_at: Date }>`
    select coalesce(
        (select analyses_used from usage_counters
         where workspace_id = ${scope.workspaceId} and period_start = ${currentPeriod}), 0) as used,
      ${currentPeriod}::text as period_start, ${periodEnd(currentPeriod)} as resets_at`.execute(db);
  const row = rows[0]!;
  return { used: row.used, periodStart: row.period_start, resetsAt: row.resets_at };
}

/** Gives one unit back to the month it was taken from (an analysis that finally failed). */
export async function refundUnit(trx: Trx, workspaceId: string, period: string): Promise<void> {
  await trx
    .updateTable('usage_counters')
    .set((eb) => ({ analyses_used: eb('analyses_used', '-', 1) }))
    .where('workspace_id', '=', workspaceId)
    .where('period_start', '=', period)
    .where('analyses_used', '>', 0)
    .execute();
}

export interface Allowance {
  /** Trialing or active, and before the trial's or the period's end. */
  usable: boolean;
  /** The plan's monthly analysis limit; null = unlimited. */
  limit: number | null;
}

/** Whether the workspace may create analyses now, and its plan's monthly limit. */
export async function allowanceOf(db: Executor, scope: TenantScope): Promise<Allowance> {
  const row = await db
    .selectFrom('workspaces as w')
    .innerJoin('plans as p', 'p.id', 'w.plan_id')
    .select([
      'p.max_analyses_per_month as limit',
      sql<boolean>`coalesce((w.subscription_status = 'trialing' and w.trial_ends_at > now())
        or (w.subscription_status = 'active' and w.current_period_end > now()), false)`.as(
        'usable',
      ),
    ])
    .where('w.id', '=', scope.workspaceId)
    .executeTakeFirstOrThrow();
  return { usable: row.usable, limit: row.limit };
}
