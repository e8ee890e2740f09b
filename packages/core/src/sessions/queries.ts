import type { Database } from '@medora/db';
import type { SessionRevokeReason, SignedOutReason } from '@medora/schema';
import { sql, type ExpressionBuilder } from 'kysely';
import { compiledOnce, type Executor, type Trx } from '../db';
import type { RequestMeta } from '../scope';

/** Why a session family ended; stored on its rows. */
export type RevokeReason = SessionRevokeReason;

/** The usable token of a session family: not replaced, not revoked, not expired. */
export function live(eb: ExpressionBuilder<Database, 'sessions'>) {
  return eb.and([
    eb('sessions.revoked_at', 'is', null),
    eb('sessions.replaced_at', 'is', null),
    eb('sessions.expires_at', '>', sql<Date>`now()`),
  ]);
}

export async function insertToken(
  trx: Trx,
  row: {
    userId: string;
    tokenHash: string;
    ttlDays: number;
    meta: RequestMeta;
    /** Continue a family (refresh) instead of starting one (sign-in). */
    family?: { familyId: string; startedAt: Date; secondFactorAt: Date | null };
    /** A new family whose sign-in passed the second factor (an administrator's). */
    secondFactor?: boolean;
  },
): Promise<string> {
  const inserted = await trx
    .insertInto('sessions')
    .values({
      user_id: row.userId,
      family_id: row.family?.familyId ?? sql<string>`gen_random_uuid()`,
      family_started_at: row.family?.startedAt ?? sql<Date>`now()`,
      // Kept across rotation: the family passed the second factor once, at sign-in.
      second_factor_at: row.family
        ? row.family.secondFactorAt
        : row.secondFactor
          ? sql<Date>`now()`
          : null,
      refresh_token_hash: row.tokenHash,
      expires_at: sql<Date>`now() + make_interval(days => ${row.ttlDays})`,
      user_agent: row.meta.userAgent?.slice(0, 512) ?? null,
      ip: row.meta.ip?.slice(0, 64) ?? null,
    })
    .returning('family_id')
    .executeTakeFirstOrThrow();
  return inserted.family_id;
}

/** An administrator's session family ends this long after its sign-in, however active. */
export const ADMIN_SESSION_MAX_HOURS = 12;

/**
 * False for an administrator's family started more than ADMIN_SESSION_MAX_HOURS ago. Compared
 * with the database clock, as every other session expiry is.
 */
export function withinAdminLimit(eb: ExpressionBuilder<Database, 'sessions'>) {
  return eb.or([
    eb(
      'sessions.family_started_at',
      '>',
      sql<Date>`now() - make_interval(hours => ${ADMIN_SESSION_MAX_HOURS})`,
    ),
    eb.not(
      eb.exists(
        eb
          .selectFrom('users as owner')
          .select('owner.id')
          .whereRef('owner.id', '=', 'sessions.user_id')
          .where('owner.role', '=', 'admin'),
      ),
    ),
  ]);
}

/**
 * Marks a live token replaced in the statement that finds it, so of two concurrent refreshes
 * exactly one gets the row. Families older than `maxDays` (12 hours for administrators) are not
 * refreshed.
 */
export function consumeToken(trx: Trx, tokenHash: string, maxDays: number) {
  return trx
    .updateTable('sessions')
    .set({ replaced_at: sql`now()` })
    .where('refresh_token_hash', '=', tokenHash)
    .where(live)
    .where('family_started_at', '>', sql<Date>`now() - make_interval(days => ${maxDays})`)
    .where(withinAdminLimit)
    .returning(['user_id', 'family_id', 'family_started_at', 'second_factor_at'])
    .executeTakeFirst();
}

/** A token that could not be consumed: what became of it, and whether it was rotated just now. */
export function findToken(db: Executor, tokenHash: string, graceSeconds: number) {
  return db
    .selectFrom('sessions')
    .select(['user_id', 'family_id', 'revoked_at', 'revoked_reason', 'replaced_at', 'expires_at'])
    .select(
      sql<boolean>`coalesce(replaced_at > now() - make_interval(secs => ${graceSeconds}), false)`.as(
        'within_grace',
      ),
    )
    .where('refresh_token_hash', '=', tokenHash)
    .executeTakeFirst();
}

