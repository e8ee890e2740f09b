import { z } from 'zod';
import type { notificationListOutput } from './billing';
import type { NotificationKind } from './enums';

// What each notification kind carries in `notifications.params`: the facts its text needs, never
// patient data. Whoever calls notify() (billing, the admin console, the jobs) passes exactly
// these; notify() checks them, and the texts (server e-mail/SMS, the web list) read them.

/** An instant as ISO 8601 with an offset: `Date#toISOString()` or PostgreSQL's `to_json()`. */
const instant = z.iso.datetime({ offset: true });

export const notificationParams = {
  /** An admin approved a receipt: the plan now paid for and the new end of the period. */
  payment_approved: z.object({ planCode: z.string().min(1).max(64), periodEnd: instant }),
  /** An admin rejected a receipt, with the reason the doctor reads. */
  payment_rejected: z.object({ reason: z.string().min(1).max(500) }),
  /** A warning before the end: `daysLeft` 3 (two or three Tashkent days before) or 1 (the day before, or the last day). */
  subscription_expiring: z.object({
    endsAt: instant,
    daysLeft: z.union([z.literal(3), z.literal(1)]),
  }),
  /** The trial or period ended; the workspace is read-only for new analyses. */
  subscription_expired: z.object({ endedAt: instant }),
  /** An admin extended the period by `days`, to `endsAt`. */
  subscription_extended: z.object({ days: z.number().int().positive(), endsAt: instant }),
} as const satisfies Record<NotificationKind, z.ZodType<Record<string, string | number>>>;

export type NotificationParams<K extends NotificationKind = NotificationKind> = z.output<
  (typeof notificationParams)[K]
>;

/** A notification's kind with its params, typed together (the shape notify() takes). */
export type NotificationMessage = {
  [K in NotificationKind]: { kind: K; params: NotificationParams<K> };
}[NotificationKind];

/** Parses stored or incoming params for a kind; null when they do not match its schema. */
export function parseNotificationParams<K extends NotificationKind>(
  kind: K,
  params: unknown,
): NotificationParams<K> | null {
  const parsed = notificationParams[kind].safeParse(params);
  return parsed.success ? (parsed.data as NotificationParams<K>) : null;
}

export type NotificationListOutput = z.output<typeof notificationListOutput>;
