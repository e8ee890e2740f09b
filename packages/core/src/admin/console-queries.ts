import type { AdminAuditListInput, AdminUserStatus, SubscriptionStatus } from '@medora/schema';
import { sql } from 'kysely';
import type { Executor } from '../db';

// The admin console's reads. Admins see every workspace, so none of these take a tenant scope;
// they never select patient names or clinical data. Months and days are Asia/Tashkent's,
// computed by PostgreSQL from its own clock (as usage/queries.ts does).

const TZ = 'Asia/Tashkent';

export interface OverviewCounts {
  doctors: number;
  trialing: number;
  active: number;
  expired: number;
  pending_payments: number;
  revenue_this_month: string;
}

/** One statement for the counts; a trialing/active workspace past its end already counts as expired. */
export async function overviewCounts(db: Executor): Promise<OverviewCounts> {
  const { rows } = await sql<OverviewCounts>`
    with w as (
      select
        count(*) filter (where subscription_status = 'trialing'
          and (access_ends_at is null or access_ends_at > now()))::int as trialing,
        count(*) filter (where subscription_status = 'active'
          and (access_ends_at is null or access_ends_at > now()))::int as active,
        count(*) filter (where subscription_status = 'expired'
          or (subscription_status in ('trialing', 'active') and access_ends_at <= now()))::int
          as expired
      from workspaces)
    select
      (select count(*)::int from users where role = 'doctor') as doctors,
      w.trialing, w.active, w.expired,
      (select count(*)::int from payments where status = 'pending') as pending_payments,
      (select coalesce(sum(amount_tiyin), 0)::text from payments
        where status = 'approved'
          and reviewed_at >= (date_trunc('month', now() at time zone ${TZ}) at time zone ${TZ})
      ) as revenue_this_month
    from w`.execute(db);
  return rows[0]!;
}

/** Approved revenue per Tashkent month for the last 12 months (this one included), zero-filled. */
export async function revenueByMonth(db: Executor): Promise<{ month: string; amount: string }[]> {
  const { rows } = await sql<{ month: string; amount: string }>`
    with months as (
      select generate_series(
        date_trunc('month', now() at time zone ${TZ}) - interval '11 months',
        date_trunc('month', now() at time zone ${TZ}),
        interval '1 month') as m)
    select to_char(months.m, 'YYYY-MM') as month,
      coalesce((select sum(p.amount_tiyin) from payments p
        where p.status = 'approved'
          and p.reviewed_at >= (months.m at time zone ${TZ})
          and p.reviewed_at < ((months.m + interval '1 month') at time zone ${TZ})), 0)::text
        as amount
    from months order by months.m`.execute(db);
  return rows;
}

/** Analyses created per Tashkent day for the last 30 days (today included), zero-filled. */
export async function analysesPerDay(db: Executor): Promise<{ day: string; count: number }[]> {
  const { rows } = await sql<{ day: string; count: number }>`
    with days as (
      select generate_series(
        date_trunc('day', now() at time zone ${TZ}) - interval '29 days',
        date_trunc('day', now() at time zone ${TZ}),
        interval '1 day') as d),
    counted as (
      select date_trunc('day', created_at at time zone ${TZ}) as d, count(*)::int as n
      from analyses
      where created_at >= ((date_trunc('day', now() at time zone ${TZ}) - interval '29 days')
        at time zone ${TZ})
      group by 1)
    select to_char(days.d, 'YYYY-MM-DD') as day, coalesce(counted.n, 0) as count
    from days left join counted on counted.d = days.d order by days.d`.execute(db);
  return rows;
}

/** A user row with their (first owned) workspace and its plan. */
function usersWithWorkspace(db: Executor) {
  return db
    .selectFrom('users as u')
    .leftJoin('workspace_members as m', (j) =>
      j.onRef('m.user_id', '=', 'u.id').on('m.role', '=', 'owner'),
    )
    .leftJoin('workspaces as w', 'w.id', 'm.workspace_id')
    .leftJoin('plans as p', 'p.id', 'w.plan_id')
    .select([
      'u.id',
      'u.name',
      'u.phone',
      'u.role',
      'u.is_active',
      'u.created_at',
      'u.last_login_at',
      'u.email',
      'u.locale',
      'w.id as workspace_id',
      'w.name as workspace_name',
      'w.subscription_status',
      'w.access_ends_at',
      'p.code as plan_code',
      'p.name_uz',
      'p.name_ru',
      'p.name_en',
    ]);
}
export type UserWithWorkspace = Awaited<
  ReturnType<ReturnType<typeof usersWithWorkspace>['executeTakeFirstOrThrow']>
>;

