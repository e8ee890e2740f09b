import type { Db } from '@medora/db';
import { sql } from 'kysely';
import {
  maskPhone,
  type SecondFactorKind,
  type TotpEnrolStartOutput,
  type totpEnrolFinishInput,
  type totpEnrolStartInput,
  type verifyTotpInput,
} from '@medora/schema';
import type { z } from 'zod';
import type { AuditService } from '../audit/index';
import type { Cache } from '../cache/index';
import type { AppConfig } from '../config';
import { AppError } from '../errors';
import type { RequestMeta } from '../scope';
import type { SessionService } from '../sessions/service';
import { challengeSubject, signChallenge, type ChallengePurpose } from './challenge';
import type { SignedIn } from './credentials';
import { credentialTag, signDeviceToken, verifyDeviceToken } from './device-cookie';
import { LoginThrottle, type Counted } from './throttle';
import {
  looksLikeRecoveryCode,
  matchTotp,
  newRecoveryCodes,
  newTotpSecret,
  otpauthUri,
  qrSvg,
  TotpVault,
} from './totp';
import * as q from './totp-queries';

type TotpUser = NonNullable<Awaited<ReturnType<typeof q.findTotpUser>>>;

const challengeInvalid = () => new AppError('UNAUTHORIZED', 'CHALLENGE_INVALID');
const alreadyEnrolled = () => new AppError('CONFLICT', 'TOTP_ALREADY_ENROLLED');

/**
 * An administrator's second factor (TOTP, RFC 6238): the challenge `auth.login` hands out after
 * the right password, the code check that completes the sign-in, and enrolment at first sign-in.
 * Code failures count on the sign-in lock-out's counters, so the password and the code share one
 * budget of guesses.
 */
export class SecondFactorService {
  private readonly throttle: LoginThrottle;
  readonly vault: TotpVault;

  constructor(
    private readonly db: Db,
    cache: Cache,
    private readonly config: AppConfig,
    private readonly audit: AuditService,
    private readonly sessions: SessionService,
  ) {
    this.throttle = new LoginThrottle(cache, config.login);
    this.vault = new TotpVault(config.tokenSecret);
  }

  /** What an administrator's right password earns: a challenge for the code or for enrolment. */
  async challenge(user: {
    id: string;
    password_hash: string;
    enrolled: boolean;
  }): Promise<{ secondFactor: SecondFactorKind; challenge: string }> {
    const purpose: ChallengePurpose = user.enrolled ? 'totp' : 'totp_enrol';
    return {
      secondFactor: purpose,
      challenge: await signChallenge(
        purpose,
        { id: user.id, passwordHash: user.password_hash },
        this.config.tokenSecret,
      ),
    };
  }

  /** Completes an enrolled administrator's sign-in with a code or one unused recovery code. */
  async verify(
    meta: RequestMeta,
    input: z.output<typeof verifyTotpInput>,
    deviceToken?: string,
  ): Promise<SignedIn> {
    const user = await this.holder('totp', input.challenge);
    if (!user.totp_enrolled_at) throw challengeInvalid();
    const counted = await this.begin(meta, user, deviceToken, 'auth.verify_totp');
    const recovery = looksLikeRecoveryCode(input.code) && !/^\d{6}$/.test(input.code);
    const secret = user.totp_secret ? this.vault.open(user.id, user.totp_secret) : null;
    const step =
      recovery || !secret ? null : await matchTotp(secret, input.code, user.totp_last_step);
    const started = await this.db.transaction().execute(async (trx) => {
      const accepted = recovery
        ? await q.useRecoveryCode(trx, user.id, this.vault.hashRecoveryCode(user.id, input.code))
        : step !== null && (await q.acceptStep(trx, user.id, step));
      if (!accepted) return null;
      const s = await this.sessions.start(trx, user.id, meta, { secondFactor: true });
      const left = recovery ? await q.unusedRecoveryCodes(trx, user.id) : undefined;
      await this.audit.record(
        meta,
        {
          action: 'auth.verify_totp',
          outcome: 'success',
          actorUserId: user.id,
          actorRole: 'admin',
          entityType: 'session',
          entityId: s.familyId,
          meta: {
            method: recovery ? 'recovery_code' : 'totp',
            ...(left !== undefined && { recoveryCodesLeft: left }),
            ...(s.capped && { revokedOldest: s.capped }),
          },
        },
        trx,
      );
      return s;
    });
    if (!started) throw await this.failed(meta, user, counted, 'auth.verify_totp', recovery);
    await this.throttle.succeeded(counted);
    return this.signedIn(user, started.familyId, started.refreshToken);
  }

  /**
   * A fresh secret for an administrator who has none enrolled yet. Calling it again replaces the
   * pending secret; an enrolled secret is never shown again.
   */
  async enrolStart(
    meta: RequestMeta,
    input: z.output<typeof totpEnrolStartInput>,
  ): Promise<TotpEnrolStartOutput> {
    const user = await this.holder('totp_enrol', input.challenge);
    if (user.totp_enrolled_at) throw alreadyEnrolled();
    const secret = newTotpSecret();
    if (!(await q.setPendingSecret(this.db, user.id, this.vault.seal(user.id, secret))))
      throw alreadyEnrolled();
    await this.audit.record(meta, {
      action: 'auth.totp_enrol_start',
      outcome: 'success',
      actorUserId: user.id,
      actorRole: 'admin',
      entityType: 'user',
      entityId: user.id,
    });
    const uri = otpauthUri(secret, user.phone);
    return { secret, otpauthUri: uri, qrSvg: await qrSvg(uri) };
  }

