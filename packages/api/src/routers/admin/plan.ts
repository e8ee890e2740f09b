import {
  adminPlanCreateInput,
  adminPlanListOutput,
  adminPlanOutput,
  adminPlanUpdateInput,
  idInput,
} from '@medora/schema';
import { z } from 'zod';
import { adminProcedure, router } from '../../trpc';

export const adminPlanRouter = router({
  list: adminProcedure
    .input(z.void())
    .output(adminPlanListOutput)
    .query(({ ctx }) => ctx.services.plans.list(ctx.scope)),

  create: adminProcedure
    .input(adminPlanCreateInput)
    .output(adminPlanOutput)
    .mutation(({ ctx, input }) => ctx.services.plans.create(ctx.scope, input)),

  update: adminProcedure
    .input(adminPlanUpdateInput)
    .output(adminPlanOutput)
    .mutation(({ ctx, input }) => ctx.services.plans.update(ctx.scope, input)),

  archive: adminProcedure
    .input(idInput)
    .output(adminPlanOutput)
    .mutation(({ ctx, input }) => ctx.services.plans.archive(ctx.scope, input.id)),
});
