import type { Db } from '@medora/db';
import type { AdminPlanOutput, PlanOutput } from '@medora/schema';
import type { z } from 'zod';
import type { adminPlanCreateInput, adminPlanUpdateInput } from '@medora/schema';
import type { AuditService } from '../audit/index';
import type { Cache } from '../cache/index';
import type { RowUpdate } from '../db';
import { AppError, notFound } from '../errors';
import { pgViolation, UNIQUE_VIOLATION } from '../pg-errors';
import type { AdminScope } from '../scope';
import * as q from './queries';

type PlanRow = Awaited<ReturnType<typeof q.purchasablePlans>>[number];
type CreateInput = z.output<typeof adminPlanCreateInput>;
type UpdateInput = z.output<typeof adminPlanUpdateInput>;

export function planOutputOf(r: PlanRow): PlanOutput {
  return {
    id: r.id,
    code: r.code,
    names: { uz: r.name_uz, ru: r.name_ru, en: r.name_en },
    priceTiyin: r.price_tiyin,
    durationDays: r.duration_days,
    maxAnalysesPerMonth: r.max_analyses_per_month,
    storageQuotaBytes: r.storage_quota_bytes,
    isTrial: r.is_trial,
    active: r.is_active,
    sortOrder: r.sort_order,
  };
}

function adminPlanOutputOf(r: PlanRow & { revision: string }): AdminPlanOutput {
  return { ...planOutputOf(r), revision: r.revision };
}

/** Cached reads of plans live under this prefix; every plan write drops all of them. */
const PLANS_KEY_PREFIX = 'plans:';
const PURCHASABLE_KEY = `${PLANS_KEY_PREFIX}purchasable`;
/** The public plans list is read on every pricing page; admins' edits drop it at once. */
export const PLANS_TTL_SECONDS = 300;

const planChanged = () => new AppError('CONFLICT', 'PLAN_CHANGED');

const codeTaken = () =>
  new AppError('CONFLICT', 'PLAN_CODE_TAKEN', { fieldErrors: { code: ['plan.code_taken'] } });

/**
 * Plans are data: seeded by the first migration, edited by admins. Archiving only stops new
 * purchases; workspaces already on an archived plan keep it until they pay for another.
 */
export class PlanService {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
    private readonly cache: Cache,
  ) {}

  /** `subscription.plans()`: public, the active non-trial plans in sort order (cached). */
  async purchasable(): Promise<PlanOutput[]> {
    return this.cache.getOrLoad(PURCHASABLE_KEY, PLANS_TTL_SECONDS, async () =>
      (await q.purchasablePlans(this.db)).map(planOutputOf),
    );
  }

  /**
   * Not cached: it counts the workspaces on each plan, which change with every subscription,
   * and only administrators read it.
   */
  async list(_scope: AdminScope): Promise<(AdminPlanOutput & { workspaces: number })[]> {
    return (await q.allPlans(this.db)).map((r) => ({
      ...adminPlanOutputOf(r),
      workspaces: r.workspaces ?? 0,
    }));
  }

  async create(scope: AdminScope, input: CreateInput): Promise<AdminPlanOutput> {
    try {
      const id = await this.db.transaction().execute(async (trx) => {
        const row = await q.insertPlan(trx, {
          code: input.code,
          name_uz: input.names.uz,
          name_ru: input.names.ru,
          name_en: input.names.en,
          price_tiyin: input.priceTiyin,
          duration_days: input.durationDays,
          max_analyses_per_month: input.maxAnalysesPerMonth,
          storage_quota_bytes: input.storageQuotaBytes,
          sort_order: input.sortOrder,
        });
        await this.audit.record(
          scope,
          {
            action: 'admin.plan.create',
            outcome: 'success',
            entityType: 'plan',
            entityId: row.id,
            meta: { code: input.code, priceTiyin: input.priceTiyin },
          },
          trx,
        );
        return row.id;
      });
      await this.plansChanged();
      return adminPlanOutputOf(await q.findPlan(this.db, id));
    } catch (err) {
      const v = pgViolation(err);
      if (v?.code === UNIQUE_VIOLATION && v.constraint === 'plans_code_key') throw codeTaken();
      throw err;
    }
  }

  async update(scope: AdminScope, input: UpdateInput): Promise<AdminPlanOutput> {
    const changes: RowUpdate<'plans'> = {};
    if (input.names) {
      changes.name_uz = input.names.uz;
      changes.name_ru = input.names.ru;
      changes.name_en = input.names.en;
    }
    if (input.priceTiyin !== undefined) changes.price_tiyin = input.priceTiyin;
    if (input.durationDays !== undefined) changes.duration_days = input.durationDays;
    if (input.maxAnalysesPerMonth !== undefined)
      changes.max_analyses_per_month = input.maxAnalysesPerMonth;
    if (input.storageQuotaBytes !== undefined)
      changes.storage_quota_bytes = input.storageQuotaBytes;
    if (input.sortOrder !== undefined) changes.sort_order = input.sortOrder;
    if (input.active) changes.is_active = true;
    await this.db.transaction().execute(async (trx) => {
      const before = await q.lockPlanRow(trx, input.id);
      if (!before) throw notFound();
      // The row is locked: a second edit made against the same revision waits here, then
      // sees the first one's revision and is refused instead of overwriting it.
      if (input.revision !== undefined && input.revision !== before.revision) throw planChanged();
      await q.updatePlan(trx, input.id, changes);
      // Each changed column with its old and new value: a price or limit change is money, and
      // the audit trail must be able to say what it was before.
      const changed = Object.fromEntries(
        Object.entries(changes)
          .filter(([col, to]) => before[col as keyof typeof before] !== to)
          .flatMap(([col, to]) => [
            [`${col}.from`, before[col as keyof typeof before] as string | number | boolean | null],
            [`${col}.to`, to as string | number | boolean | null],
          ]),
      );
      await this.audit.record(
        scope,
        {
          action: 'admin.plan.update',
          outcome: 'success',
          entityType: 'plan',
          entityId: input.id,
          meta: changed,
        },
        trx,
      );
    });
    await this.plansChanged();
    return adminPlanOutputOf(await q.findPlan(this.db, input.id));
  }

  /** Stops new purchases of the plan; the trial plan cannot be archived (sign-up needs it). */
  async archive(scope: AdminScope, id: string): Promise<AdminPlanOutput> {
    await this.db.transaction().execute(async (trx) => {
      const plan = await q.lockPlan(trx, id);
      if (!plan) throw notFound();
      if (plan.is_trial) throw new AppError('CONFLICT', 'PLAN_IS_TRIAL');
      await q.updatePlan(trx, id, { is_active: false });
      await this.audit.record(
        scope,
        {
          action: 'admin.plan.archive',
          outcome: 'success',
          entityType: 'plan',
          entityId: id,
          meta: { code: plan.code },
        },
        trx,
      );
    });
    await this.plansChanged();
    return adminPlanOutputOf(await q.findPlan(this.db, id));
  }

  /** After the write commits, so no server can re-cache what it replaced. */
  private plansChanged(): Promise<void> {
    return this.cache.invalidate({ prefix: PLANS_KEY_PREFIX });
  }
}
