import type { Database, Db } from '@medora/db';
import { isUniqueViolation } from '@medora/db';
import {
  changePasswordInput,
  loginInput,
  maskPhone,
  newPasswordSchema,
  nameSchema,
  phoneSchema,
  registerInput,
  updateProfileInput,
  type Locale,
  type MeOutput,
  type SessionOutput,
  type UserOutput,
  type UserRole,
} from '@medora/schema';
import { sql, type ExpressionBuilder, type Kysely } from 'kysely';
import type { z } from 'zod';
import type { AuditService, RequestMeta } from '../audit/index';
import type { Cache } from '../cache/index';
import type { AppConfig } from '../config';
import { AppError, notFound, unauthenticated } from '../errors';
import { dummyHash, hashPassword, verifyPassword } from './passwords';
import { LoginThrottle } from './throttle';
import { hashRefreshToken, newRefreshToken, signAccessToken, verifyAccessToken } from './tokens';

/** Who is calling, resolved from a valid access token whose session is still live. */
export interface SessionContext {
  userId: string;
  sessionId: string;
  role: UserRole;
  name: string;
  phone: string;
  locale: Locale;
  workspaceId: string | null;
  workspaceRole: 'owner' | 'doctor' | null;
}

export interface IssuedSession {
  accessToken: string;
  accessTokenExpiresAt: Date;
  refreshToken: string;
  refreshTokenExpiresAt: Date;
  user: UserOutput;
}

type RevokeReason =
  'logout' | 'user_revoked' | 'password_changed' | 'session_cap' | 'token_reuse' | 'admin';
type Trx = Kysely<Database>;

const DAY_MS = 86_400_000;

/** The usable token of a session family: not replaced, not revoked, not expired. */
function live(eb: ExpressionBuilder<Database, 'sessions'>) {
  return eb.and([
    eb('sessions.revoked_at', 'is', null),
    eb('sessions.replaced_at', 'is', null),
    eb('sessions.expires_at', '>', sql<Date>`now()`),
  ]);
}

function phoneTaken(): AppError {
  return new AppError('CONFLICT', 'PHONE_TAKEN', { fieldErrors: { phone: ['phone.taken'] } });
}

export interface AuthServiceDeps {
  db: Db;
  cache: Cache;
  config: AppConfig;
  audit: AuditService;
}

export class AuthService {
  private readonly throttle: LoginThrottle;
  private readonly db: Db;
  private readonly config: AppConfig;
  private readonly audit: AuditService;

  constructor(deps: AuthServiceDeps) {
    ({ db: this.db, config: this.config, audit: this.audit } = deps);
    this.throttle = new LoginThrottle(deps.cache, deps.config.login);
  }

  // ---------------------------------------------------------------- sign-up and sign-in

