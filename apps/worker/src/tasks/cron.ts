import { z } from 'zod';

/** What Graphile Worker's crontab puts in a job: `_cron: { ts, backfilled? }`, nothing else. */
export const cronPayload = z.object({
  _cron: z.object({ ts: z.string(), backfilled: z.boolean().optional() }).optional(),
});
