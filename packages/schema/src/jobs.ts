import { z } from 'zod';

/**
 * What Graphile Worker's crontab puts in a scheduled job: `_cron: { ts, backfilled? }`. A job
 * enqueued by hand for a scheduled task carries nothing.
 */
export const cronJobPayload = z.object({
  _cron: z.object({ ts: z.string(), backfilled: z.boolean().optional() }).optional(),
});

/**
 * Every background job by task name (`<domain>__<action>`) with the schema of its payload. The
 * enqueuing side (`addJob` in core) and the worker's task parse with the same schema, so a job
 * is checked when it is written and again when it runs.
 */
export const jobPayloads = {
  /** Records that a worker is alive (every minute). */
  system__heartbeat: cronJobPayload,
  /** Deletes session rows dead for over the retention period (daily). */
  session__cleanup: cronJobPayload,
  /** Moves trialing/active workspaces whose end has passed to expired (every 15 minutes). */
  subscription__expire: cronJobPayload,
  /** Runs the engine on one queued analysis and stores its report. */
  analysis__run: z.object({ analysisId: z.uuid() }),
  /** Sends one notification on its outbound channels (email, SMS); in-app needs no delivery. */
  notification__deliver: z.object({ notificationId: z.uuid() }),
} as const satisfies Record<string, z.ZodType<Record<string, unknown>>>;

export type JobName = keyof typeof jobPayloads;
/** What a caller passes when enqueueing `N`. */
export type JobPayloadInput<N extends JobName> = z.input<(typeof jobPayloads)[N]>;
/** What the task for `N` receives once parsed. */
export type JobPayload<N extends JobName> = z.output<(typeof jobPayloads)[N]>;

export const jobNames = Object.keys(jobPayloads) as JobName[];