  async register(raw: z.input<typeof registerInput>, req: RequestMeta): Promise<IssuedSession> {
    const input = registerInput.parse(raw);
    // A taken phone is answered before the deliberately slow hash is computed.
    const taken = await this.db
      .selectFrom('users')
      .select('id')
      .where('phone', '=', input.phone)
      .executeTakeFirst();
    if (taken) throw phoneTaken();
    const passwordHash = await hashPassword(input.password);
    const refreshToken = newRefreshToken();
    const { user, familyId } = await this.db
      .transaction()
      .execute(async (trx) => {
        const user = await trx
          .insertInto('users')
          .values({
            phone: input.phone,
            name: input.name,
            password_hash: passwordHash,
            role: 'doctor',
            locale: input.locale,
          })
          .onConflict((oc) => oc.column('phone').doNothing())
          .returning(['id', 'phone', 'name', 'role', 'locale'])
          .executeTakeFirst();
        if (!user) throw phoneTaken();
        const plan = await trx
          .selectFrom('plans')
          .select(['id', 'duration_days'])
          .where('is_trial', '=', true)
          .where('is_active', '=', true)
          .executeTakeFirstOrThrow(() => new Error('no active trial plan is configured'));
        const workspace = await trx
          .insertInto('workspaces')
          .values({
            name: user.name,
            kind: 'personal',
            plan_id: plan.id,
            subscription_status: 'trialing',
            trial_ends_at: sql<Date>`now() + make_interval(days => ${plan.duration_days})`,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        await trx
          .insertInto('workspace_members')
          .values({ workspace_id: workspace.id, user_id: user.id, role: 'owner' })
          .execute();
        const familyId = await this.signIn(trx, user.id, refreshToken, req);
        await this.audit.record(
          {
            action: 'auth.register',
            outcome: 'success',
            actorUserId: user.id,
            actorRole: 'doctor',
            workspaceId: workspace.id,
            entityType: 'user',
            entityId: user.id,
          },
          req,
          trx,
        );
        return { user, familyId };
      })
      .catch((e: unknown) => {
        // Two sign-ups with one phone at the same moment: the loser hits the unique index.
        throw isUniqueViolation(e, 'users_phone_key') ? phoneTaken() : e;
      });
    return this.issue(user, familyId, refreshToken);
  }

  async login(raw: z.input<typeof loginInput>, req: RequestMeta): Promise<IssuedSession> {
    const input = loginInput.parse(raw);
    const masked = maskPhone(input.phone);
    try {
      await this.throttle.begin(input.phone, req.ip);
    } catch (e) {
      await this.audit.record(
        { action: 'auth.login', outcome: 'denied', meta: { phone: masked, reason: 'throttled' } },
        req,
      );
      throw e;
    }
    const user = await this.db
      .selectFrom('users')
      .select(['id', 'phone', 'name', 'role', 'locale', 'password_hash', 'is_active'])
      .where('phone', '=', input.phone)
      .executeTakeFirst();
    // Always verify a hash, so unknown phones cost the same time as wrong passwords.
    const valid = await verifyPassword(user?.password_hash ?? (await dummyHash()), input.password);
    if (!user || !valid || !user.is_active) {
      await this.audit.record(
        {
          action: 'auth.login',
          outcome: 'failure',
          actorUserId: user?.id ?? null,
          actorRole: user ? user.role : 'anonymous',
          meta: {
            phone: masked,
            reason: !user ? 'unknown_phone' : !valid ? 'wrong_password' : 'inactive',
          },
        },
        req,
      );
      throw new AppError('UNAUTHORIZED', 'INVALID_CREDENTIALS');
    }
    await this.throttle.succeeded(input.phone, req.ip);
    const refreshToken = newRefreshToken();
    const familyId = await this.db.transaction().execute(async (trx) => {
      const capped = await this.enforceSessionCap(trx, user.id);
      const familyId = await this.signIn(trx, user.id, refreshToken, req);
      await this.audit.record(
        {
          action: 'auth.login',
          outcome: 'success',
          actorUserId: user.id,
          actorRole: user.role,
          entityType: 'session',
          entityId: familyId,
          meta: capped ? { revokedOldest: capped } : {},
        },
        req,
        trx,
      );
      return familyId;
    });
    return this.issue(user, familyId, refreshToken);
  }

  /**
   * Trades a refresh token for a new pair. The token is single-use: the row is marked replaced
   * in the same statement that finds it, so of two concurrent calls exactly one wins. The loser
   * within the grace window gets REFRESH_RACE (a second tab, not a thief); a replaced token shown
   * later is a replay and revokes the whole family. A family older than SESSION_MAX_DAYS cannot
   * be refreshed however active it is: the doctor signs in again.
   */
  async refresh(token: string | undefined, req: RequestMeta): Promise<IssuedSession> {
    if (!token || token.length > 200) throw unauthenticated('REFRESH_INVALID');
    const hash = hashRefreshToken(token);
    const next = newRefreshToken();
    const outcome = await this.db.transaction().execute(async (trx) => {
      const row = await trx
        .updateTable('sessions')
        .set({ replaced_at: sql`now()` })
        .where('refresh_token_hash', '=', hash)
        .where(live)
        .where(
          'family_started_at',
          '>',
          sql<Date>`now() - make_interval(days => ${this.config.sessionMaxDays})`,
        )
        .returning(['user_id', 'family_id', 'family_started_at'])
        .executeTakeFirst();
      if (row) {
        const user = await trx
          .selectFrom('users')
          .select(['id', 'phone', 'name', 'role', 'locale', 'is_active'])
          .where('id', '=', row.user_id)
          .executeTakeFirstOrThrow();
        if (!user.is_active) {
          await this.revokeFamilies(trx, [row.family_id], 'admin');
          return { kind: 'invalid' as const };
        }
        await this.insertSession(trx, user.id, next, req, {
          familyId: row.family_id,
          startedAt: row.family_started_at,
        });
        return { kind: 'ok' as const, user, familyId: row.family_id };
      }
      const old = await trx
        .selectFrom('sessions')
        .select(['user_id', 'family_id', 'revoked_at', 'replaced_at'])
        .select(
          sql<boolean>`replaced_at > now() - make_interval(secs => ${this.config.refreshReuseGraceSeconds})`.as(
            'within_grace',
          ),
        )
        .where('refresh_token_hash', '=', hash)
        .executeTakeFirst();
      if (!old || old.revoked_at || !old.replaced_at) return { kind: 'invalid' as const };
      if (old.within_grace) return { kind: 'race' as const };
      await this.revokeFamilies(trx, [old.family_id], 'token_reuse');
      await this.audit.record(
        {
          action: 'auth.refresh_reuse',
          outcome: 'denied',
          actorUserId: old.user_id,
          entityType: 'session',
          entityId: old.family_id,
        },
        req,
        trx,
      );
      return { kind: 'invalid' as const };
    });
    if (outcome.kind === 'race') throw unauthenticated('REFRESH_RACE');
    if (outcome.kind === 'invalid') throw unauthenticated('REFRESH_INVALID');
    return this.issue(outcome.user, outcome.familyId, next);
  }

  /** Ends the session the refresh cookie (or else the access token) belongs to. Idempotent. */
  async logout(
    refreshToken: string | undefined,
    session: SessionContext | null,
    req: RequestMeta,
  ): Promise<void> {
    let familyId = session?.sessionId ?? null;
    let userId = session?.userId ?? null;
    if (refreshToken && refreshToken.length <= 200) {
      const row = await this.db
        .selectFrom('sessions')
        .select(['family_id', 'user_id'])
        .where('refresh_token_hash', '=', hashRefreshToken(refreshToken))
        .executeTakeFirst();
      if (row) ({ family_id: familyId, user_id: userId } = row);
    }
    if (!familyId) return;
    const ended = familyId;
    await this.db.transaction().execute(async (trx) => {
      await this.revokeFamilies(trx, [ended], 'logout');
      await this.audit.record(
        {
          action: 'auth.logout',
          outcome: 'success',
          actorUserId: userId,
          entityType: 'session',
          entityId: ended,
        },
        req,
        trx,
      );
    });
  }

  // ---------------------------------------------------------------- per-request authentication

  /**
   * Resolves a bearer token to a live session. The session's state is read from PostgreSQL in
   * the same indexed query that loads the user, so a revocation takes effect on the very next
   * request on every server — no cache that could briefly disagree.
   */
  async authenticate(accessToken: string): Promise<SessionContext> {
    const verified = await verifyAccessToken(accessToken, this.config.tokenSecret);
    if (!verified.ok)
      throw unauthenticated(verified.reason === 'expired' ? 'SESSION_EXPIRED' : 'UNAUTHENTICATED');
    const { userId, sessionId } = verified.claims;
    const row = await this.db
      .selectFrom('users as u')
      .leftJoin('sessions', (j) =>
        j.onRef('sessions.user_id', '=', 'u.id').on('sessions.family_id', '=', sessionId).on(live),
      )
      .leftJoin('workspace_members as m', 'm.user_id', 'u.id')
      .select([
        'u.id',
        'u.name',
        'u.phone',
        'u.role',
        'u.locale',
        'u.is_active',
        'sessions.id as live_token',
        'm.workspace_id',
        'm.role as workspace_role',
      ])
      .where('u.id', '=', userId)
      // A doctor's own workspace first, should they later also belong to a clinic.
      .orderBy(sql`m.role = 'owner'`, 'desc')
      .orderBy('m.created_at')
      .limit(1)
      .executeTakeFirst();
    if (!row) throw unauthenticated();
    if (!row.live_token) throw unauthenticated('SESSION_EXPIRED');
    if (!row.is_active) throw new AppError('UNAUTHORIZED', 'ACCOUNT_DISABLED');
    return {
      userId: row.id,
      sessionId,
      role: row.role,
      name: row.name,
      phone: row.phone,
      locale: row.locale,
      workspaceId: row.workspace_id,
      workspaceRole: row.workspace_role,
    };
  }

  /** Cheap identity for per-user rate limits: signature and expiry only, no session lookup. */
  async peekUserId(accessToken: string): Promise<string | null> {
    const verified = await verifyAccessToken(accessToken, this.config.tokenSecret);
    return verified.ok ? verified.claims.userId : null;
  }

  // ---------------------------------------------------------------- account

  async me(session: SessionContext): Promise<MeOutput> {
    // The session was read from the database for this very request: no second user query.
    const user: UserOutput = {
      id: session.userId,
      phone: session.phone,
      name: session.name,
      role: session.role,
      locale: session.locale,
    };
    if (!session.workspaceId) return { user, workspace: null, subscription: null };
    const ws = await this.db
      .selectFrom('workspaces as w')
      .innerJoin('plans as p', 'p.id', 'w.plan_id')
      .select([
        'w.id',
        'w.name',
        'w.subscription_status',
        'w.trial_ends_at',
        'w.current_period_end',
        'p.code as plan_code',
        'p.name_uz',
        'p.name_ru',
        'p.name_en',
        'p.max_analyses_per_month',
      ])
      .select(sql<Date>`now()`.as('db_now'))
      .where('w.id', '=', session.workspaceId)
      .executeTakeFirstOrThrow(() => notFound());
    const end =
      ws.subscription_status === 'trialing'
        ? ws.trial_ends_at
        : ws.subscription_status === 'active'
          ? ws.current_period_end
          : null;
    const daysLeft = end
      ? Math.max(0, Math.ceil((end.getTime() - ws.db_now.getTime()) / DAY_MS))
      : 0;
    return {
      user,
      workspace: { id: ws.id, name: ws.name, role: session.workspaceRole ?? 'doctor' },
      subscription: {
        status: ws.subscription_status,
        planCode: ws.plan_code,
        planNames: { uz: ws.name_uz, ru: ws.name_ru, en: ws.name_en },
        trialEndsAt: ws.trial_ends_at,
        currentPeriodEnd: ws.current_period_end,
        daysLeft,
        maxAnalysesPerMonth: ws.max_analyses_per_month,
      },
    };
  }

  async updateProfile(
    session: SessionContext,
    raw: z.input<typeof updateProfileInput>,
    req: RequestMeta,
  ): Promise<UserOutput> {
    const input = updateProfileInput.parse(raw);
    return this.db.transaction().execute(async (trx) => {
      const user = await trx
        .updateTable('users')
        .set({
          ...(input.name !== undefined && { name: input.name }),
          ...(input.locale !== undefined && { locale: input.locale }),
          updated_at: sql`now()`,
        })
        .where('id', '=', session.userId)
        .returning(['id', 'phone', 'name', 'role', 'locale'])
        .executeTakeFirstOrThrow(() => unauthenticated());
      await this.audit.record(
        {
          action: 'user.update_profile',
          outcome: 'success',
          actorUserId: session.userId,
          actorRole: session.role,
          entityType: 'user',
          entityId: session.userId,
          meta: { fields: Object.keys(input).join(',') },
        },
        req,
        trx,
      );
      return user;
    });
  }

  /** Checks the current password, stores the new one and signs every other session out. */
  async changePassword(
    session: SessionContext,
    raw: z.input<typeof changePasswordInput>,
    req: RequestMeta,
  ): Promise<void> {
    const input = changePasswordInput.parse(raw);
    // Guessing the current password here is throttled like guessing it at the login form.
    await this.throttle.begin(session.phone, req.ip);
    const user = await this.db
      .selectFrom('users')
      .select('password_hash')
      .where('id', '=', session.userId)
      .executeTakeFirstOrThrow(() => unauthenticated());
    if (!(await verifyPassword(user.password_hash, input.currentPassword))) {
      await this.audit.record(
        {
          action: 'auth.change_password',
          outcome: 'failure',
          actorUserId: session.userId,
          actorRole: session.role,
          meta: { reason: 'wrong_password' },
        },
        req,
      );
      throw new AppError('BAD_REQUEST', 'PASSWORD_INCORRECT', {
        fieldErrors: { currentPassword: ['password.incorrect'] },
      });
    }
    await this.throttle.succeeded(session.phone, req.ip);
    const passwordHash = await hashPassword(input.newPassword);
    await this.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('users')
        .set({ password_hash: passwordHash, updated_at: sql`now()` })
        .where('id', '=', session.userId)
        .execute();
      const others = await trx
        .selectFrom('sessions')
        .select('family_id')
        .distinct()
        .where('user_id', '=', session.userId)
        .where('family_id', '!=', session.sessionId)
        .where('revoked_at', 'is', null)
        .execute();
      const families = others.map((o) => o.family_id);
      await this.revokeFamilies(trx, families, 'password_changed');
      await this.audit.record(
        {
          action: 'auth.change_password',
          outcome: 'success',
          actorUserId: session.userId,
          actorRole: session.role,
          entityType: 'user',
          entityId: session.userId,
          meta: { revokedSessions: families.length },
        },
        req,
        trx,
      );
    });
  }

