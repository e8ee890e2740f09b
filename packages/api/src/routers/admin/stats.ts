import { adminOverviewOutput } from '@medora/schema';
import { adminProcedure, router } from '../../trpc';

export const adminStatsRouter = router({
  overview: adminProcedure
    .output(adminOverviewOutput)
    .query(({ ctx }) => ctx.services.adminConsole.overview(ctx.scope)),
});
