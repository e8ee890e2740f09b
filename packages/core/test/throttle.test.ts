import { afterEach, describe, expect, it, vi } from 'vitest';
import { LoginThrottle, PasswordCheckThrottle, type Attempt } from '../src/auth/throttle';
import { MemoryCache } from '../src/cache/index';
import { AppError } from '../src/errors';

const WINDOW = 900;
const throttle = () =>
  new LoginThrottle(new MemoryCache(), {
    maxFailures: 5,
    windowSeconds: WINDOW,
    ipMaxFailures: 30,
  });
let n = 0;
const attempt = (over: Partial<Attempt> = {}): Attempt => ({
  phone: `+99890000${String(++n).padStart(4, '0')}`,
  ip: `192.0.2.${n % 250}`,
  trustedDevice: null,
  ...over,
});

/** The refusal `begin` throws, or null when the attempt may go ahead. */
async function refusal(p: Promise<unknown>): Promise<AppError | null> {
  return p.then(
    () => null,
    (e: unknown) => {
      if (e instanceof AppError) return e;
      throw e;
    },
  );
}

/** Fails `count` attempts in a row; returns what `failed` told the user each time. */
async function fail(t: LoginThrottle, a: Attempt, count: number) {
  const told: (number | undefined)[] = [];
  for (let i = 0; i < count; i++) told.push(await t.failed(await t.begin(a)));
  return told;
}

afterEach(() => vi.useRealTimers());

describe('LoginThrottle', () => {
  it('warns from the third failure on and locks the phone for the window after the fifth', async () => {
    const t = throttle();
    const a = attempt();
    expect(await fail(t, a, 5)).toEqual([undefined, undefined, 2, 1, 0]);
    const locked = await refusal(t.begin({ ...a, ip: '198.51.100.200' }));
    expect(locked).toMatchObject({ kind: 'TOO_MANY_REQUESTS', code: 'TOO_MANY_ATTEMPTS' });
    expect(locked?.details.retryAfterSeconds).toBe(WINDOW);
  });

  it('doubles the lock for a phone locked again within a day', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const t = throttle();
    const a = attempt();
    await fail(t, a, 5);
    vi.setSystemTime(Date.now() + (WINDOW + 1) * 1000);
    const first = await t.begin(a);
    expect(first.remaining).toBe(4);
    await t.failed(first);
    await fail(t, a, 4);
    const again = await refusal(t.begin(a));
    expect(again?.details.retryAfterSeconds).toBe(2 * WINDOW);
  });

  it('a success clears the phone and gives back only its own IP point', async () => {
    const t = new LoginThrottle(new MemoryCache(), {
      maxFailures: 5,
      windowSeconds: WINDOW,
      ipMaxFailures: 2,
    });
    const ip = '203.0.113.50';
    await fail(t, attempt({ ip }), 1);
    await t.succeeded(await t.begin(attempt({ ip })));
    // One failure from the IP still counts: one more and the IP is at its limit.
    await fail(t, attempt({ ip }), 1);
    expect(await refusal(t.begin(attempt({ ip })))).toMatchObject({ code: 'TOO_MANY_ATTEMPTS' });
  });

  it("counts a known device's failures apart: elsewhere's lock does not touch it, its own locks only it", async () => {
    const t = throttle();
    const a = attempt();
    await fail(t, a, 5);
    const device = { ...a, trustedDevice: 'device-1' };
    // The phone is locked for unknown devices, not for this one; and no phone lock-out follows.
    expect(await fail(t, device, 5)).toEqual([undefined, undefined, 2, 1, 0]);
    expect(await refusal(t.begin(device))).toMatchObject({ code: 'TOO_MANY_ATTEMPTS' });
    expect(await refusal(t.begin({ ...a, trustedDevice: 'device-2' }))).toBeNull();
  });

  it('a known device running out of attempts does not lock the phone for anyone else', async () => {
    const t = throttle();
    const a = attempt();
    await fail(t, { ...a, trustedDevice: 'device-4' }, 5);
    expect(await refusal(t.begin(a))).toBeNull();
  });

  it('a known device that used up its own failures counts like an unknown one', async () => {
    const t = throttle();
    const a = attempt();
    const device = { ...a, trustedDevice: 'device-5' };
    await fail(t, device, 5);
    // Its next failures fall on the phone, with the phone's warnings and lock.
    const next = await t.begin(device);
    expect(next).toMatchObject({ asKnownDevice: false, remaining: 4 });
    await t.failed(next);
    await fail(t, device, 4);
    expect(await refusal(t.begin(a))).toMatchObject({ code: 'TOO_MANY_ATTEMPTS' });
  });

  it('counts IPv6 clients per /64', async () => {
    const t = new LoginThrottle(new MemoryCache(), {
      maxFailures: 5,
      windowSeconds: WINDOW,
      ipMaxFailures: 2,
    });
    await fail(t, attempt({ ip: '2001:db8:7:8::1' }), 1);
    await fail(t, attempt({ ip: '2001:db8:7:8:ffff::2' }), 1);
    expect(await refusal(t.begin(attempt({ ip: '2001:db8:7:8::3' })))).toMatchObject({
      code: 'TOO_MANY_ATTEMPTS',
    });
    expect(await refusal(t.begin(attempt({ ip: '2001:db8:7:9::1' })))).toBeNull();
  });

  it("a known device's success clears only its own counter", async () => {
    const t = throttle();
    const a = attempt();
    const device = { ...a, trustedDevice: 'device-3' };
    await fail(t, device, 4);
    await t.succeeded(await t.begin(device));
    expect(await fail(t, device, 4)).toEqual([undefined, undefined, 2, 1]);
    // Unknown devices still see the phone's own count, untouched by the device.
    expect(await fail(t, a, 1)).toEqual([undefined]);
  });

  it('takes no IP point for an attempt without a client IP', async () => {
    const t = new LoginThrottle(new MemoryCache(), {
      maxFailures: 5,
      windowSeconds: WINDOW,
      ipMaxFailures: 1,
    });
    for (let i = 0; i < 3; i++) await fail(t, attempt({ ip: null }), 1);
    expect(await refusal(t.begin(attempt({ ip: null })))).toBeNull();
  });
});

describe('PasswordCheckThrottle', () => {
  it('refuses after maxFailures checks in the window and forgets them after a success', async () => {
    const t = new PasswordCheckThrottle(new MemoryCache(), { maxFailures: 3, windowSeconds: 60 });
    for (let i = 0; i < 3; i++) await t.begin('user-a');
    expect(await refusal(t.begin('user-a'))).toMatchObject({ code: 'TOO_MANY_ATTEMPTS' });
    expect(await refusal(t.begin('user-b'))).toBeNull();
    await t.succeeded('user-b');
    for (let i = 0; i < 3; i++) await t.begin('user-b');
    expect(await refusal(t.begin('user-b'))).not.toBeNull();
  });
});