  async listSessions(session: SessionContext): Promise<SessionOutput[]> {
    const rows = await this.db
      .selectFrom('sessions')
      .select(['family_id', 'family_started_at', 'created_at', 'expires_at', 'user_agent', 'ip'])
      .where('user_id', '=', session.userId)
      .where(live)
      .orderBy('created_at', 'desc')
      .execute();
    return rows.map((r) => ({
      id: r.family_id,
      startedAt: r.family_started_at,
      lastUsedAt: r.created_at,
      expiresAt: r.expires_at,
      userAgent: r.user_agent,
      ip: r.ip,
      current: r.family_id === session.sessionId,
    }));
  }

  /** Revokes one of the caller's own sessions; another user's id answers NOT_FOUND. */
  async revokeSession(session: SessionContext, familyId: string, req: RequestMeta): Promise<void> {
    const revoked = await this.db.transaction().execute(async (trx) => {
      const rows = await trx
        .updateTable('sessions')
        .set({ revoked_at: sql`now()`, revoked_reason: 'user_revoked' })
        .where('family_id', '=', familyId)
        .where('user_id', '=', session.userId)
        .where('revoked_at', 'is', null)
        .returning('id')
        .execute();
      if (rows.length === 0) return false;
      await this.audit.record(
        {
          action: 'auth.revoke_session',
          outcome: 'success',
          actorUserId: session.userId,
          actorRole: session.role,
          entityType: 'session',
          entityId: familyId,
        },
        req,
        trx,
      );
      return true;
    });
    if (!revoked) throw notFound();
  }

