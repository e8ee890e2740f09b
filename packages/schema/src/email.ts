import { z } from 'zod';

const emailFormat = z.email();

/**
 * The e-mail address a user may set on their profile; '' or null clears it. Kept as typed (the
 * local part may be case-sensitive), trimmed.
 */
export const emailSchema = z
  .string({ message: 'invalid_type' })
  .trim()
  .max(254, { message: 'email.too_long' })
  .refine((v) => v === '' || emailFormat.safeParse(v).success, { message: 'email.invalid' })
  .transform((v) => (v === '' ? null : v))
  .nullable()
  .transform((v) => v ?? null);
