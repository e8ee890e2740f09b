import {
  adminSetActiveInput,
  adminUserListInput,
  adminUserListOutput,
  adminUserOutput,
  idInput,
} from '@medora/schema';
import { adminProcedure, router } from '../../trpc';

export const adminUserRouter = router({
  list: adminProcedure
    .input(adminUserListInput)
    .output(adminUserListOutput)
    .query(({ ctx, input, signal }) =>
      ctx.services.adminConsole.listUsers(ctx.scope, input, { signal }),
    ),

  get: adminProcedure
    .input(idInput)
    .output(adminUserOutput)
    .query(({ ctx, input }) => ctx.services.adminConsole.getUser(ctx.scope, input.id)),

  setActive: adminProcedure
    .input(adminSetActiveInput)
    .output(adminUserOutput)
    .mutation(({ ctx, input }) => ctx.services.adminConsole.setActive(ctx.scope, input)),
});