  // ---------------------------------------------------------------- administrators

  /**
   * Creates an administrator (CLI, or ADMIN_PHONE/ADMIN_PASSWORD at start-up). Refuses to turn an
   * existing doctor's account into an admin: that must be a deliberate act, not a config typo.
   */
  async createAdmin(
    raw: { phone: string; name: string; password: string },
    req: RequestMeta,
  ): Promise<{ created: boolean; userId: string }> {
    const phone = phoneSchema.parse(raw.phone);
    const name = nameSchema.parse(raw.name);
    const password = newPasswordSchema.parse(raw.password);
    const existingAdmin = async (db: Kysely<Database>) => {
      const existing = await db
        .selectFrom('users')
        .select(['id', 'role'])
        .where('phone', '=', phone)
        .executeTakeFirst();
      if (existing && existing.role !== 'admin') throw phoneTaken();
      return existing ? { created: false, userId: existing.id } : null;
    };
    const found = await existingAdmin(this.db);
    if (found) return found;
    const passwordHash = await hashPassword(password);
    return this.db.transaction().execute(async (trx) => {
      const user = await trx
        .insertInto('users')
        .values({ phone, name, password_hash: passwordHash, role: 'admin', locale: 'uz' })
        .onConflict((oc) => oc.column('phone').doNothing())
        .returning('id')
        .executeTakeFirst();
      // Someone took the phone between the check and the insert.
      if (!user) return (await existingAdmin(trx))!;
      await this.audit.record(
        {
          action: 'admin.create',
          outcome: 'success',
          actorRole: 'system',
          entityType: 'user',
          entityId: user.id,
          meta: { phone: maskPhone(phone) },
        },
        req,
        trx,
      );
      return { created: true, userId: user.id };
    });
  }

