import type { WorkspaceMemberRole } from '@medora/schema';
import { sql } from 'kysely';
import { compiledOnce, type Executor, type Trx } from '../db';
import type { TenantScope } from '../scope';

export function activeTrialPlan(db: Executor) {
  return db
    .selectFrom('plans')
    .select(['id', 'duration_days'])
    .where('is_trial', '=', true)
    .where('is_active', '=', true)
    .executeTakeFirst();
}

/** A personal workspace on the trial plan, its trial ending `trialDays` from now. */
export function insertPersonalWorkspace(
  trx: Trx,
  ws: { name: string; planId: string; trialDays: number },
) {
  return trx
    .insertInto('workspaces')
    .values({
      name: ws.name,
      kind: 'personal',
      plan_id: ws.planId,
      subscription_status: 'trialing',
      trial_ends_at: sql<Date>`now() + make_interval(days => ${ws.trialDays})`,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
}

export async function addMember(
  trx: Trx,
  member: { workspaceId: string; userId: string; role: WorkspaceMemberRole },
): Promise<void> {
  await trx
    .insertInto('workspace_members')
    .values({ workspace_id: member.workspaceId, user_id: member.userId, role: member.role })
    .execute();
}

// Compiled once: every page load asks for it (auth.me).
const workspaceWithPlanQuery = compiledOnce(1, (db: Executor, workspaceId: string) =>
  db
    .selectFrom('workspaces as w')
    .innerJoin('plans as p', 'p.id', 'w.plan_id')
    .select([
      'w.id',
      'w.name',
      'w.subscription_status',
      'w.trial_ends_at',
      'w.current_period_end',
      'p.code as plan_code',
      'p.name_uz',
      'p.name_ru',
      'p.name_en',
      'p.max_analyses_per_month',
    ])
    .select(sql<Date>`now()`.as('db_now'))
    .where('w.id', '=', workspaceId),
);

/** The caller's workspace with its plan, and the database's clock for the days left. */
export async function workspaceWithPlan(db: Executor, scope: TenantScope) {
  return (await workspaceWithPlanQuery(db, scope.workspaceId))[0];
}
