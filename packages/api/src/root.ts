import { adminRouter } from './routers/admin/index';
import { analysisRouter } from './routers/analysis';
import { authRouter } from './routers/auth';
import { fileRouter } from './routers/file';
import { notificationRouter } from './routers/notification';
import { patientRouter } from './routers/patient';
import { paymentRouter } from './routers/payment';
import { subscriptionRouter } from './routers/subscription';
import { createCallerFactory, router } from './trpc';

export const appRouter = router({
  auth: authRouter,
  patient: patientRouter,
  file: fileRouter,
  analysis: analysisRouter,
  admin: adminRouter,
  notification: notificationRouter,
  subscription: subscriptionRouter,
  payment: paymentRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
