import { z } from 'zod';
import { isCommonPassword } from './common-passwords';

export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 128;

/** A new password: length 8–128 (code points, so Cyrillic counts fairly) and not a common one. */
export const newPasswordSchema = z
  .string({ message: 'password.too_short' })
  .refine((v) => [...v].length >= PASSWORD_MIN, { message: 'password.too_short', abort: true })
  .refine((v) => [...v].length <= PASSWORD_MAX, { message: 'password.too_long', abort: true })
  .refine((v) => !isCommonPassword(v), { message: 'password.common' });

/** A password being checked (login, confirmation): only bounded, never judged. */
export const passwordInputSchema = z
  .string({ message: 'password.too_short' })
  .min(1, { message: 'required' })
  .max(PASSWORD_MAX * 4, { message: 'password.too_long' });
