import { createHash, randomBytes, webcrypto } from 'node:crypto';
import { errors, jwtVerify, SignJWT } from 'jose';

export const ACCESS_TOKEN_ISSUER = 'medora';
export const ACCESS_TOKEN_AUDIENCE = 'medora-api';
/** Longest access token lifetime the configuration allows; older tokens are refused outright. */
export const MAX_ACCESS_TOKEN_TTL_SECONDS = 3600;
/** Clock difference between servers tolerated on `iat` and `exp`. */
const CLOCK_SKEW_SECONDS = 30;

export interface AccessClaims {
  userId: string;
  /** The session family id: stable across refreshes, what a revocation targets. */
  sessionId: string;
}

export async function signAccessToken(
  claims: AccessClaims,
  secret: Uint8Array,
  ttlSeconds: number,
  now: Date,
): Promise<{ token: string; expiresAt: Date }> {
  const iat = Math.floor(now.getTime() / 1000);
  const exp = iat + ttlSeconds;
  const token = await new SignJWT({ sid: claims.sessionId })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(claims.userId)
    .setIssuer(ACCESS_TOKEN_ISSUER)
    .setAudience(ACCESS_TOKEN_AUDIENCE)
    .setIssuedAt(iat)
    .setExpirationTime(exp)
    .sign(secret);
  return { token, expiresAt: new Date(exp * 1000) };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const isUuid = (v: unknown): v is string => typeof v === 'string' && UUID.test(v);

// jose imports a raw secret into a CryptoKey on every call (a sixth of a token check's CPU);
// the secret is fixed for the process, so import it once.
const verifyKeys = new WeakMap<Uint8Array, Promise<webcrypto.CryptoKey>>();
function verifyKey(secret: Uint8Array): Promise<webcrypto.CryptoKey> {
  let key = verifyKeys.get(secret);
  if (!key) {
    key = webcrypto.subtle.importKey('raw', secret, { name: 'HMAC', hash: 'SHA-256' }, false, [
      'verify',
    ]);
    verifyKeys.set(secret, key);
  }
  return key;
}

export type VerifyResult =
  { ok: true; claims: AccessClaims } | { ok: false; reason: 'expired' | 'invalid' };

/**
 * A token is accepted only with every claim this server writes: a correctly signed token without
 * `exp` would never expire, and one whose `iat` lies in the future would outlive its lifetime.
 */
export async function verifyAccessToken(
  token: string,
  secret: Uint8Array,
  now: Date = new Date(),
): Promise<VerifyResult> {
  if (token.length > 2048) return { ok: false, reason: 'invalid' };
  try {
    const { payload } = await jwtVerify(token, await verifyKey(secret), {
      issuer: ACCESS_TOKEN_ISSUER,
      audience: ACCESS_TOKEN_AUDIENCE,
      algorithms: ['HS256'],
      requiredClaims: ['exp', 'iat', 'sub', 'sid'],
      // Also refuses an `iat` later than now (beyond the skew).
      maxTokenAge: MAX_ACCESS_TOKEN_TTL_SECONDS,
      clockTolerance: CLOCK_SKEW_SECONDS,
      currentDate: now,
    });
    if (!isUuid(payload.sub) || !isUuid(payload.sid)) return { ok: false, reason: 'invalid' };
    return { ok: true, claims: { userId: payload.sub, sessionId: payload.sid } };
  } catch (e) {
    return { ok: false, reason: e instanceof errors.JWTExpired ? 'expired' : 'invalid' };
  }
}

/** The token of an `Authorization: Bearer <token>` header, or null for anything else. */
export function bearerToken(header: string | null | undefined): string | null {
  return (header && /^Bearer ([A-Za-z0-9._~+/=-]{1,4096})$/i.exec(header.trim())?.[1]) || null;
}

/** 256 random bits; only its SHA-256 is stored, so a database leak yields no usable token. */
export function newRefreshToken(): string {
  return randomBytes(32).toString('base64url');
}

export function hashRefreshToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
