import type { Db } from '@medora/db';
import {
  maskPhone,
  type changePasswordInput,
  type loginInput,
  type registerInput,
  type SecondFactorKind,
} from '@medora/schema';
import type { z } from 'zod';
import type { AuditService } from '../audit/index';
import type { Cache } from '../cache/index';
import type { AppConfig } from '../config';
import { AppError, unauthenticated } from '../errors';
import type { RequestMeta, Scope } from '../scope';
import type { IssuedSession, SessionContext, SessionService } from '../sessions/service';
import * as users from '../users/queries';
import type { WorkspaceService } from '../workspaces/service';
import { signDeviceToken, verifyDeviceToken } from './device-cookie';
import { dummyHash, hashPassword, verifyPassword } from './passwords';
import { RegistrationLimit } from './registration-limit';
import type { SecondFactorService } from './second-factor';
import { isTotpEnrolled } from './totp-queries';
import { LoginThrottle, PasswordCheckThrottle, type Attempt, type Counted } from './throttle';

/** A successful sign-in: the session, and a fresh device token for the browser to keep. */
export interface SignedIn {
  issued: IssuedSession;
  device: { token: string; expiresAt: Date };
}

/** `auth.login`'s answer: signed in, or (an administrator) a second factor still to come. */
export type LoginResult =
  | ({ kind: 'signed_in' } & SignedIn)
  | { kind: 'second_factor'; secondFactor: SecondFactorKind; challenge: string };

export function phoneTaken(): AppError {
  return new AppError('CONFLICT', 'PHONE_TAKEN', { fieldErrors: { phone: ['phone.taken'] } });
}

/** Sign-up, sign-in, sign-out and password changes: everything that checks or sets a password. */
export class CredentialsService {
  private readonly throttle: LoginThrottle;
  private readonly passwordChecks: PasswordCheckThrottle;
  private readonly registrations: RegistrationLimit;

  constructor(
    private readonly db: Db,
    cache: Cache,
    private readonly config: AppConfig,
    private readonly audit: AuditService,
    private readonly sessions: SessionService,
    private readonly workspaces: WorkspaceService,
    private readonly secondFactor: SecondFactorService,
  ) {
    this.throttle = new LoginThrottle(cache, config.login);
    this.passwordChecks = new PasswordCheckThrottle(cache, config.login);
    this.registrations = new RegistrationLimit(cache, config.registration);
  }

  async register(meta: RequestMeta, input: z.output<typeof registerInput>): Promise<SignedIn> {
    await this.registrations.take(meta.ip);
    // A taken phone is answered before the deliberately slow hash is computed. This tells
    // whether a number has an account; docs/security.md records why and the planned fix.
    if (await users.phoneExists(this.db, input.phone)) {
      await this.audit.record(meta, {
        action: 'auth.register',
        outcome: 'failure',
        meta: { phone: maskPhone(input.phone), reason: 'phone_taken' },
      });
      throw phoneTaken();
    }
    const passwordHash = await hashPassword(input.password);
    const { user, familyId, refreshToken } = await this.db.transaction().execute(async (trx) => {
      const user = await users.insertUser(trx, {
        phone: input.phone,
        name: input.name,
        password_hash: passwordHash,
        role: 'doctor',
        locale: input.locale,
      });
      // Two sign-ups with one phone at the same moment: the loser's insert does nothing.
      if (!user) throw phoneTaken();
      const workspaceId = await this.workspaces.setUpPersonal(trx, user);
      const { familyId, refreshToken } = await this.sessions.start(trx, user.id, meta);
      await this.audit.record(
        meta,
        {
          action: 'auth.register',
          outcome: 'success',
          actorUserId: user.id,
          actorRole: 'doctor',
          workspaceId,
          entityType: 'user',
          entityId: user.id,
        },
        trx,
      );
      return { user, familyId, refreshToken };
    });
    return {
      issued: await this.sessions.issue(user, familyId, refreshToken),
      device: await this.deviceToken(user.id, passwordHash),
    };
  }

