import {
  paymentListInput,
  paymentListOutput,
  paymentOutput,
  submitReceiptInput,
} from '@medora/schema';
import { doctorProcedure, router } from '../trpc';

// Paying is how an expired workspace gets back, so these stay on the plain doctor builder.
export const paymentRouter = router({
  submitReceipt: doctorProcedure
    .input(submitReceiptInput)
    .output(paymentOutput)
    .mutation(({ ctx, input }) => ctx.services.payments.submitReceipt(ctx.scope, input)),

  list: doctorProcedure
    .input(paymentListInput)
    .output(paymentListOutput)
    .query(({ ctx, input, signal }) => ctx.services.payments.list(ctx.scope, input, { signal })),
});
