import { z } from 'zod';
import {
  deliveryStatuses,
  jobRunOutcomes,
  notificationChannels,
  notificationKinds,
  paymentProviders,
  paymentStatuses,
  subscriptionStatuses,
} from './enums';
import { usageOutput } from './analysis';
import { pageInput } from './patient';

// Plans, the subscription, receipt payments, the admin's money and job screens, and
// notifications. The API contract the server, the worker and the web client share. Money is
// integer tiyin (1 UZS = 100 tiyin) end to end; the client formats it per locale.

const tiyin = z.number().int().nonnegative();
const count = z.number().int().nonnegative();
const id = z.uuid({ message: 'id.invalid' });

/** A text in every interface language; the client picks the one it shows. */
export const localizedText = z.object({ uz: z.string(), ru: z.string(), en: z.string() });
export type LocalizedText = z.output<typeof localizedText>;

const reasonText = z
  .string({ message: 'invalid_type' })
  .transform((v) => v.normalize('NFKC').trim())
  .pipe(z.string().min(1, { message: 'required' }).max(500, { message: 'too_long' }));

// ---------------------------------------------------------------------------------------------
// Plans

export const planOutput = z.object({
  id: z.uuid(),
  code: z.string(),
  names: localizedText,
  priceTiyin: tiyin,
  durationDays: z.number().int().positive(),
  /** null = unlimited (a limit is at least 1: the database's CHECK says so). */
  maxAnalysesPerMonth: z.number().int().nonnegative().nullable(),
  storageQuotaBytes: z.number().int().nonnegative(),
  isTrial: z.boolean(),
  active: z.boolean(),
  sortOrder: z.number().int(),
});
export type PlanOutput = z.output<typeof planOutput>;

/** `subscription.plans()`: the active plans a doctor can pay for, in sort order (no trial). */
export const plansOutput = z.array(planOutput);

/**
 * Which version of a plan an administrator is looking at: opaque digits that change with every
 * edit. An edit that sends the one it was made against is refused with PLAN_CHANGED when
 * someone else saved in between, instead of silently writing back what they changed.
 */
const planRevision = z
  .string({ message: 'invalid_type' })
  .regex(/^[0-9]{1,18}$/, { message: 'invalid' });

/** A plan as the admin console sees it: with its revision. */
export const adminPlanOutput = planOutput.extend({ revision: z.string() });
export type AdminPlanOutput = z.output<typeof adminPlanOutput>;

const planName = z
  .string({ message: 'invalid_type' })
  .transform((v) => v.normalize('NFKC').trim())
  .pipe(z.string().min(1, { message: 'required' }).max(100, { message: 'too_long' }));

const planFields = {
  names: z.strictObject({ uz: planName, ru: planName, en: planName }),
  /** At most 1,000,000,000 UZS. */
  priceTiyin: z
    .number({ message: 'invalid_type' })
    .int({ message: 'invalid' })
    .min(0, { message: 'invalid' })
    .max(100_000_000_000, { message: 'invalid' }),
  durationDays: z
    .number({ message: 'invalid_type' })
    .int({ message: 'invalid' })
    .min(1, { message: 'invalid' })
    .max(366, { message: 'invalid' }),
  maxAnalysesPerMonth: z
    .number({ message: 'invalid_type' })
    .int({ message: 'invalid' })
    .min(1, { message: 'invalid' })
    .max(1_000_000, { message: 'invalid' })
    .nullable(),
  storageQuotaBytes: z
    .number({ message: 'invalid_type' })
    .int({ message: 'invalid' })
    .min(1, { message: 'invalid' })
    .max(10 * 1024 ** 4, { message: 'invalid' }),
  sortOrder: z
    .number({ message: 'invalid_type' })
    .int({ message: 'invalid' })
    .min(-1000, { message: 'invalid' })
    .max(1000, { message: 'invalid' }),
};

export const adminPlanCreateInput = z.strictObject({
  /** Stable machine name: lowercase letters, digits and underscores. */
  code: z
    .string({ message: 'invalid_type' })
    .trim()
    .regex(/^[a-z][a-z0-9_]{1,39}$/, { message: 'plan.code_invalid' }),
  ...planFields,
});
export type AdminPlanCreateInput = z.input<typeof adminPlanCreateInput>;

