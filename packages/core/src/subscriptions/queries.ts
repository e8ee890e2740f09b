import { sql } from 'kysely';
import type { Executor } from '../db';
import { PLAN_COLUMNS } from '../plans/queries';
import type { TenantScope } from '../scope';

/**
 * The caller's subscription with its plan, read in one statement against PostgreSQL's clock:
 * the end shown (the trial's while trialing, else the period's, else for an expired trial the
 * trial's), whole days left rounded up, and whether analyses may be created now — the same
 * rule as `allowanceOf` (an end equal to now has passed).
 */
export function subscriptionOf(db: Executor, scope: TenantScope) {
  return db
    .selectFrom('workspaces as w')
    .innerJoin('plans as p', 'p.id', 'w.plan_id')
    .select(PLAN_COLUMNS)
    .select([
      'w.subscription_status',
      'w.trial_ends_at',
      'w.current_period_end',
      sql<Date | null>`case when w.subscription_status = 'trialing' then w.trial_ends_at
        else coalesce(w.current_period_end, w.trial_ends_at) end`.as('ends_at'),
      sql<number>`greatest(0, ceil(extract(epoch from (case when w.subscription_status = 'trialing'
        then w.trial_ends_at else coalesce(w.current_period_end, w.trial_ends_at) end) - now())
        / 86400))::int`.as('days_left'),
      sql<boolean>`coalesce((w.subscription_status = 'trialing' and w.trial_ends_at > now())
        or (w.subscription_status = 'active' and w.current_period_end > now()), false)`.as(
        'can_analyze',
      ),
    ])
    .where('w.id', '=', scope.workspaceId)
    .executeTakeFirst();
}
