import { adminJobRetryInput, adminJobsOverviewOutput, okOutput } from '@medora/schema';
import { adminProcedure, router } from '../../trpc';

export const adminJobsRouter = router({
  overview: adminProcedure
    .output(adminJobsOverviewOutput)
    .query(({ ctx }) => ctx.services.adminJobs.overview(ctx.scope)),
  retry: adminProcedure
    .input(adminJobRetryInput)
    .output(okOutput)
    .mutation(async ({ ctx, input }) => {
      await ctx.services.adminJobs.retry(ctx.scope, input.jobId);
      return { ok: true as const };
    }),
});
