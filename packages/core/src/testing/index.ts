import type { DoctorScope } from '../scope';
/**
 * Test support for every package: databases, factories and one phone-number generator. Users
 * are created directly in the database with one precomputed password hash, so a test does not
 * pay an argon2 hash per user. Imported as `@medora/core/testing`; never from production code.
 */
import type { Db } from '@medora/db';
import type { Locale, SubscriptionStatus, UserRole } from '@medora/schema';
import { sql } from 'kysely';
import { generateSync } from 'otplib';
import { patientSearchKey } from '../patients/search-key';
import { hashPassword } from '../auth/passwords';
import { newTotpSecret } from '../auth/totp';
import type { Services } from '../runtime';
import { systemMeta, type RequestMeta } from '../scope';

export { createTestDatabase, type TestDatabase } from '@medora/db/testing';
export { freePort, startEmbeddedPostgres, type EmbeddedDatabase } from '@medora/db';
export * from './faults';
export * from './sentry-sink';
export { dbSnapshot, diffSnapshots, type Snapshot } from './snapshot';

/** The password of every user the factories create. */
export const TEST_PASSWORD = 'Tog-yoli-2026';

let testHash: Promise<string> | undefined;
/** One argon2id hash of TEST_PASSWORD per process. */
export function testPasswordHash(): Promise<string> {
  return (testHash ??= hashPassword(TEST_PASSWORD));
}

let phoneCounter = 0;
/**
 * A fresh valid Uzbek mobile number per call, unique within a run: the process id keeps
 * parallel test files apart, the counter keeps calls apart.
 */
export function freshPhone(): string {
  phoneCounter += 1;
  const n = (process.pid * 1000 + phoneCounter) % 10_000_000;
  return `+99890${String(n).padStart(7, '0')}`;
}

let ipCounter = 0;
/**
 * A fresh client IP per call, each in its own /24, so per-IP and per-network limits of one test
 * never touch another's.
 */
export function freshIp(): string {
  ipCounter += 1;
  return `10.${process.pid % 250}.${ipCounter % 250}.${(Math.floor(ipCounter / 250) % 250) + 1}`;
}

/**
 * The subscription a factory doctor's workspace is in. `trial_ended` is a trial whose end has
 * passed while the status still says trialing (before the expiry job ran).
 */
export type SubscriptionState = SubscriptionStatus | 'trial_ended';

export interface TestUser {
  userId: string;
  phone: string;
  name: string;
  password: string;
  role: UserRole;
}

export interface TestDoctor extends TestUser {
  workspaceId: string;
}

export interface UserOptions {
  phone?: string;
  name?: string;
  locale?: Locale;
  active?: boolean;
}

