import type { PaymentStatus } from '@medora/schema';
import { sql } from 'kysely';
import type { Executor, Trx } from '../db';
import type { TenantScope } from '../scope';

// The payments ledger. Tenant reads take the caller's TenantScope; the admin's reads and the
// review see every workspace (admins only, the router says so). Times come from PostgreSQL's
// clock, so the server, the worker and the database agree on "now".

const PAYMENT_COLUMNS = [
  'pay.id',
  'pay.workspace_id',
  'pay.provider',
  'pay.amount_tiyin',
  'pay.status',
  'pay.note',
  'pay.rejection_reason',
  'pay.receipt_file_id',
  'pay.created_at',
  'pay.reviewed_at',
  'pay.period_end_after',
  'pay.plan_id',
  'pl.code as plan_code',
  'pl.name_uz as plan_name_uz',
  'pl.name_ru as plan_name_ru',
  'pl.name_en as plan_name_en',
] as const;

function payments(db: Executor) {
  return db
    .selectFrom('payments as pay')
    .innerJoin('plans as pl', 'pl.id', 'pay.plan_id')
    .select(PAYMENT_COLUMNS)
    .select(sql<string>`pay.created_at::text`.as('created_at_text'));
}
export type PaymentRow = Awaited<
  ReturnType<ReturnType<typeof payments>['executeTakeFirstOrThrow']>
>;

type Page<T> = { after?: { createdAt: string; id: string } | undefined; limit: number } & T;

/** Rows after the cursor in newest-first (created_at, id) order; every row without one. */
const after = (a: { createdAt: string; id: string } | undefined) =>
  a
    ? sql<boolean>`(pay.created_at, pay.id) < (${a.createdAt}::timestamptz, ${a.id}::uuid)`
    : sql<boolean>`true`;

/** The workspace's own payments, newest first (one row more than the page, to tell a next). */
export function listWorkspacePayments(db: Executor, scope: TenantScope, page: Page<object>) {
  return payments(db)
    .where('pay.workspace_id', '=', scope.workspaceId)
    .where(after(page.after))
    .orderBy('pay.created_at', 'desc')
    .orderBy('pay.id', 'desc')
    .limit(page.limit + 1)
    .execute();
}

export function pendingPayment(db: Executor, scope: TenantScope) {
  return payments(db)
    .where('pay.workspace_id', '=', scope.workspaceId)
    .where('pay.status', '=', 'pending')
    .executeTakeFirst();
}

/** The plan a doctor asks to pay for, when it can be bought: active and not the trial. */
export function purchasablePlan(db: Executor, planId: string) {
  return db
    .selectFrom('plans')
    .select(['id', 'price_tiyin'])
    .where('id', '=', planId)
    .where('is_active', '=', true)
    .where('is_trial', '=', false)
    .executeTakeFirst();
}

/** A receipt of the caller's workspace that no payment uses yet. */
export function unusedReceipt(db: Executor, scope: TenantScope, fileId: string) {
  return db
    .selectFrom('files as f')
    .select('f.id')
    .where('f.workspace_id', '=', scope.workspaceId)
    .where('f.id', '=', fileId)
    .where('f.purpose', '=', 'receipt')
    .where((eb) =>
      eb.not(
        eb.exists(eb.selectFrom('payments').select('id').whereRef('receipt_file_id', '=', 'f.id')),
      ),
    )
    .executeTakeFirst();
}

