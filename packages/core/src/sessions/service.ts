import type { Db } from '@medora/db';
import type {
  Locale,
  SessionOutput,
  SignedOutReason,
  UserOutput,
  UserRole,
  WorkspaceMemberRole,
} from '@medora/schema';
import {
  hashRefreshToken,
  newRefreshToken,
  signAccessToken,
  verifyAccessToken,
  type VerifyResult,
} from '../auth/tokens';
import type { AppConfig } from '../config';
import type { Trx } from '../db';
import { AppError, notFound, unauthenticated } from '../errors';
import type { AuditService } from '../audit/index';
import type { RequestMeta, Scope } from '../scope';
import * as users from '../users/queries';
import * as q from './queries';

/** Who is calling, resolved from a valid access token whose session is still live. */
export interface SessionContext {
  userId: string;
  sessionId: string;
  role: UserRole;
  name: string;
  phone: string;
  locale: Locale;
  email: string | null;
  workspaceId: string | null;
  workspaceRole: WorkspaceMemberRole | null;
  /** The sign-in of this session passed the second factor (administrators: TOTP). */
  secondFactor: boolean;
}

export interface IssuedSession {
  accessToken: string;
  accessTokenExpiresAt: Date;
  refreshToken: string;
  refreshTokenExpiresAt: Date;
  user: UserOutput;
}

export type RefreshResult =
  { kind: 'ok'; issued: IssuedSession } | { kind: 'signed_out'; reason: SignedOutReason | null };

const DAY_MS = 86_400_000;

/** The longest refresh token a browser can hold; anything longer is not one of ours. */
const MAX_TOKEN_LENGTH = 200;

/**
 * Session families: issue on sign-in, rotate on refresh, revoke, list, and resolve an access
 * token to its live session. One family is one signed-in browser; each refresh token is a row.
 */
export class SessionService {
  constructor(
    private readonly db: Db,
    private readonly config: AppConfig,
    private readonly audit: AuditService,
  ) {}

  /**
   * A new family for a sign-in (register or login): makes room under the session cap, stores
   * the first refresh token and stamps the user's last login. Returns the family id and the
   * token, and how many old sessions the cap ended.
   */
  async start(
    trx: Trx,
    userId: string,
    meta: RequestMeta,
    opts: { secondFactor?: boolean } = {},
  ): Promise<{ familyId: string; refreshToken: string; capped: number }> {
    const families = await q.lockLiveFamilies(trx, userId);
    // Keep at most MAX_SESSIONS_PER_USER - 1 so the new one fits; oldest go first.
    const excess = families.length - (this.config.maxSessionsPerUser - 1);
    if (excess > 0) await q.revokeFamilies(trx, families.slice(0, excess), 'session_cap');
    const refreshToken = newRefreshToken();
    const familyId = await q.insertToken(trx, {
      userId,
      tokenHash: hashRefreshToken(refreshToken),
      ttlDays: this.config.refreshTokenTtlDays,
      meta,
      secondFactor: opts.secondFactor ?? false,
    });
    await users.stampLastLogin(trx, userId);
    return { familyId, refreshToken, capped: Math.max(0, excess) };
  }