async function insertUser(
  db: Db,
  role: UserRole,
  opts: UserOptions,
  defaultName: string,
): Promise<TestUser> {
  const phone = opts.phone ?? freshPhone();
  const name = opts.name ?? defaultName;
  const row = await db
    .insertInto('users')
    .values({
      phone,
      name,
      password_hash: await testPasswordHash(),
      role,
      locale: opts.locale ?? 'uz',
      is_active: opts.active ?? true,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { userId: row.id, phone, name, password: TEST_PASSWORD, role };
}

/** Factories over one database. */
export function factories(db: Db) {
  return {
    /** A doctor who owns a personal workspace in the given subscription state (default trialing). */
    async doctor(
      opts: UserOptions & { subscription?: SubscriptionState } = {},
    ): Promise<TestDoctor> {
      const user = await insertUser(db, 'doctor', opts, 'Dilnoza Karimova');
      const state = opts.subscription ?? 'trialing';
      const plan = await db
        .selectFrom('plans')
        .select('id')
        .where('code', '=', state === 'active' ? 'doctor_monthly' : 'trial')
        .executeTakeFirstOrThrow();
      const days = (n: number) => sql<Date>`now() + make_interval(days => ${n})`;
      const ws = await db
        .insertInto('workspaces')
        .values({
          name: user.name,
          kind: 'personal',
          plan_id: plan.id,
          subscription_status: state === 'trial_ended' ? 'trialing' : state,
          trial_ends_at: state === 'trialing' ? days(7) : days(-1),
          current_period_end:
            state === 'active' ? days(30) : state === 'trialing' ? null : days(-1),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await db
        .insertInto('workspace_members')
        .values({ workspace_id: ws.id, user_id: user.userId, role: 'owner' })
        .execute();
      return { ...user, workspaceId: ws.id };
    },

    /**
     * An administrator (no workspace) with no authenticator yet: signing in with a password leads
     * to enrolment. `enrolTotp` gives it one; `signInDirectly` gives it a session that passed
     * the second factor.
     */
    admin(opts: UserOptions = {}): Promise<TestUser> {
      return insertUser(db, 'admin', opts, 'Aziz Rahimov');
    },

    /** A patient in the doctor's workspace, written as the service would (search key included). */
    async patient(
      doctor: Pick<TestDoctor, 'userId' | 'workspaceId'>,
      p: {
        firstName?: string;
        lastName?: string;
        middleName?: string | null;
        phone?: string | null;
      } = {},
    ): Promise<{ id: string; firstName: string; lastName: string }> {
      const names = {
        firstName: p.firstName ?? 'Alisher',
        lastName: p.lastName ?? 'Shukurov',
        middleName: p.middleName ?? null,
        phone: p.phone ?? null,
      };
      const row = await db
        .insertInto('patients')
        .values({
          workspace_id: doctor.workspaceId,
          created_by: doctor.userId,
          first_name: names.firstName,
          last_name: names.lastName,
          middle_name: names.middleName,
          phone: names.phone,
          search_key: patientSearchKey(names),
          birth_date: '1980-05-17',
          sex: 'male',
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      return { id: row.id, firstName: names.firstName, lastName: names.lastName };
    },

    /** A doctor whose account an admin deactivated. */
    deactivated(opts: UserOptions = {}): Promise<TestDoctor> {
      return this.doctor({ ...opts, active: false });
    },
  };
}
export type Factories = ReturnType<typeof factories>;

/**
 * Signs a user in without a password check (no argon2, no throttle): a live session and its
 * tokens, as `auth.login` would issue them. An administrator's session has passed the second
 * factor, as after `auth.verifyTotp`, unless `secondFactor: false` asks for one that has not.
 */
export async function signInDirectly(
  services: Services,
  user: Pick<TestUser, 'userId'>,
  meta: RequestMeta = systemMeta,
  opts: { secondFactor?: boolean } = {},
): Promise<{ accessToken: string; refreshToken: string; sessionId: string }> {
  const row = await services.db
    .selectFrom('users')
    .select(['id', 'phone', 'name', 'role', 'locale', 'email'])
    .where('id', '=', user.userId)
    .executeTakeFirstOrThrow();
  const secondFactor = opts.secondFactor ?? row.role === 'admin';
  const { familyId, refreshToken } = await services.db
    .transaction()
    .execute((trx) => services.sessions.start(trx, user.userId, meta, { secondFactor }));
  const issued = await services.sessions.issue(row, familyId, refreshToken);
  return { accessToken: issued.accessToken, refreshToken, sessionId: familyId };
}

/**
 * Enrols an administrator's authenticator directly (as `auth.totpEnrolFinish` would leave it,
 * without recovery codes) and returns the base32 secret, so a test can compute codes with otplib.
 */
export async function enrolTotp(
  services: Services,
  user: Pick<TestUser, 'userId'>,
  secret: string = newTotpSecret(),
): Promise<string> {
  await services.db
    .updateTable('users')
    .set({
      totp_secret: services.secondFactor.vault.seal(user.userId, secret),
      totp_enrolled_at: sql`now()`,
      totp_last_step: null,
    })
    .where('id', '=', user.userId)
    .execute();
  return secret;
}

/** A doctor's scope as the procedure builders make it from a live session (for service tests). */
export function doctorScope(
  d: Pick<TestDoctor, 'userId' | 'workspaceId'>,
  requestId = 'test',
): DoctorScope {
  return {
    userId: d.userId,
    role: 'doctor',
    workspaceId: d.workspaceId,
    sessionId: '00000000-0000-4000-8000-000000000001',
    ip: '203.0.113.1',
    userAgent: 'vitest',
    requestId,
  };
}

/** The authenticator code for `secret` at `at` (now), as an authenticator app shows it. */
export function totpCode(secret: string, at: Date = new Date()): string {
  return generateSync({ secret, epoch: Math.floor(at.getTime() / 1000) });
}

export { startRedisServer, type TestRedisServer } from './redis-server';
export { filesUnder } from './files';

/**
 * Holds an ACCESS EXCLUSIVE lock on `table` in a transaction of its own, so every query on the
 * table waits, until the returned function releases it: a slow query without a slow plan.
 */
export async function lockTable(db: Db, table: string): Promise<() => Promise<void>> {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let locked!: () => void;
  const isLocked = new Promise<void>((resolve) => (locked = resolve));
  const held = db.transaction().execute(async (trx) => {
    await sql`lock table ${sql.table(table)} in access exclusive mode`.execute(trx);
    locked();
    await released;
  });
  await Promise.race([isLocked, held]);
  return async () => {
    release();
    await held;
  };
}

/** Backends of this database running a query on `table` that waits for a lock. */
export async function backendsWaitingOn(db: Db, table: string): Promise<number[]> {
  const { rows } = await sql<{ pid: number }>`
    select pid from pg_stat_activity
     where datname = current_database() and state = 'active' and wait_event_type = 'Lock'
       and query ilike ${`%"${table}"%`}`.execute(db);
  return rows.map((r) => r.pid);
}

/** Whether backend `pid` is running a query right now. */
export async function isBackendActive(db: Db, pid: number): Promise<boolean> {
  const { rows } = await sql`
    select 1 from pg_stat_activity where pid = ${pid}::int and state = 'active'`.execute(db);
  return rows.length > 0;
}

/** Backends of this database left inside a transaction between statements. */
export async function idleInTransaction(db: Db): Promise<number[]> {
  const { rows } = await sql<{ pid: number }>`
    select pid from pg_stat_activity
     where datname = current_database() and state like 'idle in transaction%'`.execute(db);
  return rows.map((r) => r.pid);
}

/** Whether another transaction holds a row lock on row `id` of `table` (FOR UPDATE or stronger). */
export async function isRowLocked(db: Db, table: string, id: string): Promise<boolean> {
  const { rows } = await sql`
    select 1 from ${sql.table(table)} where id = ${id} for update skip locked`.execute(db);
  return rows.length === 0;
}
