import { SignJWT } from 'jose';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { signDeviceToken, verifyDeviceToken } from '../src/auth/device-cookie';
import { networkOf, RegistrationLimit } from '../src/auth/registration-limit';
import { signAccessToken } from '../src/auth/tokens';
import { MemoryCache } from '../src/cache/index';
import { AppError } from '../src/errors';

const secret = new TextEncoder().encode('device-test-secret-that-is-long-enough-0123');
const USER = '0b7f6c1e-2a57-4c8e-9d0a-3f1e2b4c5d6e';
const OTHER = '1c8a7d2f-3b68-4d9f-8e1b-4a2f3c5d6e7f';

afterEach(() => vi.useRealTimers());

describe('device cookie', () => {
  it('proves a device for its own user only, for its lifetime', async () => {
    const d = await signDeviceToken(USER, secret, 180, 'device-a');
    expect(d.deviceId).toBe('device-a');
    expect(await verifyDeviceToken(d.token, USER, secret)).toBe('device-a');
    expect(await verifyDeviceToken(d.token, OTHER, secret)).toBeNull();
    expect(
      await verifyDeviceToken(d.token, USER, new TextEncoder().encode('x'.repeat(40))),
    ).toBeNull();
    const days = (d.expiresAt.getTime() - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(179.99);
    expect(days).toBeLessThanOrEqual(180);

    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(d.expiresAt.getTime() + 60_000);
    expect(await verifyDeviceToken(d.token, USER, secret)).toBeNull();
  });

  it('gives every sign-in its own device id by default', async () => {
    const [a, b] = [await signDeviceToken(USER, secret, 1), await signDeviceToken(USER, secret, 1)];
    expect(a.deviceId).not.toBe(b.deviceId);
    expect(await verifyDeviceToken(a.token, USER, secret)).toBe(a.deviceId);
  });

  it('refuses an access token, a missing or oversized cookie, and odd device ids', async () => {
    const access = await signAccessToken(
      { userId: USER, sessionId: OTHER },
      secret,
      60,
      new Date(),
    );
    expect(await verifyDeviceToken(access.token, USER, secret)).toBeNull();
    expect(await verifyDeviceToken(undefined, USER, secret)).toBeNull();
    expect(await verifyDeviceToken('', USER, secret)).toBeNull();
    expect(await verifyDeviceToken('e'.repeat(1025), USER, secret)).toBeNull();
    const forged = (did: unknown) =>
      new SignJWT({ did })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(USER)
        .setIssuer('medora')
        .setAudience('medora-device')
        .setIssuedAt()
        .setExpirationTime('1h')
        .sign(secret);
    expect(await verifyDeviceToken(await forged('ok-id'), USER, secret)).toBe('ok-id');
    expect(await verifyDeviceToken(await forged('d'.repeat(64)), USER, secret)).toBe(
      'd'.repeat(64),
    );
    expect(await verifyDeviceToken(await forged('d'.repeat(65)), USER, secret)).toBeNull();
    expect(await verifyDeviceToken(await forged(42), USER, secret)).toBeNull();
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
    // The refused attempt still counted for the network: a neighbour is refused now too.
    expect(await refusal(limit.take('198.51.100.2'))).toMatchObject({ code: 'RATE_LIMITED' });
    expect(await refusal(limit.take('198.51.101.1'))).toBeNull();
  });

  it('does not limit calls without a client IP, and counts addresses that are not IPs alone', async () => {
    const limit = new RegistrationLimit(new MemoryCache(), { ipPerHour: 1, networkPerHour: 1 });
    for (let i = 0; i < 3; i++) expect(await refusal(limit.take(null))).toBeNull();
    expect(await refusal(limit.take('unix-socket'))).toBeNull();
    expect(await refusal(limit.take('unix-socket'))).toMatchObject({ code: 'RATE_LIMITED' });
  });
});