  /** The pair a browser receives: a short access token and the refresh token for its cookie. */
  async issue(user: UserOutput, familyId: string, refreshToken: string): Promise<IssuedSession> {
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
        email: user.email,
      },
    };
  }

  /**
   * Trades a refresh token for a new pair. The token is single-use (see `consumeToken`). The
   * loser of two concurrent calls within the grace window gets REFRESH_RACE (a second tab, not a
   * thief); a replaced token shown later is a replay and revokes the whole family. A missing or
   * dead token is not an error: the browser is signed out, and `reason` says why.
   */
  async refresh(token: string | undefined, meta: RequestMeta): Promise<RefreshResult> {
    if (!token) return { kind: 'signed_out', reason: null };
    if (token.length > MAX_TOKEN_LENGTH) return { kind: 'signed_out', reason: 'expired' };
    const hash = hashRefreshToken(token);
    const next = newRefreshToken();
    const outcome = await this.db.transaction().execute(async (trx) => {
      const row = await q.consumeToken(trx, hash, this.config.sessionMaxDays);
      if (row) {
        const user = await users.findUser(trx, { id: row.user_id });
        if (!user?.is_active) {
          await q.revokeFamilies(trx, [row.family_id], 'admin');
          return { kind: 'signed_out' as const, reason: 'account_disabled' as const };
        }
        await q.insertToken(trx, {
          userId: row.user_id,
          tokenHash: hashRefreshToken(next),
          ttlDays: this.config.refreshTokenTtlDays,
          meta,
          family: {
            familyId: row.family_id,
            startedAt: row.family_started_at,
            secondFactorAt: row.second_factor_at,
          },
        });
        return { kind: 'ok' as const, user, familyId: row.family_id };
      }
      const old = await q.findToken(trx, hash, this.config.refreshReuseGraceSeconds);
      if (!old) return { kind: 'signed_out' as const, reason: 'expired' as const };
      if (old.revoked_at) {
        return { kind: 'signed_out' as const, reason: q.signedOutReason(old.revoked_reason) };
      }
      if (!old.replaced_at) return { kind: 'signed_out' as const, reason: 'expired' as const };
      if (old.within_grace) return { kind: 'race' as const };
      await q.revokeFamilies(trx, [old.family_id], 'token_reuse');
      await this.audit.record(
        meta,
        {
          action: 'auth.refresh_reuse',
          outcome: 'denied',
          actorUserId: old.user_id,
          entityType: 'session',
          entityId: old.family_id,
        },
        trx,
      );
      return { kind: 'signed_out' as const, reason: 'token_reuse' as const };
    });
    if (outcome.kind === 'race') throw unauthenticated('REFRESH_RACE');
    if (outcome.kind === 'signed_out') return outcome;
    return { kind: 'ok', issued: await this.issue(outcome.user, outcome.familyId, next) };
  }

  /**
   * Ends the session the refresh cookie (or else the access token) belongs to. Idempotent.
   * Returns the ended family, if any.
   */
  async end(
    refreshToken: string | undefined,
    session: SessionContext | null,
    meta: RequestMeta,
  ): Promise<void> {
    let familyId = session?.sessionId ?? null;
    let userId = session?.userId ?? null;
    if (refreshToken && refreshToken.length <= MAX_TOKEN_LENGTH) {
      const row = await q.familyOfToken(this.db, hashRefreshToken(refreshToken));
      if (row) ({ family_id: familyId, user_id: userId } = row);
    }
    if (!familyId) return;
    const ended = familyId;
    await this.db.transaction().execute(async (trx) => {
      await q.revokeFamilies(trx, [ended], 'logout');
      await this.audit.record(
        meta,
        {
          action: 'auth.logout',
          outcome: 'success',
          actorUserId: userId,
          entityType: 'session',
          entityId: ended,
        },
        trx,
      );
    });
  }

  /**
   * Resolves a bearer token to a live session, reading the session's state from PostgreSQL in
   * the query that loads the user: no cache that could briefly disagree with a revocation.
   */
  async authenticate(
    accessToken: string,
    /** This token's `verify` result when the request already checked it (the rate limiter). */
    verified?: VerifyResult,
  ): Promise<SessionContext> {
    verified ??= await this.verify(accessToken);
    if (!verified.ok)
      throw unauthenticated(verified.reason === 'expired' ? 'SESSION_EXPIRED' : 'UNAUTHENTICATED');
    const { userId, sessionId } = verified.claims;
    const row = await q.loadCaller(this.db, userId, sessionId);
    if (!row) throw unauthenticated();
    if (!row.live_token) throw unauthenticated('SESSION_EXPIRED');
    // An administrator's session ends 12 hours after sign-in even while its tokens are fresh.
    if (row.role === 'admin' && !row.within_admin_limit) throw unauthenticated('SESSION_EXPIRED');
    if (!row.is_active) throw new AppError('UNAUTHORIZED', 'ACCOUNT_DISABLED');
    return {
      userId: row.id,
      sessionId,
      role: row.role,
      name: row.name,
      phone: row.phone,
      locale: row.locale,
      email: row.email,
      workspaceId: row.workspace_id,
      workspaceRole: row.workspace_role,
      secondFactor: row.second_factor_at !== null,
    };
  }

  /**
   * The token's signature and claims only, no session lookup: cheap identity for the per-user
   * rate limits, handed on to `authenticate` so a request checks its signature once.
   */
  verify(accessToken: string): Promise<VerifyResult> {
    return verifyAccessToken(accessToken, this.config.tokenSecret);
  }

  async list(scope: Scope): Promise<SessionOutput[]> {
    const rows = await q.listLive(this.db, scope.userId);
    return rows.map((r) => ({
      id: r.family_id,
      startedAt: r.family_started_at,
      lastUsedAt: r.created_at,
      expiresAt: r.expires_at,
      userAgent: r.user_agent,
      ip: r.ip,
      current: r.family_id === scope.sessionId,
    }));
  }

  /** Revokes one of the caller's own sessions; another user's id answers NOT_FOUND. */
  async revoke(scope: Scope, familyId: string): Promise<void> {
    const revoked = await this.db.transaction().execute(async (trx) => {
      if (!(await q.revokeOwnFamily(trx, scope.userId, familyId, 'user_revoked'))) return false;
      await this.audit.record(
        scope,
        {
          action: 'auth.revoke_session',
          outcome: 'success',
          entityType: 'session',
          entityId: familyId,
        },
        trx,
      );
      return true;
    });
    if (!revoked) throw notFound();
  }

  /** Ends every session of the caller but the current one (after a password change). */
  async revokeOthers(trx: Trx, scope: Scope, reason: q.RevokeReason): Promise<number> {
    const families = await q.otherFamilies(trx, scope.userId, scope.sessionId);
    await q.revokeFamilies(trx, families, reason);
    return families.length;
  }
}