export async function revokeFamilies(
  db: Executor,
  families: string[],
  reason: RevokeReason,
): Promise<void> {
  if (families.length === 0) return;
  await db
    .updateTable('sessions')
    .set({ revoked_at: sql`now()`, revoked_reason: reason })
    .where('family_id', 'in', families)
    .where('revoked_at', 'is', null)
    .execute();
}

/** Revokes one of the user's own families; false when it is not theirs or already ended. */
export async function revokeOwnFamily(
  db: Executor,
  userId: string,
  familyId: string,
  reason: RevokeReason,
): Promise<boolean> {
  const rows = await db
    .updateTable('sessions')
    .set({ revoked_at: sql`now()`, revoked_reason: reason })
    .where('family_id', '=', familyId)
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .returning('id')
    .execute();
  return rows.length > 0;
}

/** The user's live families, oldest first, under a lock on the user row (see the session cap). */
export async function lockLiveFamilies(trx: Trx, userId: string): Promise<string[]> {
  // Two sign-ins at once must not both see room for one more session.
  await trx.selectFrom('users').select('id').where('id', '=', userId).forUpdate().execute();
  const rows = await trx
    .selectFrom('sessions')
    .select('family_id')
    .where('user_id', '=', userId)
    .where(live)
    .orderBy('family_started_at', 'asc')
    .execute();
  return rows.map((r) => r.family_id);
}

export async function otherFamilies(
  db: Executor,
  userId: string,
  exceptFamily: string,
): Promise<string[]> {
  const rows = await db
    .selectFrom('sessions')
    .select('family_id')
    .distinct()
    .where('user_id', '=', userId)
    .where('family_id', '!=', exceptFamily)
    .where('revoked_at', 'is', null)
    .execute();
  return rows.map((r) => r.family_id);
}

export function listLive(db: Executor, userId: string) {
  return db
    .selectFrom('sessions')
    .select(['family_id', 'family_started_at', 'created_at', 'expires_at', 'user_agent', 'ip'])
    .where('user_id', '=', userId)
    .where(live)
    .orderBy('created_at', 'desc')
    .execute();
}

export function familyOfToken(db: Executor, tokenHash: string) {
  return db
    .selectFrom('sessions')
    .select(['family_id', 'user_id'])
    .where('refresh_token_hash', '=', tokenHash)
    .executeTakeFirst();
}

// Compiled once: it runs on every authenticated request.
const callerQuery = compiledOnce(2, (db: Executor, userId: string, familyId: string) =>
  db
    .selectFrom('users as u')
    .leftJoin('sessions', (j) =>
      j.onRef('sessions.user_id', '=', 'u.id').on('sessions.family_id', '=', familyId).on(live),
    )
    .leftJoin('workspace_members as m', 'm.user_id', 'u.id')
    .select([
      'u.id',
      'u.name',
      'u.phone',
      'u.role',
      'u.locale',
      'u.email',
      'u.is_active',
      'sessions.id as live_token',
      'sessions.second_factor_at',
      sql<boolean>`sessions.family_started_at > now() - make_interval(hours => ${ADMIN_SESSION_MAX_HOURS})`.as(
        'within_admin_limit',
      ),
      'm.workspace_id',
      'm.role as workspace_role',
    ])
    .where('u.id', '=', userId)
    // A doctor's own workspace first, should they later also belong to a clinic.
    .orderBy(sql`m.role = 'owner'`, 'desc')
    .orderBy('m.created_at')
    .limit(1),
);

/**
 * The caller behind an access token, with the state of its session read in the same indexed
 * query, so a revocation takes effect on the very next request on every server.
 */
export async function loadCaller(db: Executor, userId: string, familyId: string) {
  return (await callerQuery(db, userId, familyId))[0];
}

/** How a revoke reason reads to the browser that lost its session. */
export function signedOutReason(reason: string | null): SignedOutReason {
  switch (reason) {
    case 'logout':
    case 'user_revoked':
    case 'password_changed':
    case 'session_cap':
    case 'token_reuse':
      return reason;
    case 'admin':
      return 'account_disabled';
    default:
      return 'expired';
  }
}
