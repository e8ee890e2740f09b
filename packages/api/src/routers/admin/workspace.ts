import { adminWorkspaceExtendInput, adminWorkspaceExtendOutput } from '@medora/schema';
import { adminProcedure, router } from '../../trpc';

export const adminWorkspaceRouter = router({
  extend: adminProcedure
    .input(adminWorkspaceExtendInput)
    .output(adminWorkspaceExtendOutput)
    .mutation(({ ctx, input }) => ctx.services.subscriptions.extend(ctx.scope, input)),
});