  /**
   * Start-up bootstrap: creates the configured admin only when no admin exists at all.
   * 'missing' means none is configured and none exists yet (the operator should create one).
   */
  async bootstrapAdmin(
    admin: AppConfig['admin'],
    req: RequestMeta,
  ): Promise<'created' | 'exists' | 'missing'> {
    const any = await this.db
      .selectFrom('users')
      .select('id')
      .where('role', '=', 'admin')
      .limit(1)
      .executeTakeFirst();
    if (any) return 'exists';
    if (!admin) return 'missing';
    const { created } = await this.createAdmin(admin, req);
    return created ? 'created' : 'exists';
  }

  // ---------------------------------------------------------------- internals

  private async issue(
    user: UserOutput,
    familyId: string,
    refreshToken: string,
  ): Promise<IssuedSession> {
    const now = new Date();
    const access = await signAccessToken(
      { userId: user.id, sessionId: familyId },
      this.config.tokenSecret,
      this.config.accessTokenTtlSeconds,
      now,
    );
    return {
      accessToken: access.token,
      accessTokenExpiresAt: access.expiresAt,
      refreshToken,
      refreshTokenExpiresAt: new Date(now.getTime() + this.config.refreshTokenTtlDays * DAY_MS),
      user: {
        id: user.id,
        phone: user.phone,
        name: user.name,
        role: user.role,
        locale: user.locale,
      },
    };
  }

