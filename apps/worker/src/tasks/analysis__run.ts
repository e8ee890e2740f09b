import { defineTask } from './define';

/**
 * Runs the engine on one queued analysis (enqueued in the transaction that created it). The
 * service makes it idempotent and decides, from the attempt number, between throwing (Graphile
 * Worker retries with exponential backoff) and failing the analysis for good with a refund.
 */
export const analysisRunTask = defineTask({
  name: 'analysis__run',
  handler: async ({ analysisId }, { services, job }) => {
    await services.analyses.run(analysisId, { number: job.attempts, max: job.max_attempts });
  },
});
