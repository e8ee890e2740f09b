import { sql } from 'kysely';
import type { Executor, NewRow, RowUpdate, Trx } from '../db';

const PUBLIC_COLUMNS = ['id', 'phone', 'name', 'role', 'locale', 'email'] as const;

/** A user with the columns sign-in needs, by phone (E.164) or by id. */
export function findUser(db: Executor, by: { phone: string } | { id: string }) {
  const [column, value] = 'phone' in by ? (['phone', by.phone] as const) : (['id', by.id] as const);
  return db
    .selectFrom('users')
    .select([...PUBLIC_COLUMNS, 'password_hash', 'is_active'])
    .where(column, '=', value)
    .executeTakeFirst();
}

export async function phoneExists(db: Executor, phone: string): Promise<boolean> {
  return Boolean(
    await db.selectFrom('users').select('id').where('phone', '=', phone).executeTakeFirst(),
  );
}

export async function anyAdminExists(db: Executor): Promise<boolean> {
  return Boolean(
    await db
      .selectFrom('users')
      .select('id')
      .where('role', '=', 'admin')
      .limit(1)
      .executeTakeFirst(),
  );
}

/** Inserts a user unless the phone is taken (then undefined: the unique index decides races). */
export function insertUser(
  trx: Trx,
  user: Required<Pick<NewRow<'users'>, 'phone' | 'name' | 'password_hash' | 'role' | 'locale'>>,
) {
  return trx
    .insertInto('users')
    .values(user)
    .onConflict((oc) => oc.column('phone').doNothing())
    .returning(PUBLIC_COLUMNS)
    .executeTakeFirst();
}

export async function stampLastLogin(trx: Trx, userId: string): Promise<void> {
  await trx
    .updateTable('users')
    .set({ last_login_at: sql`now()` })
    .where('id', '=', userId)
    .execute();
}

export function updateProfile(
  db: Executor,
  userId: string,
  changes: Pick<RowUpdate<'users'>, 'name' | 'locale' | 'email'>,
) {
  return db
    .updateTable('users')
    .set({
      ...(changes.name !== undefined && { name: changes.name }),
      ...(changes.locale !== undefined && { locale: changes.locale }),
      ...(changes.email !== undefined && { email: changes.email }),
      updated_at: sql`now()`,
    })
    .where('id', '=', userId)
    .returning(PUBLIC_COLUMNS)
    .executeTakeFirst();
}

export async function setPasswordHash(db: Executor, userId: string, hash: string): Promise<void> {
  await db
    .updateTable('users')
    .set({ password_hash: hash, updated_at: sql`now()` })
    .where('id', '=', userId)
    .execute();
}
