import type { Db } from '@medora/db';
import type {
  AdminPaymentListInput,
  AdminPaymentOutput,
  AdminPaymentRow,
  PaymentOutput,
  submitReceiptInput,
} from '@medora/schema';
import { z } from 'zod';
import type { AuditService } from '../audit/index';
import { cancellableConnection, type Trx } from '../db';
import { AppError, notFound } from '../errors';
import type { Download } from '../files/service';
import type { FileStorage } from '../files/storage';
import { notify } from '../notifications/queries';
import { decodeCursor, encodeCursor, pgTimestamp, uuidValue } from '../pagination/cursor';
import { FOREIGN_KEY_VIOLATION, pgViolation, UNIQUE_VIOLATION } from '../pg-errors';
import type { AdminScope, DoctorScope } from '../scope';
import * as q from './queries';

type SubmitInput = z.output<typeof submitReceiptInput>;
const paymentCursor = z.tuple([pgTimestamp, uuidValue]);

/** The admin-only route that streams a payment's receipt (apps/server). */
export const receiptUrl = (paymentId: string) => `/api/admin/payments/${paymentId}/receipt`;

export function paymentOutputOf(r: q.PaymentRow): PaymentOutput {
  return {
    id: r.id,
    plan: {
      id: r.plan_id,
      code: r.plan_code,
      names: { uz: r.plan_name_uz, ru: r.plan_name_ru, en: r.plan_name_en },
    },
    provider: r.provider,
    amountTiyin: r.amount_tiyin,
    status: r.status,
    note: r.note,
    rejectionReason: r.rejection_reason,
    receiptFileId: r.receipt_file_id,
    createdAt: r.created_at,
    reviewedAt: r.reviewed_at,
    periodEndAfter: r.period_end_after,
  };
}

function adminRowOf(r: q.AdminPaymentRow): AdminPaymentRow {
  return {
    ...paymentOutputOf(r),
    workspace: {
      id: r.workspace_id,
      name: r.workspace_name,
      status: r.subscription_status,
      endsAt: r.access_ends_at,
    },
    submittedBy:
      r.submitted_by_id && r.submitted_by_name && r.submitted_by_phone
        ? { id: r.submitted_by_id, name: r.submitted_by_name, phone: r.submitted_by_phone }
        : null,
    reviewedBy:
      r.reviewed_by_id && r.reviewed_by_name
        ? { id: r.reviewed_by_id, name: r.reviewed_by_name }
        : null,
  };
}

function page<R extends { created_at_text: string; id: string }, O>(
  rows: R[],
  limit: number,
  map: (r: R) => O,
): { items: O[]; nextCursor: string | null } {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return {
    items: items.map(map),
    nextCursor: rows.length > limit && last ? encodeCursor([last.created_at_text, last.id]) : null,
  };
}

const receiptInvalid = () =>
  new AppError('BAD_REQUEST', 'VALIDATION_FAILED', {
    fieldErrors: { receiptFileId: ['payment.receipt_invalid'] },
  });
const pendingExists = () => new AppError('CONFLICT', 'PAYMENT_PENDING_EXISTS');
const notPending = () => new AppError('CONFLICT', 'PAYMENT_NOT_PENDING');

/**
 * Receipt payments: a doctor submits one (pending), an admin approves or rejects it. Approval
 * is one transaction over the locked payment and workspace rows, so two admins approving at
 * once extend the subscription once; everything not pending is refused without a change.
 */
