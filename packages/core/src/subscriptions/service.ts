import type { Db } from '@medora/db';
import type { SubscriptionCurrent } from '@medora/schema';
import type { AuditService } from '../audit/index';
import type { BankDetails } from '../config';
import { notFound } from '../errors';
import { notify } from '../notifications/queries';
import * as payments from '../payments/queries';
import type { PaymentService } from '../payments/service';
import { planOutputOf } from '../plans/service';
import type { AdminScope, DoctorScope, TenantScope } from '../scope';
import { currentUsage } from '../usage/queries';
import { subscriptionOf } from './queries';
import { assertWritable } from './writable';

/**
 * The workspace's subscription as the doctor sees it, the admin's extension, and the read-only
 * rule: a workspace that may not create analyses (expired, canceled, or past its end before the
 * expiry job ran) may not create or change clinical data either, but reads, pays and manages
 * its account as before.
 */
export class SubscriptionService {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
    private readonly payments: PaymentService,
    private readonly bankDetails: BankDetails | null,
  ) {}

  async current(scope: DoctorScope): Promise<SubscriptionCurrent> {
    const [ws, usage, pending] = await Promise.all([
      subscriptionOf(this.db, scope),
      currentUsage(this.db, scope),
      this.payments.pending(scope),
    ]);
    if (!ws) throw notFound();
    return {
      plan: planOutputOf(ws),
      status: ws.subscription_status,
      trialEndsAt: ws.trial_ends_at,
      currentPeriodEnd: ws.current_period_end,
      endsAt: ws.ends_at,
      daysLeft: ws.days_left,
      canAnalyze: ws.can_analyze,
      usage: {
        used: usage.used,
        limit: ws.max_analyses_per_month,
        periodStart: usage.periodStart,
        resetsAt: usage.resetsAt,
      },
      pendingPayment: pending,
      bankDetails: this.bankDetails,
    };
  }

  /** Throws SUBSCRIPTION_INACTIVE unless the workspace may change clinical data now. */
  assertWritable(scope: TenantScope): Promise<void> {
    return assertWritable(this.db, scope);
  }

  /**
   * Adds `days` to the later of now and the workspace's end, and makes it active on its current
   * plan: an expired workspace starts again from now, a trialing one gets the rest of its trial
   * plus the days (its plan stays; the trial's end stays as history). Audited with the reason;
   * the owner is notified.
   */
  async extend(
    scope: AdminScope,
    input: { id: string; days: number; reason: string },
  ): Promise<{ workspaceId: string; status: 'active'; endsAt: Date }> {
    return this.db.transaction().execute(async (trx) => {
      const ws = await payments.lockWorkspace(trx, input.id);
      if (!ws) throw notFound();
      const end = await payments.extendWorkspace(trx, input.id, { days: input.days });
      await this.audit.record(
        scope,
        {
          action: 'admin.workspace.extend',
          outcome: 'success',
          entityType: 'workspace',
          entityId: input.id,
          meta: {
            days: input.days,
            reason: input.reason,
            statusBefore: ws.subscription_status,
            endBefore: end.before,
            endAfter: end.after,
          },
        },
        trx,
      );
      const endsAt = end.afterDate.toISOString();
      await notify(trx, {
        workspaceId: input.id,
        kind: 'subscription_extended',
        params: { days: input.days, endsAt },
        // Per workspace: an owner of two workspaces hears about each.
        dedupeKey: `subscription_extended:${input.id}:${end.after}`,
      });
      return { workspaceId: input.id, status: 'active' as const, endsAt: end.afterDate };
    });
  }
}
