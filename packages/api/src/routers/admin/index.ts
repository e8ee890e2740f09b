import { router } from '../../trpc';
import { adminAuditRouter } from './audit';
import { adminPaymentRouter } from './payment';
import { adminPlanRouter } from './plan';
import { adminStatsRouter } from './stats';
import { adminUserRouter } from './user';
import { adminWorkspaceRouter } from './workspace';

/**
 * `admin.*`: the admin console's procedures, one sub-router per area (payments, workspaces,
 * plans, stats, users, audit, jobs), each in its own file beside this one and mounted here.
 * Every procedure is an `adminProcedure`.
 */
export const adminRouter = router({
  stats: adminStatsRouter,
  user: adminUserRouter,
  audit: adminAuditRouter,
  payment: adminPaymentRouter,
  workspace: adminWorkspaceRouter,
  plan: adminPlanRouter,
});
