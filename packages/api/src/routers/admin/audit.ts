import { adminAuditListInput, adminAuditListOutput } from '@medora/schema';
import { adminProcedure, router } from '../../trpc';

export const adminAuditRouter = router({
  list: adminProcedure
    .input(adminAuditListInput)
    .output(adminAuditListOutput)
    .query(({ ctx, input, signal }) =>
      ctx.services.adminConsole.listAudit(ctx.scope, input, { signal }),
    ),
});
