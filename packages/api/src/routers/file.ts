import { fileListOutput, idInput, listFilesInput, okOutput } from '@medora/schema';
import { doctorProcedure, router } from '../trpc';

// Uploads and downloads are plain HTTP routes on the server (multipart and byte streams); the
// list and delete are procedures like any other.
export const fileRouter = router({
  list: doctorProcedure
    .input(listFilesInput)
    .output(fileListOutput)
    .query(({ ctx, input, signal }) =>
      ctx.services.files.list(ctx.scope, input.patientId, { signal }),
    ),

  delete: doctorProcedure
    .input(idInput)
    .output(okOutput)
    .mutation(async ({ ctx, input }) => {
      await ctx.services.files.delete(ctx.scope, input.id);
      return { ok: true as const };
    }),
});
