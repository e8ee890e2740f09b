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
  /** Warns owners 3 days and 1 day before their access ends (daily, 09:00 Tashkent). */
  subscription__warn: cronJobPayload,
  /** Closes the usage counters of past Tashkent months into history (daily, 00:01 Tashkent). */
  usage__rollover: cronJobPayload,
  /** Deletes uploads never attached to anything after 24 hours, with their bytes (daily). */
  file__cleanup: cronJobPayload,
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

/**
 * The crontab (UTC, Graphile Worker's syntax) of every scheduled task, in one place: the worker
 * builds its crontab from it and the admin console shows it. Asia/Tashkent is UTC+5 all year
 * (no daylight saving), so local times convert by a fixed offset.
 */
export const jobSchedules = {
  system__heartbeat: '* * * * *',
  session__cleanup: '15 3 * * *',
  subscription__expire: '*/15 * * * *',
  // 09:00 Tashkent.
  subscription__warn: '0 4 * * *',
  // 00:01 Tashkent every day: on the 1st that is the month's first minute; the other days it
  // finds nothing to close, or catches up after downtime (crontab cannot say "last day of month").
  usage__rollover: '1 19 * * *',
  // 03:30 UTC, beside session__cleanup.
  file__cleanup: '30 3 * * *',
} as const satisfies Partial<Record<JobName, string>>;

export type ScheduledJobName = keyof typeof jobSchedules;
export const scheduledJobNames = Object.keys(jobSchedules) as ScheduledJobName[];
