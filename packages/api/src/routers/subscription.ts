import { plansOutput, subscriptionCurrentOutput } from '@medora/schema';
import { z } from 'zod';
import { doctorProcedure, publicProcedure, router } from '../trpc';

export const subscriptionRouter = router({
  /** Public: the plans a doctor can pay for (the pricing shows before sign-up too). */
  plans: publicProcedure
    .input(z.void())
    .output(plansOutput)
    .query(({ ctx }) => ctx.services.plans.purchasable()),

  current: doctorProcedure
    .input(z.void())
    .output(subscriptionCurrentOutput)
    .query(({ ctx }) => ctx.services.subscriptions.current(ctx.scope)),
});
