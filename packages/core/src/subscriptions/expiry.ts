import { sql } from 'kysely';
import type { Executor } from '../db';
import { deliveryJobsOf } from '../jobs/index';

export interface ExpiryResult {
  /** Workspaces moved to expired by this run. */
  expired: number;
  /** Owner notifications added (a re-run adds none: the dedupe key holds the end time). */
  notified: number;
}

/**
 * Moves every trialing or active workspace whose access has ended (`access_ends_at <= now`) to
 * expired, in ONE statement: the update (served by the partial index workspaces_access_due_idx,
 * so its cost follows the number due), one system audit row and one notification per owner of
 * each expired workspace, and the notification's delivery job. All of it commits or none of it
 * does, so a crash half-way leaves nothing to do twice, and a re-run finds nothing due.
 * `now` is a parameter so tests can pin the boundary instant; the job passes the database clock.
 */
export async function expireSubscriptions(db: Executor, now?: Date): Promise<ExpiryResult> {
  const at = now ? sql`${now}::timestamptz` : sql`now()`;
  const { rows } = await sql<{ expired: number; notified: number }>`
    with due as (
      select id, access_ends_at as ended_at, subscription_status as was from workspaces
      where subscription_status in ('trialing', 'active') and access_ends_at <= ${at}
      for no key update skip locked
    ), expired as (
      update workspaces w set subscription_status = 'expired', updated_at = ${at}
      from due where w.id = due.id
      returning w.id, due.ended_at, due.was
    ), audited as (
      insert into audit_log (action, outcome, actor_role, workspace_id, entity_type, entity_id, meta)
      select 'subscription.expire', 'success', 'system', e.id, 'workspace', e.id::text,
        jsonb_build_object('from', e.was, 'endedAt', to_json(e.ended_at))
      from expired e
    ), noted as (
      insert into notifications (user_id, workspace_id, kind, params, dedupe_key)
      select m.user_id, e.id, 'subscription_expired',
        jsonb_build_object('endedAt', to_json(e.ended_at)),
        'subscription_expired:' || e.id || ':' || to_char(e.ended_at at time zone 'UTC',
          'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
      from expired e join workspace_members m on m.workspace_id = e.id and m.role = 'owner'
      on conflict (user_id, dedupe_key) do nothing
      returning id
    ), jobs as (
      select id from ${deliveryJobsOf('noted')}
    )
    select (select count(*) from expired)::int as expired,
      (select count(*) from jobs)::int as notified`.execute(db);
  return rows[0]!;
}
