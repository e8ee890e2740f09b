import { sql } from 'kysely';
import type { Executor } from '../db';
import { deliveryJobsOf } from '../jobs/index';
import { NOTIFICATION_TIME_ZONE } from '../notifications/texts';

export interface WarnResult {
  /** Workspaces inside a warning window (0–3 Tashkent calendar days before the end day). */
  due: number;
  /** Owner notifications added (a re-run adds none: the dedupe key holds the end and the window). */
  notified: number;
}

/**
 * Warns the owners of every trialing or active workspace whose access ends within 3 Tashkent
 * calendar days, in ONE statement (served by workspaces_access_due_idx: the scan is bounded to
 * ends between the run and 4 days later, so its cost follows the number due). The window is read
 * from calendar days on the doctor's clock (Asia/Tashkent, as the texts word dates), not from the
 * hours left: days_left = (the end's Tashkent date) − (the run's Tashkent date).
 * - days_left 3 → the 3-day warning; 2 → the same 3-day warning if it was missed (a late or
 *   skipped run; the dedupe key stops a second one for a workspace that already got it);
 * - days_left 1 or 0 (the end is tomorrow, or later today) → the 1-day warning (also to one that
 *   never got the 3-day one), never the 3-day one.
 * Every end still in the future is a candidate, so a late or repeated run is harmless. The texts
 * name the end's date (and for the 1-day warning its time), so they are true on any of those days.
 * Each (workspace, end time, window) notifies once ever: the dedupe key
 * `subscription_expiring:<workspace>:<end epoch ms>:<3|1>` holds all three, and paying (a new end)
 * starts over. Notifications and their delivery jobs are written in the same statement, the way
 * notify() writes them. `now` is a parameter for tests; the job passes the database clock.
 */
export async function warnExpiring(db: Executor, now?: Date): Promise<WarnResult> {
  const at = now ? sql`${now}::timestamptz` : sql`now()`;
  const { rows } = await sql<{ due: number; notified: number }>`
    with near as (
      select id, access_ends_at as ends_at,
        (access_ends_at at time zone ${NOTIFICATION_TIME_ZONE})::date
          - (${at} at time zone ${NOTIFICATION_TIME_ZONE})::date as calendar_days
      from workspaces
      where subscription_status in ('trialing', 'active')
        -- 96 hours, not '4 days': a day interval would follow the session zone's clock changes.
        and access_ends_at > ${at} and access_ends_at < ${at} + interval '96 hours'
    ), due as (
      select id, ends_at, case when calendar_days <= 1 then 1 else 3 end as days_left
      from near where calendar_days <= 3
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
