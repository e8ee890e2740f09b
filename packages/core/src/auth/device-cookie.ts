import { createHash, randomUUID } from 'node:crypto';
import { jwtVerify, SignJWT } from 'jose';

const ISSUER = 'medora';
/** Its own audience, so a device token can never pass as an access token or the reverse. */
const AUDIENCE = 'medora-device';

/**
 * A short fingerprint of the user's current password hash. A device token carries it, so a
 * password change ends every device's trust (the old password may be what was guessed).
 */
export function credentialTag(passwordHash: string): string {
  return createHash('sha256').update(passwordHash).digest('base64url').slice(0, 22);
}

/**
 * The signed device cookie of OWASP's "device cookies" lock-out scheme: proof that this browser
 * once signed in as this user. It carries no authority of its own — it only decides which
 * failure counter a sign-in attempt from it uses (see LoginThrottle).
 */
export async function signDeviceToken(
  userId: string,
  passwordHash: string,
  secret: Uint8Array,
  ttlDays: number,
  deviceId: string = randomUUID(),
): Promise<{ token: string; expiresAt: Date; deviceId: string }> {
  const iat = Math.floor(Date.now() / 1000);
  const exp = iat + ttlDays * 86_400;
  const token = await new SignJWT({ did: deviceId, cv: credentialTag(passwordHash) })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(userId)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt(iat)
    .setExpirationTime(exp)
    .sign(secret);
  return { token, expiresAt: new Date(exp * 1000), deviceId };
}

/**
 * The device id when the token is ours, unexpired, issued to `userId` and since then the
 * password has not changed; else null.
 */
export async function verifyDeviceToken(
  token: string | undefined,
  user: { id: string; passwordHash: string },
  secret: Uint8Array,
): Promise<string | null> {
  if (!token || token.length > 1024) return null;
  try {
    const { payload } = await jwtVerify(token, secret, {
      issuer: ISSUER,
      audience: AUDIENCE,
      subject: user.id,
      algorithms: ['HS256'],
      requiredClaims: ['exp', 'iat', 'sub', 'did', 'cv'],
    });
    if (payload.cv !== credentialTag(user.passwordHash)) return null;
    return typeof payload.did === 'string' && payload.did.length <= 64 ? payload.did : null;
  } catch {
    return null;
  }
}