  /** Confirms the pending secret with a code: enrolled, signed in, recovery codes shown once. */
  async enrolFinish(
    meta: RequestMeta,
    input: z.output<typeof totpEnrolFinishInput>,
    deviceToken?: string,
  ): Promise<SignedIn & { recoveryCodes: string[] }> {
    const user = await this.holder('totp_enrol', input.challenge);
    if (user.totp_enrolled_at) throw alreadyEnrolled();
    const sealed = user.totp_secret;
    if (!sealed) throw new AppError('BAD_REQUEST', 'TOTP_ENROLMENT_NOT_STARTED');
    const counted = await this.begin(meta, user, deviceToken, 'auth.totp_enrol');
    const secret = this.vault.open(user.id, sealed);
    const step = secret ? await matchTotp(secret, input.code, null) : null;
    if (step === null) throw await this.failed(meta, user, counted, 'auth.totp_enrol', false);
    const recoveryCodes = newRecoveryCodes();
    const started = await this.db.transaction().execute(async (trx) => {
      // The step is recorded too: the code just typed cannot also sign in a second time.
      if (!(await q.markEnrolled(trx, user.id, sealed, step))) return null;
      await q.replaceRecoveryCodes(
        trx,
        user.id,
        recoveryCodes.map((c) => this.vault.hashRecoveryCode(user.id, c)),
      );
      const s = await this.sessions.start(trx, user.id, meta, { secondFactor: true });
      await this.audit.record(
        meta,
        {
          action: 'auth.totp_enrol',
          outcome: 'success',
          actorUserId: user.id,
          actorRole: 'admin',
          entityType: 'session',
          entityId: s.familyId,
          meta: { recoveryCodes: recoveryCodes.length },
        },
        trx,
      );
      return s;
    });
    // Another request finished enrolment, or started over with a new secret, meanwhile.
    if (!started) throw alreadyEnrolled();
    await this.throttle.succeeded(counted);
    return {
      ...(await this.signedIn(user, started.familyId, started.refreshToken)),
      recoveryCodes,
    };
  }

  /**
   * The administrator a challenge of this purpose was issued to, provided the account is still
   * an active admin with the same password. Anything else answers one code: the caller learns
   * nothing the password step did not already tell.
   */
  /**
   * Forgets an administrator's authenticator (a lost phone), from the server's command line only:
   * the secret and recovery codes go, every session of theirs ends, and the next sign-in leads
   * through enrolment again. 'missing' when no administrator has that phone.
   */
  async resetAuthenticator(phone: string): Promise<'reset' | 'missing'> {
    return this.db.transaction().execute(async (trx) => {
      const admin = await trx
        .selectFrom('users')
        .select('id')
        .where('phone', '=', phone)
        .where('role', '=', 'admin')
        .forUpdate()
        .executeTakeFirst();
      if (!admin) return 'missing';
      await q.resetTotp(trx, admin.id);
      const ended = await trx
        .updateTable('sessions')
        .set({ revoked_at: sql`now()`, revoked_reason: 'admin' })
        .where('user_id', '=', admin.id)
        .where('revoked_at', 'is', null)
        .returning('family_id')
        .execute();
      await this.audit.record(
        { ip: null, userAgent: null, requestId: null },
        {
          action: 'auth.totp_reset',
          outcome: 'success',
          actorRole: 'system',
          entityType: 'user',
          entityId: admin.id,
          meta: { sessionsRevoked: new Set(ended.map((r) => r.family_id)).size },
        },
        trx,
      );
      return 'reset';
    });
  }

  private async holder(purpose: ChallengePurpose, challenge: string): Promise<TotpUser> {
    const subject = await challengeSubject(purpose, challenge, this.config.tokenSecret);
    const user = subject ? await q.findTotpUser(this.db, subject.userId) : undefined;
    if (
      !subject ||
      !user ||
      user.role !== 'admin' ||
      !user.is_active ||
      credentialTag(user.password_hash) !== subject.credential
    )
      throw challengeInvalid();
    return user;
  }

  private async begin(
    meta: RequestMeta,
    user: TotpUser,
    deviceToken: string | undefined,
    action: string,
  ): Promise<Counted> {
    const trustedDevice = await verifyDeviceToken(
      deviceToken,
      { id: user.id, passwordHash: user.password_hash },
      this.config.tokenSecret,
    );
    try {
      return await this.throttle.begin({ phone: user.phone, ip: meta.ip, trustedDevice });
    } catch (e) {
      await this.audit.record(meta, {
        action,
        outcome: 'denied',
        actorUserId: user.id,
        actorRole: 'admin',
        meta: { phone: maskPhone(user.phone), reason: 'throttled' },
      });
      throw e;
    }
  }

  private async failed(
    meta: RequestMeta,
    user: TotpUser,
    counted: Counted,
    action: string,
    recovery: boolean,
  ): Promise<AppError> {
    const attemptsRemaining = await this.throttle.failed(counted);
    await this.audit.record(meta, {
      action,
      outcome: 'failure',
      actorUserId: user.id,
      actorRole: 'admin',
      meta: {
        phone: maskPhone(user.phone),
        reason: recovery ? 'wrong_recovery_code' : 'wrong_code',
      },
    });
    return new AppError('UNAUTHORIZED', 'TOTP_INVALID', {
      ...(attemptsRemaining !== undefined && { attemptsRemaining }),
    });
  }

  private async signedIn(user: TotpUser, familyId: string, refreshToken: string) {
    const { token, expiresAt } = await signDeviceToken(
      user.id,
      user.password_hash,
      this.config.tokenSecret,
      this.config.login.deviceCookieTtlDays,
    );
    return {
      issued: await this.sessions.issue(user, familyId, refreshToken),
      device: { token, expiresAt },
    };
  }
}
