import {
  adminPaymentApproveInput,
  adminPaymentListInput,
  adminPaymentListOutput,
  adminPaymentOutput,
  adminPaymentRejectInput,
  idInput,
} from '@medora/schema';
import { adminProcedure, router } from '../../trpc';

export const adminPaymentRouter = router({
  list: adminProcedure
    .input(adminPaymentListInput)
    .output(adminPaymentListOutput)
    .query(({ ctx, input, signal }) =>
      ctx.services.payments.adminList(ctx.scope, input, { signal }),
    ),

  get: adminProcedure
    .input(idInput)
    .output(adminPaymentOutput)
    .query(({ ctx, input }) => ctx.services.payments.adminGet(ctx.scope, input.id)),

  approve: adminProcedure
    .input(adminPaymentApproveInput)
    .output(adminPaymentOutput)
    .mutation(({ ctx, input }) => ctx.services.payments.approve(ctx.scope, input.id)),

  reject: adminProcedure
    .input(adminPaymentRejectInput)
    .output(adminPaymentOutput)
    .mutation(({ ctx, input }) => ctx.services.payments.reject(ctx.scope, input)),
});