export function insertPayment(
  trx: Trx,
  scope: TenantScope & { userId: string },
  p: { planId: string; amountTiyin: number; receiptFileId: string; note: string | null },
) {
  return trx
    .insertInto('payments')
    .values({
      workspace_id: scope.workspaceId,
      plan_id: p.planId,
      provider: 'receipt',
      amount_tiyin: p.amountTiyin,
      receipt_file_id: p.receiptFileId,
      note: p.note,
      submitted_by: scope.userId,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
}

export function findWorkspacePayment(db: Executor, scope: TenantScope, id: string) {
  return payments(db)
    .where('pay.workspace_id', '=', scope.workspaceId)
    .where('pay.id', '=', id)
    .executeTakeFirst();
}

// ---------------------------------------------------------------------------------------------
// Admin

function adminPayments(db: Executor) {
  return payments(db)
    .innerJoin('workspaces as w', 'w.id', 'pay.workspace_id')
    .leftJoin('users as sub', 'sub.id', 'pay.submitted_by')
    .leftJoin('users as rev', 'rev.id', 'pay.reviewed_by')
    .select([
      'w.name as workspace_name',
      'w.subscription_status',
      'w.access_ends_at',
      'sub.id as submitted_by_id',
      'sub.name as submitted_by_name',
      'sub.phone as submitted_by_phone',
      'rev.id as reviewed_by_id',
      'rev.name as reviewed_by_name',
    ]);
}
export type AdminPaymentRow = Awaited<
  ReturnType<ReturnType<typeof adminPayments>['executeTakeFirstOrThrow']>
>;

/** Every workspace's payments, newest first; with a status through (status, created_at, id). */
export function listAllPayments(db: Executor, page: Page<{ status?: PaymentStatus | undefined }>) {
  let q = adminPayments(db);
  if (page.status) q = q.where('pay.status', '=', page.status);
  return q
    .where(after(page.after))
    .orderBy('pay.created_at', 'desc')
    .orderBy('pay.id', 'desc')
    .limit(page.limit + 1)
    .execute();
}

export function findAnyPayment(db: Executor, id: string) {
  return adminPayments(db).where('pay.id', '=', id).executeTakeFirst();
}

/** The workspace's payments made before this one, newest first. */
export function earlierPayments(
  db: Executor,
  workspaceId: string,
  before: { createdAt: string; id: string },
  limit: number,
) {
  return payments(db)
    .where('pay.workspace_id', '=', workspaceId)
    .where(after(before))
    .orderBy('pay.created_at', 'desc')
    .orderBy('pay.id', 'desc')
    .limit(limit)
    .execute();
}

/** The receipt of a payment, for the admin's viewer. */
export function paymentReceipt(db: Executor, paymentId: string) {
  return db
    .selectFrom('payments as pay')
    .innerJoin('files as f', (j) =>
      j.onRef('f.id', '=', 'pay.receipt_file_id').onRef('f.workspace_id', '=', 'pay.workspace_id'),
    )
    .select(['f.id', 'f.name', 'f.mime', 'f.size', 'f.storage_key', 'pay.workspace_id'])
    .where('pay.id', '=', paymentId)
    .executeTakeFirst();
}

/**
 * The payment row locked until the transaction ends. A second reviewer of the same payment
 * waits here and then reads the first one's committed status, so only one review ever applies.
 */
export function lockPayment(trx: Trx, id: string) {
  return trx
    .selectFrom('payments')
    .select(['id', 'workspace_id', 'plan_id', 'status', 'amount_tiyin'])
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
}

/**
 * The workspace row locked until the transaction ends (approvals and extensions queue on it).
 * No key update: the doctor's inserts that reference the workspace need not wait for a review.
 */
export function lockWorkspace(trx: Trx, id: string) {
  return trx
    .selectFrom('workspaces')
    .select(['id', 'subscription_status', 'access_ends_at'])
    .where('id', '=', id)
    .forNoKeyUpdate()
    .executeTakeFirst();
}

/**
 * Puts the workspace on `planId` (when given), active, its period ending `days` after the later
 * of now and its current end (the trial's end while trialing): paying or extending early adds to
 * what is left, never shortens it. The trial's end stays as history (the CHECKs need it only
 * while trialing). `greatest` ignores a null end, so a workspace without one starts from now.
 * Answers the end before and after as PostgreSQL prints them (microseconds kept), for the ledger.
 * The caller holds the workspace's row lock.
 */
export async function extendWorkspace(
  trx: Trx,
  id: string,
  change: { planId?: string; days: number },
): Promise<{ before: string | null; after: string; afterDate: Date }> {
  const { rows } = await sql<{ before: string | null; after: string; after_date: Date }>`
    update workspaces w set
      plan_id = coalesce(${change.planId ?? null}::uuid, w.plan_id),
      subscription_status = 'active',
      current_period_end = greatest(now(), old.access_ends_at) + make_interval(days => ${change.days}::int),
      updated_at = now()
    from workspaces old
    where old.id = w.id and w.id = ${id}
    returning old.access_ends_at::text as before, w.current_period_end::text as after,
      w.current_period_end as after_date`.execute(trx);
  const row = rows[0]!;
  return { before: row.before, after: row.after, afterDate: row.after_date };
}

export function planDuration(trx: Trx, planId: string) {
  return trx
    .selectFrom('plans')
    .select(['code', 'duration_days'])
    .where('id', '=', planId)
    .executeTakeFirstOrThrow();
}

export function markApproved(
  trx: Trx,
  id: string,
  review: { reviewerId: string; endBefore: string | null; endAfter: string },
) {
  return trx
    .updateTable('payments')
    .set({
      status: 'approved',
      reviewed_by: review.reviewerId,
      reviewed_at: sql<Date>`now()`,
      period_end_before: sql<Date>`${review.endBefore}::timestamptz`,
      period_end_after: sql<Date>`${review.endAfter}::timestamptz`,
      updated_at: sql<Date>`now()`,
    })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .returning('id')
    .executeTakeFirstOrThrow();
}

export function markRejected(trx: Trx, id: string, review: { reviewerId: string; reason: string }) {
  return trx
    .updateTable('payments')
    .set({
      status: 'rejected',
      reviewed_by: review.reviewerId,
      reviewed_at: sql<Date>`now()`,
      rejection_reason: review.reason,
      updated_at: sql<Date>`now()`,
    })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .returning('id')
    .executeTakeFirstOrThrow();
}
