import { z } from 'zod';
import { auditActorRoles, auditOutcomes, subscriptionStatuses, userRoles } from './enums';
import { pageInput } from './patient';

// The admin console's overview, users and audit log. Money is integer tiyin end to end.

const tiyin = z.number().int();
const count = z.number().int().nonnegative();

export const adminOverviewOutput = z.object({
  doctors: count,
  trialing: count,
  active: count,
  /** Expired by status, plus trialing/active workspaces already past their end. */
  expired: count,
  pendingPayments: count,
  revenueThisMonthTiyin: tiyin,
  /** The last 12 Asia/Tashkent months, oldest first, zero-filled; `month` is YYYY-MM. */
  revenueByMonth: z.array(z.object({ month: z.string(), amountTiyin: tiyin })),
  /** The last 30 Asia/Tashkent days, oldest first, zero-filled; `day` is YYYY-MM-DD. */
  analysesPerDay: z.array(z.object({ day: z.string(), count })),
});
export type AdminOverview = z.output<typeof adminOverviewOutput>;

/**
 * `status` filters on the account (active or deactivated); `subscription` on the workspace's
 * subscription, where a trialing/active workspace past its end counts as expired.
 */
export const adminUserStatuses = ['active', 'deactivated'] as const;
export type AdminUserStatus = (typeof adminUserStatuses)[number];

// Plain objects, not strict: the client's infinite queries add `direction` beside the cursor.
export const adminUserListInput = z
  .object({
    search: z
      .string({ message: 'invalid_type' })
      .max(100, { message: 'too_long' })
      .transform((v) => v.normalize('NFKC').trim())
      .optional(),
    status: z.enum(adminUserStatuses, { message: 'invalid' }).optional(),
    subscription: z.enum(subscriptionStatuses, { message: 'invalid' }).optional(),
    ...pageInput(100, 25),
  })
  .default({ limit: 25 });
export type AdminUserListInput = z.output<typeof adminUserListInput>;

const adminWorkspaceSummary = z.object({
  id: z.uuid(),
  name: z.string(),
  planCode: z.string(),
  planName: z.object({ uz: z.string(), ru: z.string(), en: z.string() }),
  status: z.enum(subscriptionStatuses),
  endsAt: z.date().nullable(),
});

export const adminUserRow = z.object({
  id: z.uuid(),
  name: z.string(),
  phone: z.string(),
  role: z.enum(userRoles),
  active: z.boolean(),
  createdAt: z.date(),
  lastLoginAt: z.date().nullable(),
  workspace: adminWorkspaceSummary.nullable(),
});
export type AdminUserRow = z.output<typeof adminUserRow>;

export const adminUserListOutput = z.object({
  items: z.array(adminUserRow),
  nextCursor: z.string().nullable(),
});

export const adminUserOutput = adminUserRow.extend({
  email: z.string().nullable(),
  locale: z.string(),
  /** Counts only: an admin never sees a doctor's patients. */
  patients: count,
  analyses: count,
});
export type AdminUser = z.output<typeof adminUserOutput>;

export const adminSetActiveInput = z.strictObject({
  id: z.uuid({ message: 'id.invalid' }),
  active: z.boolean({ message: 'invalid_type' }),
});

// Audit actions and entity types are plain identifiers; a control character (NUL above all,
// which PostgreSQL text cannot hold) only ever arrives by attack.
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const AUDIT_CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const auditText = z
  .string({ message: 'invalid_type' })
  .trim()
  .min(1, { message: 'too_short' })
  .max(100, { message: 'too_long' })
  .refine((v) => !AUDIT_CONTROL.test(v), { message: 'text.invalid' });

/**
 * A moment for the audit filters. JavaScript dates reach 273,790 years either side of 1970, far
 * past PostgreSQL's timestamps (4713 BC to 294276 AD): bounded, so no query ever sees one it
 * cannot store.
 */
export const AUDIT_DATE_MIN = new Date('1900-01-01T00:00:00.000Z');
export const AUDIT_DATE_MAX = new Date('9999-12-31T23:59:59.999Z');
const auditDate = z.coerce
  .date({ message: 'date.invalid' })
  .min(AUDIT_DATE_MIN, { message: 'date.invalid' })
  .max(AUDIT_DATE_MAX, { message: 'date.invalid' });

export const adminAuditListInput = z
  .object({
    actor: z.uuid({ message: 'id.invalid' }).optional(),
    /** An entity type (`user`), optionally with its id (`user:<uuid>`). */
    entity: auditText.optional(),
    action: auditText.optional(),
    from: auditDate.optional(),
    to: auditDate.optional(),
    ...pageInput(200, 50),
  })
  .refine((v) => !v.from || !v.to || v.from <= v.to, { message: 'invalid', path: ['to'] })
  .default({ limit: 50 });
export type AdminAuditListInput = z.output<typeof adminAuditListInput>;

export const adminAuditRow = z.object({
  id: z.number().int(),
  at: z.date(),
  action: z.string(),
  outcome: z.enum(auditOutcomes),
  actorUserId: z.string().nullable(),
  actorRole: z.enum(auditActorRoles).nullable(),
  workspaceId: z.string().nullable(),
  entityType: z.string().nullable(),
  entityId: z.string().nullable(),
  ip: z.string().nullable(),
  requestId: z.string().nullable(),
  meta: z.record(z.string(), z.unknown()),
});

export const adminAuditListOutput = z.object({
  items: z.array(adminAuditRow),
  nextCursor: z.string().nullable(),
});