export class PaymentService {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
    private readonly storage: FileStorage,
  ) {}

  /**
   * A pending payment for the plan's price with an uploaded receipt of the caller's workspace.
   * Nothing about the current access changes. One pending payment per workspace is a unique
   * index; a concurrent second submit loses on it and answers the same CONFLICT.
   */
  async submitReceipt(scope: DoctorScope, input: SubmitInput): Promise<PaymentOutput> {
    try {
      const id = await this.db.transaction().execute(async (trx) => {
        const plan = await q.purchasablePlan(trx, input.planId);
        if (!plan) throw new AppError('BAD_REQUEST', 'PLAN_NOT_AVAILABLE');
        if (!(await q.unusedReceipt(trx, scope, input.receiptFileId))) throw receiptInvalid();
        // No read-then-insert check: the partial unique index decides, also between two
        // submits racing (the loser's insert waits for the winner's commit, then fails).
        const row = await q.insertPayment(trx, scope, {
          planId: plan.id,
          amountTiyin: plan.price_tiyin,
          receiptFileId: input.receiptFileId,
          note: input.note ?? null,
        });
        await this.audit.record(
          scope,
          {
            action: 'payment.submit',
            outcome: 'success',
            entityType: 'payment',
            entityId: row.id,
            meta: { planId: plan.id, amountTiyin: plan.price_tiyin, fileId: input.receiptFileId },
          },
          trx,
        );
        return row.id;
      });
      return paymentOutputOf((await q.findWorkspacePayment(this.db, scope, id))!);
    } catch (err) {
      const v = pgViolation(err);
      if (v?.code === UNIQUE_VIOLATION && v.constraint === 'payments_one_pending_idx')
        throw pendingExists();
      // The receipt was deleted between the check and the insert (the cleanup of day-old
      // unattached uploads): the same answer as a receipt that was never there.
      if (v?.code === FOREIGN_KEY_VIOLATION) throw receiptInvalid();
      throw err;
    }
  }

  /** `signal`: the caller gave up (the client hung up); the query stops in PostgreSQL too. */
  async list(
    scope: DoctorScope,
    input: { cursor?: string | undefined; limit: number },
    opts: { signal?: AbortSignal } = {},
  ): Promise<{ items: PaymentOutput[]; nextCursor: string | null }> {
    const after = input.cursor ? decodeCursor(input.cursor, paymentCursor) : undefined;
    const rows = await cancellableConnection(this.db, opts.signal, (conn) =>
      q.listWorkspacePayments(conn, scope, {
        after: after && { createdAt: after[0], id: after[1] },
        limit: input.limit,
      }),
    );
    return page(rows, input.limit, paymentOutputOf);
  }

  async pending(scope: DoctorScope): Promise<PaymentOutput | null> {
    const row = await q.pendingPayment(this.db, scope);
    return row ? paymentOutputOf(row) : null;
  }

  // -------------------------------------------------------------------------------------------
  // Admin

  async adminList(
    _scope: AdminScope,
    input: AdminPaymentListInput,
    opts: { signal?: AbortSignal } = {},
  ): Promise<{ items: AdminPaymentRow[]; nextCursor: string | null }> {
    const after = input.cursor ? decodeCursor(input.cursor, paymentCursor) : undefined;
    const rows = await cancellableConnection(this.db, opts.signal, (conn) =>
      q.listAllPayments(conn, {
        status: input.status,
        after: after && { createdAt: after[0], id: after[1] },
        limit: input.limit,
      }),
    );
    return page(rows, input.limit, adminRowOf);
  }

  async adminGet(_scope: AdminScope, id: string): Promise<AdminPaymentOutput> {
    const row = await q.findAnyPayment(this.db, id);
    if (!row) throw notFound();
    const [receipt, history] = await Promise.all([
      q.paymentReceipt(this.db, id),
      q.earlierPayments(this.db, row.workspace_id, { createdAt: row.created_at_text, id }, 10),
    ]);
    return {
      ...adminRowOf(row),
      receipt: receipt
        ? {
            fileId: receipt.id,
            name: receipt.name,
            mime: receipt.mime,
            sizeBytes: receipt.size,
            url: receiptUrl(id),
          }
        : null,
      history: history.map(paymentOutputOf),
    };
  }

  /** The receipt's bytes for the admin's viewer; the view is audited. */
  async receipt(scope: AdminScope, paymentId: string): Promise<Download> {
    const file = await q.paymentReceipt(this.db, paymentId);
    if (!file) throw notFound();
    await this.audit.record(scope, {
      action: 'admin.payment.receipt',
      outcome: 'success',
      entityType: 'payment',
      entityId: paymentId,
      meta: { fileId: file.id, workspaceId: file.workspace_id },
    });
    const { stream, size } = await this.storage.open(file.storage_key);
    return { name: file.name, mime: file.mime, size, stream };
  }

  /**
   * One transaction: the payment row locked (a second approver waits, then sees it approved
   * and gets PAYMENT_NOT_PENDING), the workspace row locked, the workspace moved to the plan
   * with its period extended from the later of now and its current end, the payment marked
   * approved with the ends before and after, an audit row and the doctor's notification.
   */
  async approve(scope: AdminScope, id: string): Promise<AdminPaymentOutput> {
    await this.refusalsAudited(scope, 'admin.payment.approve', id, async (trx) => {
      const payment = await q.lockPayment(trx, id);
      if (!payment) throw notFound();
      if (payment.status !== 'pending') throw notPending();
      if (!(await q.lockWorkspace(trx, payment.workspace_id))) throw notFound();
      const plan = await q.planDuration(trx, payment.plan_id);
      const end = await q.extendWorkspace(trx, payment.workspace_id, {
        planId: payment.plan_id,
        days: plan.duration_days,
      });
      await q.markApproved(trx, id, {
        reviewerId: scope.userId,
        endBefore: end.before,
        endAfter: end.after,
      });
      await this.audit.record(
        scope,
        {
          action: 'admin.payment.approve',
          outcome: 'success',
          entityType: 'payment',
          entityId: id,
          meta: {
            workspaceId: payment.workspace_id,
            planCode: plan.code,
            amountTiyin: payment.amount_tiyin,
            periodEndBefore: end.before,
            periodEndAfter: end.after,
          },
        },
        trx,
      );
      await notify(trx, {
        workspaceId: payment.workspace_id,
        kind: 'payment_approved',
        params: { planCode: plan.code, periodEnd: end.afterDate.toISOString() },
        dedupeKey: `payment:${id}:approved`,
      });
    });
    return this.adminGet(scope, id);
  }

  /** Rejects a pending payment with the reason the doctor is told; they may submit again. */
  async reject(
    scope: AdminScope,
    input: { id: string; reason: string },
  ): Promise<AdminPaymentOutput> {
    await this.refusalsAudited(scope, 'admin.payment.reject', input.id, async (trx) => {
      const payment = await q.lockPayment(trx, input.id);
      if (!payment) throw notFound();
      if (payment.status !== 'pending') throw notPending();
      await q.markRejected(trx, input.id, { reviewerId: scope.userId, reason: input.reason });
      await this.audit.record(
        scope,
        {
          action: 'admin.payment.reject',
          outcome: 'success',
          entityType: 'payment',
          entityId: input.id,
          meta: { workspaceId: payment.workspace_id, amountTiyin: payment.amount_tiyin },
        },
        trx,
      );
      await notify(trx, {
        workspaceId: payment.workspace_id,
        kind: 'payment_rejected',
        params: { reason: input.reason },
        dedupeKey: `payment:${input.id}:rejected`,
      });
    });
    return this.adminGet(scope, input.id);
  }

  /**
   * Runs a review in one transaction; when it is refused (no such payment, or not pending) the
   * refusal is audited as `denied` after the rollback, so two admins' double click shows in the
   * trail as one approval and one refused attempt.
   */
  private async refusalsAudited(
    scope: AdminScope,
    action: 'admin.payment.approve' | 'admin.payment.reject',
    id: string,
    review: (trx: Trx) => Promise<void>,
  ): Promise<void> {
    try {
      await this.db.transaction().execute(review);
    } catch (err) {
      if (
        err instanceof AppError &&
        (err.code === 'PAYMENT_NOT_PENDING' || err.code === 'NOT_FOUND')
      )
        await this.audit.record(scope, {
          action,
          outcome: 'denied',
          entityType: 'payment',
          entityId: id,
          meta: { reason: err.code },
        });
      throw err;
    }
  }
}