/**
 * A page of users, newest first by (created_at, id). `search` matches the name (case-folded
 * substring) or, when it has digits, the phone's digits. A subscription status filter applies
 * the same "past its end is expired" rule as the overview.
 */
export async function listUsers(
  db: Executor,
  opts: {
    search?: string | undefined;
    status?: AdminUserStatus | undefined;
    subscription?: SubscriptionStatus | undefined;
    after?: { createdAt: string; id: string } | undefined;
    limit: number;
  },
): Promise<(UserWithWorkspace & { created_at_text: string })[]> {
  let q = usersWithWorkspace(db).select(sql<string>`u.created_at::text`.as('created_at_text'));
  const search = opts.search?.trim();
  if (search) {
    const digits = search.replace(/\D/g, '');
    const like = `%${search.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    q = q.where((eb) =>
      eb.or([
        eb(sql`lower(u.name)`, 'like', like),
        ...(digits.length >= 3 ? [eb('u.phone', 'like', `%${digits}%`)] : []),
      ]),
    );
  }
  if (opts.status) q = q.where('u.is_active', '=', opts.status === 'active');
  const due = sql<boolean>`(w.access_ends_at is not null and w.access_ends_at <= now())`;
  const sub = opts.subscription;
  if (sub === 'expired') {
    q = q.where((eb) =>
      eb.or([
        eb('w.subscription_status', '=', 'expired'),
        eb.and([eb('w.subscription_status', 'in', ['trialing', 'active']), eb(due, '=', true)]),
      ]),
    );
  } else if (sub === 'canceled') {
    q = q.where('w.subscription_status', '=', sub);
  } else if (sub) {
    q = q.where('w.subscription_status', '=', sub).where(due, '=', false);
  }
  if (opts.after) {
    const { createdAt, id } = opts.after;
    q = q.where(sql<boolean>`(u.created_at, u.id) < (${createdAt}::timestamptz, ${id}::uuid)`);
  }
  return q
    .orderBy('u.created_at', 'desc')
    .orderBy('u.id', 'desc')
    .limit(opts.limit + 1)
    .execute();
}

export function getUser(db: Executor, id: string) {
  return usersWithWorkspace(db).where('u.id', '=', id).executeTakeFirst();
}

/** Counts only, never rows: what the admin may know about a doctor's records. */
export async function workspaceCounts(
  db: Executor,
  workspaceId: string,
): Promise<{ patients: number; analyses: number }> {
  const { rows } = await sql<{ patients: number; analyses: number }>`
    select
      (select count(*)::int from patients where workspace_id = ${workspaceId}) as patients,
      (select count(*)::int from analyses where workspace_id = ${workspaceId}) as analyses`.execute(
    db,
  );
  return rows[0]!;
}

export async function setUserActive(db: Executor, id: string, active: boolean): Promise<boolean> {
  const rows = await db
    .updateTable('users')
    .set({ is_active: active, updated_at: sql`now()` })
    .where('id', '=', id)
    .returning('id')
    .execute();
  return rows.length > 0;
}

/** Revokes every live refresh token of the user; the number of families it ended. */
export async function revokeAllSessions(db: Executor, userId: string): Promise<number> {
  const rows = await db
    .updateTable('sessions')
    .set({ revoked_at: sql`now()`, revoked_reason: 'admin' })
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .returning('family_id')
    .execute();
  return new Set(rows.map((r) => r.family_id)).size;
}

/**
 * A page of the audit trail, newest first by (at, id). Each filter is an equality or range on
 * an indexed column (actor/at, action/at, entity), so the planner can walk an index.
 */
export function listAudit(
  db: Executor,
  filters: Omit<AdminAuditListInput, 'cursor' | 'limit' | 'entity'> & {
    entityType?: string | undefined;
    entityId?: string | undefined;
  },
  after: { at: string; id: number } | undefined,
  limit: number,
) {
  let q = db
    .selectFrom('audit_log')
    .selectAll()
    .select(sql<string>`at::text`.as('at_text'));
  if (filters.actor) q = q.where('actor_user_id', '=', filters.actor);
  if (filters.action) q = q.where('action', '=', filters.action);
  if (filters.entityType) q = q.where('entity_type', '=', filters.entityType);
  if (filters.entityId) q = q.where('entity_id', '=', filters.entityId);
  if (filters.from) q = q.where('at', '>=', filters.from);
  if (filters.to) q = q.where('at', '<=', filters.to);
  if (after) q = q.where(sql<boolean>`(at, id) < (${after.at}::timestamptz, ${after.id}::bigint)`);
  return q
    .orderBy('at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit + 1)
    .execute();
}
