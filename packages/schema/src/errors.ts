import type { z } from 'zod';

/**
 * Stable application error codes. The client translates them (errors.app.<CODE>), so they are
 * part of the API contract: add codes, never rename them.
 */
export const appErrorCodes = [
  'VALIDATION_FAILED',
  'INVALID_CREDENTIALS',
  'PHONE_TAKEN',
  'PASSWORD_INCORRECT',
  'TOO_MANY_ATTEMPTS',
  'RATE_LIMITED',
  'UNAUTHENTICATED',
  'SESSION_EXPIRED',
  'REFRESH_INVALID',
  'REFRESH_RACE',
  'FORBIDDEN',
  'NOT_FOUND',
  'ACCOUNT_DISABLED',
  'SECOND_FACTOR_REQUIRED',
  'CHALLENGE_INVALID',
  'TOTP_INVALID',
  'TOTP_ALREADY_ENROLLED',
  'TOTP_ENROLMENT_NOT_STARTED',
  'CANNOT_DEACTIVATE_SELF',
  'SUBSCRIPTION_INACTIVE',
  'PAYMENT_PENDING_EXISTS',
  'PAYMENT_NOT_PENDING',
  'PLAN_NOT_AVAILABLE',
  'PLAN_CODE_TAKEN',
  'PLAN_IS_TRIAL',
  'PLAN_CHANGED',
  'FILE_IN_USE',
  'JOB_NOT_FAILED',
  'USAGE_LIMIT_REACHED',
  'PAYLOAD_TOO_LARGE',
  'FILE_EMPTY',
  'FILE_TYPE_NOT_ALLOWED',
  'FILE_TYPE_MISMATCH',
  'STORAGE_QUOTA_EXCEEDED',
  'STORAGE_FULL',
  'SERVICE_UNAVAILABLE',
  'INTERNAL',
] as const;
export type AppErrorCode = (typeof appErrorCodes)[number];

/**
 * Field error codes are translation keys (errors.field.<code>). Schemas put them in zod's
 * `message`; issues zod raises on its own (wrong type, missing key) map to generic codes.
 */
export const fieldErrorCodes = [
  'required',
  'invalid_type',
  'invalid',
  'too_short',
  'too_long',
  'phone.invalid',
  'phone.taken',
  'name.invalid',
  'name.too_short',
  'name.too_long',
  'password.too_short',
  'password.too_long',
  'password.common',
  'password.same_as_current',
  'password.incorrect',
  'challenge.invalid',
  'totp.code_invalid',
  'locale.invalid',
  'id.invalid',
  'date.invalid',
  'date.future',
  'date.too_old',
  'age.invalid',
  'patient.birth_date_or_age',
  'text.invalid',
  'cursor.invalid',
  'sex.invalid',
  'analysis.empty',
  'analysis.idempotency_key_invalid',
  'analysis.condition_code_invalid',
  'analysis.condition_not_in_report',
  'lab.code_invalid',
  'lab.reference_low_above_high',
  'vitals.diastolic_not_below_systolic',
  'plan.code_invalid',
  'plan.code_taken',
  'payment.receipt_invalid',
  'email.invalid',
  'email.too_long',
] as const;
export type FieldErrorCode = (typeof fieldErrorCodes)[number];
const known = new Set<string>(fieldErrorCodes);

export type FieldErrors = Record<string, FieldErrorCode[]>;

export function issueToFieldCode(issue: z.core.$ZodIssue): FieldErrorCode {
  if (known.has(issue.message)) return issue.message as FieldErrorCode;
  switch (issue.code) {
    case 'invalid_type':
      // zod 4 leaves the input out of its issues unless asked to report it; then a missing key is
      // the type error whose message says it received undefined.
      return (
        'input' in issue ? issue.input === undefined : /received undefined$/.test(issue.message)
      )
        ? 'required'
        : 'invalid_type';
    case 'too_small':
      return 'too_short';
    case 'too_big':
      return 'too_long';
    default:
      return 'invalid';
  }
}

/** Groups zod issues by dotted path ("" for the root), keeping the first few codes per field. */
export function toFieldErrors(issues: readonly z.core.$ZodIssue[]): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of issues) {
    const key = issue.path.map(String).join('.');
    const list = (out[key] ??= []);
    const code = issueToFieldCode(issue);
    if (!list.includes(code) && list.length < 5) list.push(code);
  }
  return out;
}
