import { jwtVerify, SignJWT } from 'jose';
import { credentialTag } from './device-cookie';

const ISSUER = 'medora';
/**
 * One audience per purpose: a sign-in challenge cannot be spent on enrolment nor the reverse,
 * and neither passes as an access or device token (their audiences differ too).
 */
const AUDIENCES = { totp: 'medora-totp', totp_enrol: 'medora-totp-enrol' } as const;
export type ChallengePurpose = keyof typeof AUDIENCES;

/** Long enough to open an authenticator app and type a code; short enough to be worthless later. */
export const CHALLENGE_TTL_SECONDS = 300;

/**
 * Proof that the password was right a moment ago: what `auth.login` hands an administrator
 * instead of tokens. It carries the password hash's fingerprint, so a password change voids
 * every outstanding challenge.
 */
export async function signChallenge(
  purpose: ChallengePurpose,
  user: { id: string; passwordHash: string },
  secret: Uint8Array,
  now: Date = new Date(),
): Promise<string> {
  const iat = Math.floor(now.getTime() / 1000);
  return new SignJWT({ cv: credentialTag(user.passwordHash) })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(user.id)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCES[purpose])
    .setIssuedAt(iat)
    .setExpirationTime(iat + CHALLENGE_TTL_SECONDS)
    .sign(secret);
}

/** The user id a valid, unexpired challenge of this purpose was issued to; else null. */
export async function challengeSubject(
  purpose: ChallengePurpose,
  token: string,
  secret: Uint8Array,
  now: Date = new Date(),
): Promise<{ userId: string; credential: string } | null> {
  if (token.length > 1024) return null;
  try {
    const { payload } = await jwtVerify(token, secret, {
      issuer: ISSUER,
      audience: AUDIENCES[purpose],
      algorithms: ['HS256'],
      requiredClaims: ['exp', 'iat', 'sub', 'cv'],
      maxTokenAge: CHALLENGE_TTL_SECONDS,
      currentDate: now,
    });
    if (typeof payload.sub !== 'string' || typeof payload.cv !== 'string') return null;
    return { userId: payload.sub, credential: payload.cv };
  } catch {
    return null;
  }
}
