import {
  accessLogInput,
  accessLogOutput,
  createPatientInput,
  idInput,
  listPatientsInput,
  patientListOutput,
  patientOutput,
  updatePatientInput,
} from '@medora/schema';
import { doctorProcedure, router, writableDoctorProcedure } from '../trpc';

// Thin procedures: the workspace always comes from ctx.scope (the session), never from input.
export const patientRouter = router({
  list: doctorProcedure
    .input(listPatientsInput)
    .output(patientListOutput)
    .query(({ ctx, input, signal }) => ctx.services.patients.list(ctx.scope, input, { signal })),

  get: doctorProcedure
    .input(idInput)
    .output(patientOutput)
    .query(({ ctx, input }) => ctx.services.patients.get(ctx.scope, input.id)),

  create: writableDoctorProcedure
    .input(createPatientInput)
    .output(patientOutput)
    .mutation(({ ctx, input }) => ctx.services.patients.create(ctx.scope, input)),

  update: writableDoctorProcedure
    .input(updatePatientInput)
    .output(patientOutput)
    .mutation(({ ctx, input }) => ctx.services.patients.update(ctx.scope, input)),

  archive: writableDoctorProcedure
    .input(idInput)
    .output(patientOutput)
    .mutation(({ ctx, input }) => ctx.services.patients.archive(ctx.scope, input.id)),

  restore: writableDoctorProcedure
    .input(idInput)
    .output(patientOutput)
    .mutation(({ ctx, input }) => ctx.services.patients.restore(ctx.scope, input.id)),

  accessLog: doctorProcedure
    .input(accessLogInput)
    .output(accessLogOutput)
    .query(({ ctx, input, signal }) =>
      ctx.services.patients.accessLog(ctx.scope, input, { signal }),
    ),
});