export const adminPlanUpdateInput = z.strictObject({
  id,
  names: planFields.names.optional(),
  priceTiyin: planFields.priceTiyin.optional(),
  durationDays: planFields.durationDays.optional(),
  maxAnalysesPerMonth: planFields.maxAnalysesPerMonth.optional(),
  storageQuotaBytes: planFields.storageQuotaBytes.optional(),
  sortOrder: planFields.sortOrder.optional(),
  /** Re-activates an archived plan (archiving is its own procedure). */
  active: z.literal(true, { message: 'invalid' }).optional(),
  /** The revision the edit was made against (see adminPlanOutput); without it, no check. */
  revision: planRevision.optional(),
});
export type AdminPlanUpdateInput = z.input<typeof adminPlanUpdateInput>;

/** `admin.plan.list()`: every plan, archived ones included, in sort order. */
export const adminPlanListOutput = z.array(adminPlanOutput.extend({ workspaces: count }));

// ---------------------------------------------------------------------------------------------
// The subscription

/** Where to transfer the money; every field from configuration (BANK_*). null when unset. */
export const bankDetailsOutput = z
  .object({
    recipient: z.string(),
    bank: z.string().nullable(),
    account: z.string(),
    /** The bank's MFO code. */
    mfo: z.string().nullable(),
    /** The recipient's tax number (INN/STIR). */
    tin: z.string().nullable(),
  })
  .nullable();
export type BankDetails = z.output<typeof bankDetailsOutput>;

export const paymentOutput = z.object({
  id: z.uuid(),
  plan: z.object({ id: z.uuid(), code: z.string(), names: localizedText }),
  provider: z.enum(paymentProviders),
  amountTiyin: tiyin,
  status: z.enum(paymentStatuses),
  note: z.string().nullable(),
  rejectionReason: z.string().nullable(),
  receiptFileId: z.uuid().nullable(),
  createdAt: z.date(),
  reviewedAt: z.date().nullable(),
  /** What the approval set the period's end to. */
  periodEndAfter: z.date().nullable(),
});
export type PaymentOutput = z.output<typeof paymentOutput>;

export const subscriptionCurrentOutput = z.object({
  plan: planOutput,
  status: z.enum(subscriptionStatuses),
  trialEndsAt: z.date().nullable(),
  currentPeriodEnd: z.date().nullable(),
  /** The trial's end while trialing, the period's end otherwise. */
  endsAt: z.date().nullable(),
  /** Whole days until `endsAt`, rounded up; 0 once it has passed. */
  daysLeft: count,
  /** May create analyses now: trialing or active, and before `endsAt`. */
  canAnalyze: z.boolean(),
  usage: usageOutput,
  pendingPayment: paymentOutput.nullable(),
  bankDetails: bankDetailsOutput,
});
export type SubscriptionCurrent = z.output<typeof subscriptionCurrentOutput>;

// ---------------------------------------------------------------------------------------------
// Paying by receipt

export const submitReceiptInput = z.strictObject({
  planId: id,
  /** A file uploaded through /api/files with purpose `receipt`, in the caller's workspace. */
  receiptFileId: id,
  note: z
    .string({ message: 'invalid_type' })
    .transform((v) => v.normalize('NFKC').trim())
    .pipe(z.string().max(500, { message: 'too_long' }))
    .transform((v) => v || undefined)
    .optional(),
});
export type SubmitReceiptInput = z.input<typeof submitReceiptInput>;

export const paymentListInput = z.object({ ...pageInput(100, 20) }).default({ limit: 20 });
export const paymentListOutput = z.object({
  items: z.array(paymentOutput),
  nextCursor: z.string().nullable(),
});

// ---------------------------------------------------------------------------------------------
// Admin: payments and workspaces

export const adminPaymentListInput = z
  .object({
    status: z.enum(paymentStatuses, { message: 'invalid' }).optional(),
    ...pageInput(100, 25),
  })
  .default({ limit: 25 });
export type AdminPaymentListInput = z.output<typeof adminPaymentListInput>;

