import type { Db } from '@medora/db';
import { createAdminInput, maskPhone, type CreateAdminInput } from '@medora/schema';
import type { AuditService } from '../audit/index';
import { phoneTaken } from '../auth/credentials';
import { hashPassword } from '../auth/passwords';
import { isValidBase32Secret, normalizeBase32, type TotpVault } from '../auth/totp';
import { AppError } from '../errors';
import { sql } from 'kysely';
import type { AppConfig } from '../config';
import type { Executor } from '../db';
import { systemMeta } from '../scope';
import * as users from '../users/queries';

/** Administrators exist only by deliberate act: the CLI, or the configured one at start-up. */
export class AdminService {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
    private readonly vault: TotpVault,
  ) {}

  /**
   * Creates an administrator. Refuses to turn an existing doctor's account into an admin: that
   * must be a deliberate act, not a configuration typo.
   */
  async createAdmin(
    input: CreateAdminInput,
    opts: { totpSecret?: string } = {},
  ): Promise<{ created: boolean; userId: string }> {
    const totpSecret = opts.totpSecret && normalizeBase32(opts.totpSecret);
    // Checked here as well as in the configuration: a weak secret must never be enrolled.
    if (totpSecret !== undefined && !isValidBase32Secret(totpSecret))
      throw new AppError('BAD_REQUEST', 'VALIDATION_FAILED', {
        fieldErrors: { totpSecret: ['invalid'] },
      });
    const existingAdmin = async (db: Executor) => {
      const existing = await users.findUser(db, { phone: input.phone });
      if (existing && existing.role !== 'admin') throw phoneTaken();
      return existing ? { created: false, userId: existing.id } : null;
    };
    const found = await existingAdmin(this.db);
    if (found) return found;
    const passwordHash = await hashPassword(input.password);
    return this.db.transaction().execute(async (trx) => {
      const user = await users.insertUser(trx, {
        phone: input.phone,
        name: input.name,
        password_hash: passwordHash,
        role: 'admin',
        locale: 'uz',
      });
      // Someone took the phone between the check and the insert.
      if (!user) return (await existingAdmin(trx))!;
      if (totpSecret) {
        // Enrolled from the start (automated deployments): no enrolment step at first sign-in.
        await trx
          .updateTable('users')
          .set({ totp_secret: this.vault.seal(user.id, totpSecret), totp_enrolled_at: sql`now()` })
          .where('id', '=', user.id)
          .execute();
      }
      await this.audit.record(
        systemMeta,
        {
          action: 'admin.create',
          outcome: 'success',
          actorRole: 'system',
          entityType: 'user',
          entityId: user.id,
          meta: { phone: maskPhone(input.phone), totpEnrolled: Boolean(totpSecret) },
        },
        trx,
      );
      return { created: true, userId: user.id };
    });
  }

  /**
   * Start-up: creates the configured admin (ADMIN_PHONE/ADMIN_PASSWORD, enrolled at once with
   * ADMIN_TOTP_SECRET when set; parsed here because the environment is this call's outside) only
   * when no admin exists at all. 'missing' means none is configured and none exists yet: the
   * operator should create one.
   */
  async bootstrap(admin: AppConfig['admin']): Promise<'created' | 'exists' | 'missing'> {
    if (await users.anyAdminExists(this.db)) return 'exists';
    if (!admin) return 'missing';
    const { totpSecret, ...rest } = admin;
    const { created } = await this.createAdmin(
      createAdminInput.parse(rest),
      totpSecret ? { totpSecret } : {},
    );
    return created ? 'created' : 'exists';
  }
}