  /**
   * `deviceToken` is the browser's device cookie, if any: a device this user signed in from
   * before is not locked by failures that came from elsewhere (see LoginThrottle).
   */
  async login(
    meta: RequestMeta,
    input: z.output<typeof loginInput>,
    deviceToken?: string,
  ): Promise<LoginResult> {
    const masked = maskPhone(input.phone);
    const user = await users.findUser(this.db, { phone: input.phone });
    const attempt: Attempt = {
      phone: input.phone,
      ip: meta.ip,
      trustedDevice: user
        ? await verifyDeviceToken(
            deviceToken,
            { id: user.id, passwordHash: user.password_hash },
            this.config.tokenSecret,
          )
        : null,
    };
    let counted: Counted;
    try {
      counted = await this.throttle.begin(attempt);
    } catch (e) {
      await this.audit.record(meta, {
        action: 'auth.login',
        outcome: 'denied',
        actorUserId: user?.id ?? null,
        meta: { phone: masked, reason: 'throttled', knownDevice: Boolean(attempt.trustedDevice) },
      });
      throw e;
    }
    // Always verify a hash, so unknown phones cost the same time as wrong passwords.
    const valid = await verifyPassword(user?.password_hash ?? (await dummyHash()), input.password);
    if (!user || !valid || !user.is_active) {
      const attemptsRemaining = await this.throttle.failed(counted);
      await this.audit.record(meta, {
        action: 'auth.login',
        outcome: 'failure',
        actorUserId: user?.id ?? null,
        actorRole: user ? user.role : 'anonymous',
        meta: {
          phone: masked,
          reason: !user ? 'unknown_phone' : !valid ? 'wrong_password' : 'inactive',
        },
      });
      throw new AppError('UNAUTHORIZED', 'INVALID_CREDENTIALS', {
        ...(attemptsRemaining !== undefined && { attemptsRemaining }),
      });
    }
    if (user.role === 'admin') {
      // No session yet: the code (or enrolment) completes the sign-in; see SecondFactorService.
      await this.throttle.passedFirstFactor(counted);
      const enrolled = await isTotpEnrolled(this.db, user.id);
      await this.audit.record(meta, {
        action: 'auth.login',
        outcome: 'success',
        actorUserId: user.id,
        actorRole: user.role,
        entityType: 'user',
        entityId: user.id,
        meta: { secondFactor: enrolled ? 'totp' : 'totp_enrol' },
      });
      return {
        kind: 'second_factor',
        ...(await this.secondFactor.challenge({ ...user, enrolled })),
      };
    }
    await this.throttle.succeeded(counted);
    const { familyId, refreshToken } = await this.db.transaction().execute(async (trx) => {
      const started = await this.sessions.start(trx, user.id, meta);
      await this.audit.record(
        meta,
        {
          action: 'auth.login',
          outcome: 'success',
          actorUserId: user.id,
          actorRole: user.role,
          entityType: 'session',
          entityId: started.familyId,
          meta: started.capped ? { revokedOldest: started.capped } : {},
        },
        trx,
      );
      return started;
    });
    return {
      kind: 'signed_in',
      issued: await this.sessions.issue(user, familyId, refreshToken),
      device: await this.deviceToken(user.id, user.password_hash),
    };
  }

  logout(
    meta: RequestMeta,
    refreshToken: string | undefined,
    session: SessionContext | null,
  ): Promise<void> {
    return this.sessions.end(refreshToken, session, meta);
  }

  /**
   * Checks the current password, stores the new one and signs every other session out. Wrong
   * current passwords are throttled per user, apart from the sign-in lock (which never applies
   * to a doctor's own live session).
   */
  async changePassword(scope: Scope, input: z.output<typeof changePasswordInput>): Promise<void> {
    await this.passwordChecks.begin(scope.userId);
    const user = await users.findUser(this.db, { id: scope.userId });
    if (!user) throw unauthenticated();
    if (!(await verifyPassword(user.password_hash, input.currentPassword))) {
      await this.audit.record(scope, {
        action: 'auth.change_password',
        outcome: 'failure',
        meta: { reason: 'wrong_password' },
      });
      throw new AppError('BAD_REQUEST', 'PASSWORD_INCORRECT', {
        fieldErrors: { currentPassword: ['password.incorrect'] },
      });
    }
    await this.passwordChecks.succeeded(scope.userId);
    const passwordHash = await hashPassword(input.newPassword);
    await this.db.transaction().execute(async (trx) => {
      await users.setPasswordHash(trx, scope.userId, passwordHash);
      const revoked = await this.sessions.revokeOthers(trx, scope, 'password_changed');
      await this.audit.record(
        scope,
        {
          action: 'auth.change_password',
          outcome: 'success',
          entityType: 'user',
          entityId: scope.userId,
          meta: { revokedSessions: revoked },
        },
        trx,
      );
    });
  }

  private async deviceToken(userId: string, passwordHash: string): Promise<SignedIn['device']> {
    const { token, expiresAt } = await signDeviceToken(
      userId,
      passwordHash,
      this.config.tokenSecret,
      this.config.login.deviceCookieTtlDays,
    );
    return { token, expiresAt };
  }
}
