import type { Db } from '@medora/db';
import type { SubscriptionSummary } from '@medora/schema';
import type { Trx } from '../db';
import { notFound } from '../errors';
import type { TenantScope } from '../scope';
import * as q from './queries';

const DAY_MS = 86_400_000;

export interface WorkspaceSummary {
  workspace: { id: string; name: string };
  subscription: SubscriptionSummary;
}

/** Workspaces: the tenant and billing account. A doctor gets a personal one at sign-up. */
export class WorkspaceService {
  constructor(private readonly db: Db) {}

  /** Inside the sign-up transaction: a personal trial workspace owned by the new doctor. */
  async setUpPersonal(trx: Trx, owner: { id: string; name: string }): Promise<string> {
    const plan = await q.activeTrialPlan(trx);
    // A deployment without an active trial plan is misconfigured, not a user error.
    if (!plan) throw new Error('no active trial plan is configured');
    const ws = await q.insertPersonalWorkspace(trx, {
      name: owner.name,
      planId: plan.id,
      trialDays: plan.duration_days,
    });
    await q.addMember(trx, { workspaceId: ws.id, userId: owner.id, role: 'owner' });
    return ws.id;
  }

  /** The caller's workspace and its subscription as the dashboard shows it. */
  async summary(scope: TenantScope): Promise<WorkspaceSummary> {
    const ws = await q.workspaceWithPlan(this.db, scope);
    if (!ws) throw notFound();
    const end =
      ws.subscription_status === 'trialing'
        ? ws.trial_ends_at
        : ws.subscription_status === 'active'
          ? ws.current_period_end
          : null;
    const daysLeft = end
      ? Math.max(0, Math.ceil((end.getTime() - ws.db_now.getTime()) / DAY_MS))
      : 0;
    return {
      workspace: { id: ws.id, name: ws.name },
      subscription: {
        status: ws.subscription_status,
        planCode: ws.plan_code,
        planNames: { uz: ws.name_uz, ru: ws.name_ru, en: ws.name_en },
        trialEndsAt: ws.trial_ends_at,
        currentPeriodEnd: ws.current_period_end,
        daysLeft,
        maxAnalysesPerMonth: ws.max_analyses_per_month,
      },
    };
  }
}
