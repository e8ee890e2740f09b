import { sql } from 'kysely';
import type { Executor, RowUpdate, Trx } from '../db';

// Plans are global data (no tenant): every doctor reads the same list, admins edit it.

export const PLAN_COLUMNS = [
  'p.id',
  'p.code',
  'p.name_uz',
  'p.name_ru',
  'p.name_en',
  'p.price_tiyin',
  'p.duration_days',
  'p.max_analyses_per_month',
  'p.storage_quota_bytes',
  'p.is_trial',
  'p.is_active',
  'p.sort_order',
] as const;

/** The active plans a doctor can pay for, in sort order (the trial is never bought). */
export function purchasablePlans(db: Executor) {
  return db
    .selectFrom('plans as p')
    .select(PLAN_COLUMNS)
    .where('p.is_active', '=', true)
    .where('p.is_trial', '=', false)
    .orderBy('p.sort_order')
    .orderBy('p.code')
    .execute();
}

/** Every plan, archived ones included, with the number of workspaces on each. */
export function allPlans(db: Executor) {
  return db
    .selectFrom('plans as p')
    .select(PLAN_COLUMNS)
    .select(revision.as('revision'))
    .select((eb) =>
      eb
        .selectFrom('workspaces as w')
        .whereRef('w.plan_id', '=', 'p.id')
        .select(sql<number>`count(*)::int`.as('n'))
        .as('workspaces'),
    )
    .orderBy('p.sort_order')
    .orderBy('p.code')
    .execute();
}

/** A plan's revision: its last change in microseconds since the epoch, as digits. */
const revision = sql<string>`(extract(epoch from p.updated_at) * 1000000)::bigint::text`;

export function findPlan(db: Executor, id: string) {
  return db
    .selectFrom('plans as p')
    .select(PLAN_COLUMNS)
    .select(revision.as('revision'))
    .where('p.id', '=', id)
    .executeTakeFirstOrThrow();
}

export function insertPlan(
  trx: Trx,
  plan: {
    code: string;
    name_uz: string;
    name_ru: string;
    name_en: string;
    price_tiyin: number;
    duration_days: number;
    max_analyses_per_month: number | null;
    storage_quota_bytes: number;
    sort_order: number;
  },
) {
  return trx
    .insertInto('plans')
    .values({ ...plan, is_trial: false, is_active: true })
    .returning('id')
    .executeTakeFirstOrThrow();
}

/** The whole plan row, locked for the rest of the transaction (an edit's audit compares it). */
export function lockPlanRow(trx: Trx, id: string) {
  return trx
    .selectFrom('plans as p')
    .selectAll()
    .select(revision.as('revision'))
    .where('id', '=', id)
    .forNoKeyUpdate()
    .executeTakeFirst();
}

/**
 * Changes the given columns and bumps `updated_at` (the revision): always forward, even for
 * two edits in one microsecond or a clock that went back. Undefined when there is no such plan.
 */
export function updatePlan(trx: Trx, id: string, changes: RowUpdate<'plans'>) {
  return trx
    .updateTable('plans')
    .set({
      ...changes,
      updated_at: sql<Date>`greatest(now(), updated_at + interval '1 microsecond')`,
    })
    .where('id', '=', id)
    .returning(['id', 'is_trial'])
    .executeTakeFirst();
}

/** The plan row locked for the rest of the transaction (archive checks it is not the trial). */
export function lockPlan(trx: Trx, id: string) {
  return trx
    .selectFrom('plans')
    .select(['id', 'code', 'is_trial', 'is_active'])
    .where('id', '=', id)
    .forNoKeyUpdate()
    .executeTakeFirst();
}
