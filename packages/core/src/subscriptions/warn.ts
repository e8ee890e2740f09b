import { sql } from 'kysely';
import type { Executor } from '../db';
import { deliveryJobsOf } from '../jobs/index';

export interface WarnResult {
  /** Workspaces inside a warning window (0–1 day or 1–3 days before the end). */
  due: number;
  /** Owner notifications added (a re-run adds none: the dedupe key holds the end and the window). */
  notified: number;
}

/**
 * Warns the owners of every trialing or active workspace whose access ends within 3 days, in ONE
 * statement (served by workspaces_access_due_idx: its cost follows the number due). The window
 * is read from the time left when the job runs, not from the calendar, so a late or repeated run
 * is harmless:
 * - more than 1 and at most 3 days left → the 3-day warning;
 * - at most 1 day left → the 1-day warning (also to one that never got the 3-day one).
 * Each (workspace, end time, window) notifies once ever: the dedupe key
 * `subscription_expiring:<workspace>:<end epoch ms>:<3|1>` holds all three, so a workspace that
 * got its 3-day warning and is now 2 days out gets nothing new, and paying (a new end) starts
 * over. Notifications and their delivery jobs are written in the same statement, the way
 * notify() writes them. `now` is a parameter for tests; the job passes the database clock.
 */
export async function warnExpiring(db: Executor, now?: Date): Promise<WarnResult> {
  const at = now ? sql`${now}::timestamptz` : sql`now()`;
  const { rows } = await sql<{ due: number; notified: number }>`
    with due as (
      select id, access_ends_at as ends_at,
        case when access_ends_at <= ${at} + interval '1 day' then 1 else 3 end as days_left
      from workspaces
      where subscription_status in ('trialing', 'active')
        and access_ends_at > ${at} and access_ends_at <= ${at} + interval '3 days'
    ), noted as (
      insert into notifications (user_id, workspace_id, kind, params, dedupe_key)
      select m.user_id, d.id, 'subscription_expiring',
        -- endsAt as JavaScript writes ISO instants (UTC, milliseconds, Z), whatever the session zone.
        jsonb_build_object('endsAt', to_char(d.ends_at at time zone 'UTC',
          'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), 'daysLeft', d.days_left),
        'subscription_expiring:' || d.id || ':'
          || floor(extract(epoch from d.ends_at) * 1000)::bigint || ':' || d.days_left
      from due d join workspace_members m on m.workspace_id = d.id and m.role = 'owner'
      on conflict (user_id, dedupe_key) do nothing
      returning id
    ), jobs as (
      select id from ${deliveryJobsOf('noted')}
    )
    select (select count(*) from due)::int as due,
      (select count(*) from jobs)::int as notified`.execute(db);
  return rows[0]!;
}
