import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import {
  ACCESS_TOKEN_AUDIENCE,
  ACCESS_TOKEN_ISSUER,
  bearerToken,
  signAccessToken,
  verifyAccessToken,
} from '../src/auth/tokens';

const secret = new TextEncoder().encode('k'.repeat(48));
const now = new Date('2026-12-01T12:00:00Z');
const nowSeconds = Math.floor(now.getTime() / 1000);
const userId = randomUUID();
const sessionId = randomUUID();

interface Claims {
  sub?: string;
  sid?: string;
  iss?: string;
  aud?: string;
  iat?: number;
  exp?: number;
}

/** A token signed with the right key and algorithm, with exactly the claims given. */
const sign = (claims: Claims, key = secret) =>
  new SignJWT({ ...claims }).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(key);

const valid: Claims = {
  sub: userId,
  sid: sessionId,
  iss: ACCESS_TOKEN_ISSUER,
  aud: ACCESS_TOKEN_AUDIENCE,
  iat: nowSeconds,
  exp: nowSeconds + 900,
};

describe('verifyAccessToken', () => {
  it('accepts what signAccessToken issues, and a token built with every claim', async () => {
    const { token, expiresAt } = await signAccessToken({ userId, sessionId }, secret, 900, now);
    expect(expiresAt).toEqual(new Date(now.getTime() + 900_000));
    expect(await verifyAccessToken(token, secret, now)).toEqual({
      ok: true,
      claims: { userId, sessionId },
    });
    expect((await verifyAccessToken(await sign(valid), secret, now)).ok).toBe(true);
  });

  it('tolerates a small clock difference between servers on iat', async () => {
    const token = await sign({ ...valid, iat: nowSeconds + 20 });
    expect((await verifyAccessToken(token, secret, now)).ok).toBe(true);
  });

  it.each<[string, Claims]>([
    ['without exp', { ...valid, exp: undefined }],
    ['without iat', { ...valid, iat: undefined }],
    ['with iat in the future', { ...valid, iat: nowSeconds + 600, exp: nowSeconds + 1500 }],
    ['without sub', { ...valid, sub: undefined }],
    ['without sid', { ...valid, sid: undefined }],
    ['with a sid that is not a session id', { ...valid, sid: 'everything' }],
    ['without iss', { ...valid, iss: undefined }],
    ['with another issuer', { ...valid, iss: 'someone-else' }],
    ['without aud', { ...valid, aud: undefined }],
    ['with another audience', { ...valid, aud: 'medora-admin' }],
  ])('refuses a correctly signed token %s', async (_, claims) => {
    expect(await verifyAccessToken(await sign(claims), secret, now)).toEqual({
      ok: false,
      reason: 'invalid',
    });
  });

  it('calls a token past exp, or issued longer ago than any lifetime allows, expired', async () => {
    const past = await sign({ ...valid, iat: nowSeconds - 1000, exp: nowSeconds - 100 });
    expect(await verifyAccessToken(past, secret, now)).toEqual({ ok: false, reason: 'expired' });
    const ancient = await sign({ ...valid, iat: nowSeconds - 86_400, exp: nowSeconds + 900 });
    expect(await verifyAccessToken(ancient, secret, now)).toEqual({
      ok: false,
      reason: 'expired',
    });
  });

  it('refuses another key, another algorithm and oversized tokens', async () => {
    const other = await sign(valid, new TextEncoder().encode('x'.repeat(48)));
    expect((await verifyAccessToken(other, secret, now)).ok).toBe(false);
    const hs512 = await new SignJWT({ ...valid }).setProtectedHeader({ alg: 'HS512' }).sign(secret);
    expect((await verifyAccessToken(hs512, secret, now)).ok).toBe(false);
    expect((await verifyAccessToken('a'.repeat(2049), secret, now)).ok).toBe(false);
  });
});

describe('bearerToken', () => {
  it('reads only a well-formed Bearer header', () => {
    expect(bearerToken('Bearer abc.def.ghi')).toBe('abc.def.ghi');
    expect(bearerToken('Basic abc')).toBeNull();
    expect(bearerToken('Bearer a b')).toBeNull();
    expect(bearerToken(undefined)).toBeNull();
  });
});
