import { z } from 'zod';
import { subscriptionStatuses, userRoles, workspaceMemberRoles } from './enums';
import { localeSchema } from './locale';
import { nameSchema } from './name';
import { newPasswordSchema, passwordInputSchema } from './password';
import { emailSchema } from './email';
import { phoneSchema } from './phone';

// The enumerations used to live here; importing them from './auth' keeps working.
export * from './enums';

export const registerInput = z.strictObject({
  phone: phoneSchema,
  name: nameSchema,
  password: newPasswordSchema,
  locale: localeSchema.default('uz'),
});
export type RegisterInput = z.input<typeof registerInput>;

export const loginInput = z.strictObject({
  phone: phoneSchema,
  password: passwordInputSchema,
});
export type LoginInput = z.input<typeof loginInput>;

export const changePasswordInput = z
  .strictObject({
    currentPassword: passwordInputSchema,
    newPassword: newPasswordSchema,
  })
  .refine((v) => v.currentPassword !== v.newPassword, {
    message: 'password.same_as_current',
    path: ['newPassword'],
  });
export type ChangePasswordInput = z.input<typeof changePasswordInput>;

export const updateProfileInput = z.strictObject({
  name: nameSchema.optional(),
  locale: localeSchema.optional(),
  /** null or '' removes it; notifications are e-mailed to it when e-mail is configured. */
  email: emailSchema.optional(),
});
export type UpdateProfileInput = z.input<typeof updateProfileInput>;

export const idInput = z.strictObject({ id: z.uuid({ message: 'id.invalid' }) });

export const userOutput = z.object({
  id: z.uuid(),
  phone: z.string(),
  name: z.string(),
  role: z.enum(userRoles),
  locale: localeSchema,
  email: z.string().nullable(),
});
export type UserOutput = z.infer<typeof userOutput>;

export const authOutput = z.object({
  accessToken: z.string(),
  accessTokenExpiresAt: z.date(),
  user: userOutput,
});
export type AuthOutput = z.infer<typeof authOutput>;

/** How an administrator proves the second factor: with a code, or by enrolling first. */
export const secondFactorKinds = ['totp', 'totp_enrol'] as const;
export type SecondFactorKind = (typeof secondFactorKinds)[number];

/**
 * An administrator's right password answers a challenge instead of tokens: a short-lived token
 * to present with the code (`auth.verifyTotp`) or through enrolment (`auth.totpEnrol*`).
 */
export const secondFactorOutput = z.object({
  secondFactor: z.enum(secondFactorKinds),
  challenge: z.string(),
});
export type SecondFactorOutput = z.infer<typeof secondFactorOutput>;

export const loginOutput = z.union([authOutput, secondFactorOutput]);
export type LoginOutput = z.infer<typeof loginOutput>;

const challengeSchema = z
  .string({ message: 'challenge.invalid' })
  .min(1, 'challenge.invalid')
  .max(1024, 'challenge.invalid');

/** A 6-digit authenticator code (spaces allowed, as apps show `123 456`). */
const totpCodeSchema = z
  .string({ message: 'totp.code_invalid' })
  .max(20, 'totp.code_invalid')
  .transform((v) => v.replace(/\s/g, ''))
  .pipe(z.string().regex(/^\d{6}$/, 'totp.code_invalid'));

/** The code, or one of the recovery codes (`xxxxx-xxxxx`) instead. */
const totpOrRecoveryCodeSchema = z
  .string({ message: 'totp.code_invalid' })
  .max(20, 'totp.code_invalid')
  .transform((v) => v.replace(/\s/g, ''))
  .pipe(z.string().regex(/^(\d{6}|[A-Za-z0-9]{5}-?[A-Za-z0-9]{5})$/, 'totp.code_invalid'));

export const verifyTotpInput = z.strictObject({
  challenge: challengeSchema,
  code: totpOrRecoveryCodeSchema,
});
export type VerifyTotpInput = z.input<typeof verifyTotpInput>;

export const totpEnrolStartInput = z.strictObject({ challenge: challengeSchema });
export type TotpEnrolStartInput = z.input<typeof totpEnrolStartInput>;

/** Shown once: the new secret as text and as a QR code (SVG markup) of its otpauth URI. */
export const totpEnrolStartOutput = z.object({
  secret: z.string(),
  otpauthUri: z.string(),
  qrSvg: z.string(),
});
export type TotpEnrolStartOutput = z.infer<typeof totpEnrolStartOutput>;

export const totpEnrolFinishInput = z.strictObject({
  challenge: challengeSchema,
  code: totpCodeSchema,
});
export type TotpEnrolFinishInput = z.input<typeof totpEnrolFinishInput>;

/** Signed in, with the recovery codes: shown this once, stored only hashed. */
export const totpEnrolFinishOutput = authOutput.extend({ recoveryCodes: z.array(z.string()) });
export type TotpEnrolFinishOutput = z.infer<typeof totpEnrolFinishOutput>;

/**
 * Why a browser no longer has a session, so the sign-in page can say so. `expired` covers a
 * missing, unknown or timed-out refresh cookie.
 */
export const signedOutReasons = [
  'expired',
  'logout',
  'user_revoked',
  'password_changed',
  'session_cap',
  'token_reuse',
  'account_disabled',
] as const;
export type SignedOutReason = (typeof signedOutReasons)[number];

/**
 * `auth.refresh` answers 200 either way: signing out is not an error. `session` is null when the
 * refresh cookie is missing or dead, and `signedOutReason` then says why (null: never signed in).
 */
export const refreshOutput = z.object({
  session: authOutput.nullable(),
  signedOutReason: z.enum(signedOutReasons).nullable(),
});
export type RefreshOutput = z.infer<typeof refreshOutput>;

export const subscriptionSummary = z.object({
  status: z.enum(subscriptionStatuses),
  planCode: z.string(),
  /** The plan's name in every interface language; the client picks the one it shows. */
  planNames: z.object({ uz: z.string(), ru: z.string(), en: z.string() }),
  trialEndsAt: z.date().nullable(),
  currentPeriodEnd: z.date().nullable(),
  /** Whole days until the trial or paid period ends, rounded up; 0 once it has ended. */
  daysLeft: z.number().int().nonnegative(),
  maxAnalysesPerMonth: z.number().int().nullable(),
});
export type SubscriptionSummary = z.infer<typeof subscriptionSummary>;

export const meOutput = z.object({
  user: userOutput,
  workspace: z
    .object({ id: z.uuid(), name: z.string(), role: z.enum(workspaceMemberRoles) })
    .nullable(),
  subscription: subscriptionSummary.nullable(),
});
export type MeOutput = z.infer<typeof meOutput>;

export const sessionOutput = z.object({
  id: z.uuid(),
  startedAt: z.date(),
  lastUsedAt: z.date(),
  expiresAt: z.date(),
  userAgent: z.string().nullable(),
  ip: z.string().nullable(),
  current: z.boolean(),
});
export type SessionOutput = z.infer<typeof sessionOutput>;

/** The answer of a mutation that has nothing to return. */
export const okOutput = z.object({ ok: z.literal(true) });
export type OkOutput = z.infer<typeof okOutput>;

/** The sign-in page's code step: the code alone (the challenge is held by the page). */
export const totpCodeForm = verifyTotpInput.pick({ code: true });
/** The enrolment step's confirmation: a code from the newly added authenticator. */
export const totpEnrolCodeForm = totpEnrolFinishInput.pick({ code: true });
