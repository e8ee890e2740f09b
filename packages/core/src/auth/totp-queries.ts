import { sql } from 'kysely';
import type { Executor, Trx } from '../db';

/** An administrator's second-factor state, with what sign-in needs to finish. */
export function findTotpUser(db: Executor, userId: string) {
  return db
    .selectFrom('users')
    .select([
      'id',
      'phone',
      'name',
      'role',
      'locale',
      'email',
      'password_hash',
      'is_active',
      'totp_secret',
      'totp_enrolled_at',
      'totp_last_step',
    ])
    .where('id', '=', userId)
    .executeTakeFirst();
}

export async function isTotpEnrolled(db: Executor, userId: string): Promise<boolean> {
  const row = await db
    .selectFrom('users')
    .select('totp_enrolled_at')
    .where('id', '=', userId)
    .executeTakeFirst();
  return Boolean(row?.totp_enrolled_at);
}

/** Stores a new pending secret; does nothing once the user is enrolled. */
export async function setPendingSecret(db: Executor, userId: string, sealed: string) {
  const rows = await db
    .updateTable('users')
    .set({ totp_secret: sealed })
    .where('id', '=', userId)
    .where('totp_enrolled_at', 'is', null)
    .returning('id')
    .execute();
  return rows.length > 0;
}

/**
 * Completes enrolment with the pending secret the code was checked against. False when another
 * request finished first or started over with a new secret meanwhile.
 */
export async function markEnrolled(trx: Trx, userId: string, sealed: string, step: number) {
  const rows = await trx
    .updateTable('users')
    .set({ totp_enrolled_at: sql`now()`, totp_last_step: step })
    .where('id', '=', userId)
    .where('totp_enrolled_at', 'is', null)
    .where('totp_secret', '=', sealed)
    .returning('id')
    .execute();
  return rows.length > 0;
}

/**
 * Records the accepted step in the statement that checks it is newer than the last one, so two
 * requests carrying one code cannot both pass.
 */
export async function acceptStep(db: Executor, userId: string, step: number): Promise<boolean> {
  const rows = await db
    .updateTable('users')
    .set({ totp_last_step: step })
    .where('id', '=', userId)
    .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)]))
    .returning('id')
    .execute();
  return rows.length > 0;
}

export async function replaceRecoveryCodes(trx: Trx, userId: string, hashes: string[]) {
  await trx.deleteFrom('admin_recovery_codes').where('user_id', '=', userId).execute();
  await trx
    .insertInto('admin_recovery_codes')
    .values(hashes.map((code_hash) => ({ user_id: userId, code_hash })))
    .execute();
}

/** Spends a recovery code: true for exactly one caller, however many present it at once. */
export async function useRecoveryCode(db: Executor, userId: string, hash: string) {
  const rows = await db
    .updateTable('admin_recovery_codes')
    .set({ used_at: sql`now()` })
    .where('user_id', '=', userId)
    .where('code_hash', '=', hash)
    .where('used_at', 'is', null)
    .returning('code_hash')
    .execute();
  return rows.length > 0;
}

export async function unusedRecoveryCodes(db: Executor, userId: string): Promise<number> {
  const row = await db
    .selectFrom('admin_recovery_codes')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('user_id', '=', userId)
    .where('used_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Forgets the authenticator (lost phone): the next sign-in leads through enrolment again. */
export async function resetTotp(trx: Trx, userId: string) {
  await trx
    .updateTable('users')
    .set({ totp_secret: null, totp_enrolled_at: null, totp_last_step: null })
    .where('id', '=', userId)
    .execute();
  await trx.deleteFrom('admin_recovery_codes').where('user_id', '=', userId).execute();
}
