import { SignJWT } from 'jose';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { credentialTag, signDeviceToken, verifyDeviceToken } from '../src/auth/device-cookie';
import { networkOf, RegistrationLimit } from '../src/auth/registration-limit';
import { signAccessToken } from '../src/auth/tokens';
import { MemoryCache } from '../src/cache/index';
import { AppError } from '../src/errors';

const secret = new TextEncoder().encode('device-test-secret-that-is-long-enough-0123');
const USER = '0b7f6c1e-2a57-4c8e-9d0a-3f1e2b4c5d6e';
const OTHER = '1c8a7d2f-3b68-4d9f-8e1b-4a2f3c5d6e7f';
const HASH = '$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo';
const U = { id: USER, passwordHash: HASH };

afterEach(() => vi.useRealTimers());

describe('device cookie', () => {
  it('proves a device for its own user only, for its lifetime', async () => {
    const d = await signDeviceToken(USER, HASH, secret, 180, 'device-a');
    expect(d.deviceId).toBe('device-a');
    expect(await verifyDeviceToken(d.token, U, secret)).toBe('device-a');
    expect(await verifyDeviceToken(d.token, { id: OTHER, passwordHash: HASH }, secret)).toBeNull();
    expect(
      await verifyDeviceToken(d.token, U, new TextEncoder().encode('x'.repeat(40))),
    ).toBeNull();
    const days = (d.expiresAt.getTime() - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(179.99);
    expect(days).toBeLessThanOrEqual(180);

    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(d.expiresAt.getTime() + 60_000);
    expect(await verifyDeviceToken(d.token, U, secret)).toBeNull();
  });

  it('is no proof once the password has changed', async () => {
    const d = await signDeviceToken(USER, HASH, secret, 180, 'device-b');
    expect(await verifyDeviceToken(d.token, U, secret)).toBe('device-b');
    expect(
      await verifyDeviceToken(d.token, { id: USER, passwordHash: `${HASH}x` }, secret),
    ).toBeNull();
  });

  it('gives every sign-in its own device id by default', async () => {
    const [a, b] = [
      await signDeviceToken(USER, HASH, secret, 1),
      await signDeviceToken(USER, HASH, secret, 1),
    ];
    expect(a.deviceId).not.toBe(b.deviceId);
    expect(await verifyDeviceToken(a.token, U, secret)).toBe(a.deviceId);
  });

  it('refuses an access token, a missing or oversized cookie, and odd device ids', async () => {
    const access = await signAccessToken(
      { userId: USER, sessionId: OTHER },
      secret,
      60,
      new Date(),
    );
    expect(await verifyDeviceToken(access.token, U, secret)).toBeNull();
    expect(await verifyDeviceToken(undefined, U, secret)).toBeNull();
    expect(await verifyDeviceToken('', U, secret)).toBeNull();
    expect(await verifyDeviceToken('e'.repeat(1025), U, secret)).toBeNull();
    const forged = (did: unknown) =>
      new SignJWT({ did, cv: credentialTag(HASH) })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(USER)
        .setIssuer('medora')
        .setAudience('medora-device')
        .setIssuedAt()
        .setExpirationTime('1h')
        .sign(secret);
    expect(await verifyDeviceToken(await forged('ok-id'), U, secret)).toBe('ok-id');
    expect(await verifyDeviceToken(await forged('d'.repeat(64)), U, secret)).toBe('d'.repeat(64));
    expect(await verifyDeviceToken(await forged('d'.repeat(65)), U, secret)).toBeNull();
    expect(await verifyDeviceToken(await forged(42), U, secret)).toBeNull();
  });
});

describe('registration limit', () => {
  it('groups addresses by /24 and /64, IPv4-mapped IPv6 as IPv4', () => {
    expect(networkOf('203.0.113.77')).toBe('203.0.113.0/24');
    expect(networkOf('::ffff:203.0.113.77')).toBe('203.0.113.0/24');
    expect(networkOf('2001:db8:abcd:12:1:2:3:4')).toBe('2001:db8:abcd:12::/64');
    expect(networkOf('not-an-ip')).toBeNull();
  });

  async function refusal(p: Promise<void>): Promise<AppError | null> {
    return p.then(
      () => null,
      (e: unknown) => {
        if (e instanceof AppError) return e;
        throw e;
      },
    );
  }

  it('limits per address and per network, with the wait in whole seconds', async () => {
    const limit = new RegistrationLimit(new MemoryCache(), { ipPerHour: 2, networkPerHour: 3 });
    await limit.take('198.51.100.1');
    await limit.take('198.51.100.1');
    const byIp = await refusal(limit.take('198.51.100.1'));
    expect(byIp).toMatchObject({ kind: 'TOO_MANY_REQUESTS', code: 'RATE_LIMITED' });
    expect(byIp?.details.retryAfterSeconds).toBeGreaterThan(3500);
    expect(byIp?.details.retryAfterSeconds).toBeLessThanOrEqual(3600);
    // The refused attempt gave its network point back: one neighbour still fits, then the
    // network is full.
    expect(await refusal(limit.take('198.51.100.2'))).toBeNull();
    expect(await refusal(limit.take('198.51.100.3'))).toMatchObject({ code: 'RATE_LIMITED' });
    expect(await refusal(limit.take('198.51.101.1'))).toBeNull();
  });

  it('does not limit calls without a client IP, and counts addresses that are not IPs alone', async () => {
    const limit = new RegistrationLimit(new MemoryCache(), { ipPerHour: 1, networkPerHour: 1 });
    for (let i = 0; i < 3; i++) expect(await refusal(limit.take(null))).toBeNull();
    expect(await refusal(limit.take('unix-socket'))).toBeNull();
    expect(await refusal(limit.take('unix-socket'))).toMatchObject({ code: 'RATE_LIMITED' });
  });
});