export const adminPaymentRow = paymentOutput.extend({
  workspace: z.object({
    id: z.uuid(),
    name: z.string(),
    status: z.enum(subscriptionStatuses),
    endsAt: z.date().nullable(),
  }),
  /** Who submitted it (null when that account was deleted). */
  submittedBy: z.object({ id: z.uuid(), name: z.string(), phone: z.string() }).nullable(),
  reviewedBy: z.object({ id: z.uuid(), name: z.string() }).nullable(),
});
export type AdminPaymentRow = z.output<typeof adminPaymentRow>;

export const adminPaymentListOutput = z.object({
  items: z.array(adminPaymentRow),
  nextCursor: z.string().nullable(),
});

export const adminPaymentOutput = adminPaymentRow.extend({
  /** The receipt, viewable by an admin at `url` (an admin-only route). */
  receipt: z
    .object({
      fileId: z.uuid(),
      name: z.string(),
      mime: z.string(),
      sizeBytes: count,
      url: z.string(),
    })
    .nullable(),
  /** The workspace's earlier payments, newest first (at most 10). */
  history: z.array(paymentOutput),
});
export type AdminPaymentOutput = z.output<typeof adminPaymentOutput>;

export const adminPaymentApproveInput = z.strictObject({ id });
export const adminPaymentRejectInput = z.strictObject({ id, reason: reasonText });

export const adminWorkspaceExtendInput = z.strictObject({
  id,
  days: z
    .number({ message: 'invalid_type' })
    .int({ message: 'invalid' })
    .min(1, { message: 'invalid' })
    .max(366, { message: 'invalid' }),
  reason: reasonText,
});
export const adminWorkspaceExtendOutput = z.object({
  workspaceId: z.uuid(),
  status: z.enum(subscriptionStatuses),
  endsAt: z.date(),
});

// ---------------------------------------------------------------------------------------------
// Admin: jobs

export const adminJobsOverviewOutput = z.object({
  tasks: z.array(
    z.object({
      task: z.string(),
      queued: count,
      running: count,
      /** Jobs that used up their attempts and wait for a retry by hand. */
      failed: count,
      /** Cron schedule in crontab syntax, null for on-demand tasks. */
      schedule: z.string().nullable(),
      lastRun: z
        .object({
          startedAt: z.date(),
          finishedAt: z.date(),
          outcome: z.enum(jobRunOutcomes),
          affected: count.nullable(),
          error: z.string().nullable(),
        })
        .nullable(),
    }),
  ),
  /** The most recent permanently failed jobs (at most 50), newest first. */
  failedJobs: z.array(
    z.object({
      id: z.string(),
      task: z.string(),
      attempts: count,
      maxAttempts: count,
      lastError: z.string().nullable(),
      failedAt: z.date().nullable(),
    }),
  ),
});
export type AdminJobsOverview = z.output<typeof adminJobsOverviewOutput>;

/** Graphile Worker job ids are bigints; they travel as decimal strings. */
export const adminJobRetryInput = z.strictObject({
  // At most 18 digits: always within bigint, so the lookup never overflows.
  jobId: z.string({ message: 'invalid_type' }).regex(/^[1-9][0-9]{0,17}$/, { message: 'invalid' }),
});

// ---------------------------------------------------------------------------------------------
// Notifications

export const notificationOutput = z.object({
  id: z.uuid(),
  kind: z.enum(notificationKinds),
  /** What the text needs (plan code, dates as ISO strings, reason…); the client words it. */
  params: z.record(z.string(), z.unknown()),
  createdAt: z.date(),
  readAt: z.date().nullable(),
  /** The plan a `planCode` param names, with its names, so the client can word it; else null. */
  plan: z.object({ code: z.string(), names: localizedText }).nullable(),
  deliveries: z.array(
    z.object({ channel: z.enum(notificationChannels), status: z.enum(deliveryStatuses) }),
  ),
});
export type NotificationOutput = z.output<typeof notificationOutput>;

export const notificationListInput = z
  .object({ unreadOnly: z.boolean({ message: 'invalid_type' }).optional(), ...pageInput(100, 20) })
  .default({ limit: 20 });
export const notificationListOutput = z.object({
  items: z.array(notificationOutput),
  nextCursor: z.string().nullable(),
});
/** `id` marks one; without it every unread notification of the caller is marked read. */
export const notificationMarkReadInput = z.strictObject({ id: id.optional() });
export const notificationUnreadCountOutput = z.object({ count });
