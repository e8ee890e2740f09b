import type { Db } from '@medora/db';
import { createAdminInput, maskPhone, type CreateAdminInput } from '@medora/schema';
import type { AuditService } from '../audit/index';
import { phoneTaken } from '../auth/credentials';
import { hashPassword } from '../auth/passwords';
import type { AppConfig } from '../config';
import type { Executor } from '../db';
import { systemMeta } from '../scope';
import * as users from '../users/queries';

/** Administrators exist only by deliberate act: the CLI, or the configured one at start-up. */
export class AdminService {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
  ) {}

  /**
   * Creates an administrator. Refuses to turn an existing doctor's account into an admin: that
   * must be a deliberate act, not a configuration typo.
   */
  async createAdmin(input: CreateAdminInput): Promise<{ created: boolean; userId: string }> {
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
      await this.audit.record(
        systemMeta,
        {
          action: 'admin.create',
          outcome: 'success',
          actorRole: 'system',
          entityType: 'user',
          entityId: user.id,
          meta: { phone: maskPhone(input.phone) },
        },
        trx,
      );
      return { created: true, userId: user.id };
    });
  }

  /**
   * Start-up: creates the configured admin (ADMIN_PHONE/ADMIN_PASSWORD, parsed here because the
   * environment is this call's outside) only when no admin exists at all. 'missing' means none
   * is configured and none exists yet: the operator should create one.
   */
  async bootstrap(admin: AppConfig['admin']): Promise<'created' | 'exists' | 'missing'> {
    if (await users.anyAdminExists(this.db)) return 'exists';
    if (!admin) return 'missing';
    const { created } = await this.createAdmin(createAdminInput.parse(admin));
    return created ? 'created' : 'exists';
  }
}
