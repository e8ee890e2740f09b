import { z } from 'zod';
import { nameSchema } from './name';
import { newPasswordSchema } from './password';
import { phoneSchema } from './phone';

/** An administrator created from the CLI or from ADMIN_PHONE/ADMIN_PASSWORD at start-up. */
export const createAdminInput = z.strictObject({
  phone: phoneSchema,
  name: nameSchema,
  password: newPasswordSchema,
});
export type CreateAdminInput = z.output<typeof createAdminInput>;
