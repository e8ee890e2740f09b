import { authRouter } from './routers/auth';
import { patientRouter } from './routers/patient';
import { createCallerFactory, router } from './trpc';

export const appRouter = router({
  auth: authRouter,
  patient: patientRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