  /** A new session family for a sign-in (register or login), stamping the user's last login. */
  private async signIn(
    trx: Trx,
    userId: string,
    refreshToken: string,
    req: RequestMeta,
  ): Promise<string> {
    const familyId = await this.insertSession(trx, userId, refreshToken, req);
    await trx
      .updateTable('users')
      .set({ last_login_at: sql`now()` })
      .where('id', '=', userId)
      .execute();
    return familyId;
  }

  private async insertSession(
    trx: Trx,
    userId: string,
    refreshToken: string,
    req: RequestMeta,
    family?: { familyId: string; startedAt: Date },
  ): Promise<string> {
    const row = await trx
      .insertInto('sessions')
      .values({
        user_id: userId,
        family_id: family?.familyId ?? sql<string>`gen_random_uuid()`,
        family_started_at: family?.startedAt ?? sql<Date>`now()`,
        refresh_token_hash: hashRefreshToken(refreshToken),
        expires_at: sql<Date>`now() + make_interval(days => ${this.config.refreshTokenTtlDays})`,
        user_agent: req.userAgent?.slice(0, 512) ?? null,
        ip: req.ip?.slice(0, 64) ?? null,
      })
      .returning('family_id')
      .executeTakeFirstOrThrow();
    return row.family_id;
  }

  /**
   * Keeps at most MAX_SESSIONS_PER_USER - 1 live sessions so a new one fits; oldest go first.
   * Returns how many were revoked.
   */
  private async enforceSessionCap(trx: Trx, userId: string): Promise<number> {
    // Lock the user row: two logins at once must not both see room for one more session.
    await trx.selectFrom('users').select('id').where('id', '=', userId).forUpdate().execute();
    const families = await trx
      .selectFrom('sessions')
      .select('family_id')
      .where('user_id', '=', userId)
      .where(live)
      .orderBy('family_started_at', 'asc')
      .execute();
    const excess = families.length - (this.config.maxSessionsPerUser - 1);
    if (excess <= 0) return 0;
    await this.revokeFamilies(
      trx,
      families.slice(0, excess).map((r) => r.family_id),
      'session_cap',
    );
    return excess;
  }

  private async revokeFamilies(trx: Trx, families: string[], reason: RevokeReason): Promise<void> {
    if (families.length === 0) return;
    await trx
      .updateTable('sessions')
      .set({ revoked_at: sql`now()`, revoked_reason: reason })
      .where('family_id', 'in', families)
      .where('revoked_at', 'is', null)
      .execute();
  }
}
