import {
  analysisFeedbackInput,
  analysisListOutput,
  analysisOutput,
  analysisStatsOutput,
  analysisStatusEvent,
  createAnalysisInput,
  idInput,
  listAnalysesInput,
  type AnalysisStatusEvent,
} from '@medora/schema';
import { z } from 'zod';
import { asTrpcError, doctorProcedure, router, writableDoctorProcedure } from '../trpc';

/** How often a live view re-reads the status even without a notice (a missed one, a restart). */
const RECHECK_MS = 15_000;
const finished = (s: AnalysisStatusEvent['status']) => s === 'completed' || s === 'failed';

/**
 * A subscription's output is its stream: tRPC checks what the resolver returns, so the schema
 * accepts an async iterable; each event in it is parsed with `analysisStatusEvent` as it is sent.
 */
const statusStream = z.custom<AsyncIterable<AnalysisStatusEvent>>(
  (v) => typeof (v as AsyncIterable<unknown> | null)?.[Symbol.asyncIterator] === 'function',
);

// Thin procedures: the workspace always comes from ctx.scope (the session), never from input.
export const analysisRouter = router({
  create: writableDoctorProcedure
    .input(createAnalysisInput)
    .output(analysisOutput)
    .mutation(({ ctx, input }) => ctx.services.analyses.create(ctx.scope, input)),

  get: doctorProcedure
    .input(idInput)
    .output(analysisOutput)
    .query(({ ctx, input }) => ctx.services.analyses.get(ctx.scope, input.id)),

  list: doctorProcedure
    .input(listAnalysesInput)
    .output(analysisListOutput)
    .query(({ ctx, input, signal }) => ctx.services.analyses.list(ctx.scope, input, { signal })),

  /** The status now: what a client without a live connection polls. */
  status: doctorProcedure
    .input(idInput)
    .output(analysisStatusEvent)
    .query(({ ctx, input }) => ctx.services.analyses.status(ctx.scope, input.id)),

  feedback: writableDoctorProcedure
    .input(analysisFeedbackInput)
    .output(analysisOutput)
    .mutation(({ ctx, input }) => ctx.services.analyses.feedback(ctx.scope, input)),

  stats: doctorProcedure
    .output(analysisStatsOutput)
    .query(({ ctx }) => ctx.services.analyses.stats(ctx.scope)),

  /**
   * Live status over server-sent events: the status now, then each change until the analysis
   * is completed or failed. Fed by PostgreSQL LISTEN/NOTIFY, so a status the worker commits
   * reaches the client whichever server instance holds its connection. Each notice only wakes
   * the loop; the status itself is re-read in the caller's workspace.
   */
  onStatus: doctorProcedure
    .input(idInput)
    .output(statusStream)
    .subscription(async function* ({ ctx, input, signal }) {
      const { analyses } = ctx.services;
      let wake: (() => void) | null = null;
      let noticed = false;
      const off = analyses.events.subscribe(input.id, (notice) => {
        if (notice.workspaceId !== ctx.scope.workspaceId) return;
        noticed = true;
        wake?.();
      });
      try {
        // Listen before the first read, so a change in between is not missed.
        await analyses.events.ready();
        let current = analysisStatusEvent.parse(await analyses.status(ctx.scope, input.id));
        yield current;
        while (!finished(current.status) && !signal?.aborted) {
          if (!noticed)
            await new Promise<void>((resolve) => {
              const timer = setTimeout(resolve, RECHECK_MS);
              wake = () => {
                clearTimeout(timer);
                resolve();
              };
              signal?.addEventListener('abort', wake, { once: true });
            });
          wake = null;
          noticed = false;
          if (signal?.aborted) break;
          const next = analysisStatusEvent.parse(await analyses.status(ctx.scope, input.id));
          if (next.status !== current.status) yield next;
          current = next;
        }
      } catch (err) {
        throw asTrpcError(err);
      } finally {
        off();
      }
    }),
});
