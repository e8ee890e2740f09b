import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { DEVICE_COOKIE } from '../src/index';
import {
  createHarness,
  failure,
  freshPhone,
  PASSWORD,
  registered,
  type Agent,
  type Harness,
} from './harness';

/**
 * Lock-outs that cannot be turned into a weapon (OWASP "device cookies"): a browser the doctor
 * signed in from before keeps working while strangers hammer the phone or the clinic's IP.
 */
let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h.close());
afterEach(() => vi.useRealTimers());

const login = (a: Agent, phone: string, password: string) =>
  a.caller.auth.login({ phone, password });

async function failFiveTimes(phone: string): Promise<void> {
  for (let i = 0; i < 5; i++)
    expect(await failure(login(h.agent(), phone, `wrong-${i}`))).toMatchObject({
      appCode: 'INVALID_CREDENTIALS',
    });
}

describe('device cookie', () => {
  it('is set at sign-up and sign-in: httpOnly, SameSite=Strict, only for the API', async () => {
    const a = await registered(h);
    const cookie = a.jar.cookies.get(DEVICE_COOKIE);
    expect(cookie?.opts).toMatchObject({ httpOnly: true, sameSite: 'strict', path: '/trpc' });
    expect(cookie?.opts.expires!.getTime()).toBeGreaterThan(Date.now() + 179 * 86_400_000);
    const b = h.agent();
    await login(b, a.phone, PASSWORD);
    expect(b.jar.get(DEVICE_COOKIE)).toMatch(/^ey/);
  });

  it('keeps a known device signed-in-able while failures from elsewhere lock the phone', async () => {
    const doctor = await registered(h);
    await failFiveTimes(doctor.phone);
    // A stranger's browser, even with the right password, is locked out…
    expect(await failure(login(h.agent(), doctor.phone, PASSWORD))).toMatchObject({
      appCode: 'TOO_MANY_ATTEMPTS',
    });
    // …the doctor's own browser is not.
    await expect(login(doctor, doctor.phone, PASSWORD)).resolves.toMatchObject({
      user: { id: doctor.userId },
    });
  });

  it("counts a known device's own failures apart, then treats it as a stranger", async () => {
    const doctor = await registered(h);
    for (let i = 0; i < 5; i++) await failure(login(doctor, doctor.phone, 'not-my-password'));
    // Those failures did not lock the phone for anyone else.
    await expect(login(h.agent(), doctor.phone, PASSWORD)).resolves.toBeDefined();
    // Having used up its own failures, the device now counts on the phone like any stranger:
    // five more wrong guesses lock the phone, for it and for everyone.
    for (let i = 0; i < 5; i++) await failure(login(doctor, doctor.phone, 'still-not-it'));
    expect(await failure(login(doctor, doctor.phone, PASSWORD))).toMatchObject({
      appCode: 'TOO_MANY_ATTEMPTS',
    });
    expect(await failure(login(h.agent(), doctor.phone, PASSWORD))).toMatchObject({
      appCode: 'TOO_MANY_ATTEMPTS',
    });
  });

  it('is no longer trusted after the password changed', async () => {
    const doctor = await registered(h);
    await doctor.caller.auth.changePassword({
      currentPassword: PASSWORD,
      newPassword: 'Yangi-parol-2028',
    });
    await failFiveTimes(doctor.phone);
    expect(await failure(login(doctor, doctor.phone, 'Yangi-parol-2028'))).toMatchObject({
      appCode: 'TOO_MANY_ATTEMPTS',
    });
  });

  it("is not trusted for another user's phone, nor when forged", async () => {
    const doctor = await registered(h);
    const other = await registered(h);
    await failFiveTimes(doctor.phone);
    // Other's device cookie says nothing about doctor's phone.
    expect(await failure(login(other, doctor.phone, PASSWORD))).toMatchObject({
      appCode: 'TOO_MANY_ATTEMPTS',
    });
    const forger = h.agent();
    const real = doctor.jar.get(DEVICE_COOKIE)!;
    forger.jar.set(
      DEVICE_COOKIE,
      `${real.slice(0, -4)}AAAA`,
      doctor.jar.cookies.get(DEVICE_COOKIE)!.opts,
    );
    expect(await failure(login(forger, doctor.phone, PASSWORD))).toMatchObject({
      appCode: 'TOO_MANY_ATTEMPTS',
    });
  });

  it('lets a known device sign in from an IP that failures locked', async () => {
    const h2 = await createHarness({ LOGIN_IP_MAX_FAILURES: '3' });
    try {
      const ip = '203.0.113.50';
      const doctor = await registered(h2, { ip });
      for (let i = 0; i < 3; i++)
        await failure(login(h2.agent({ ip }), freshPhone(), 'guess-guess'));
      expect(await failure(login(h2.agent({ ip }), doctor.phone, PASSWORD))).toMatchObject({
        appCode: 'TOO_MANY_ATTEMPTS',
      });
      await expect(login(doctor, doctor.phone, PASSWORD)).resolves.toBeDefined();
    } finally {
      await h2.close();
    }
  });

  it('never puts a password change in a live session under the sign-in lock', async () => {
    const doctor = await registered(h);
    await failFiveTimes(doctor.phone);
    await expect(
      doctor.caller.auth.changePassword({
        currentPassword: PASSWORD,
        newPassword: 'Yangi-parol-2027',
      }),
    ).resolves.toEqual({ ok: true });
  });
});

describe('unknown devices', () => {
  it('are told how many attempts remain from the third failure on', async () => {
    const doctor = await registered(h);
    const remaining: (number | null)[] = [];
    for (let i = 0; i < 5; i++)
      remaining.push(
        (await failure(login(h.agent(), doctor.phone, 'wrong-one'))).attemptsRemaining,
      );
    expect(remaining).toEqual([null, null, 2, 1, 0]);
  });

  it('wait longer after each repeated lock-out of a phone', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const doctor = await registered(h);
    await failFiveTimes(doctor.phone);
    const first = await failure(login(h.agent(), doctor.phone, PASSWORD));
    expect(first.retryAfterSeconds).toBeGreaterThan(850);
    expect(first.retryAfterSeconds).toBeLessThanOrEqual(900);
    // The lock ends after the window…
    vi.setSystemTime(Date.now() + 901_000);
    await failFiveTimes(doctor.phone);
    // …and the next one lasts twice as long.
    const second = await failure(login(h.agent(), doctor.phone, PASSWORD));
    expect(second.appCode).toBe('TOO_MANY_ATTEMPTS');
    expect(second.retryAfterSeconds).toBeGreaterThan(1750);
    expect(second.retryAfterSeconds).toBeLessThanOrEqual(1800);
  });
});

describe('registration limit', () => {
  it('allows REGISTRATION_IP_PER_HOUR sign-ups per IP, then refuses and writes nothing', async () => {
    const h2 = await createHarness({ REGISTRATION_IP_PER_HOUR: '3' });
    try {
      const ip = '198.51.100.20';
      for (let i = 0; i < 3; i++) await registered(h2, { ip });
      const phone = freshPhone();
      const refused = await failure(
        h2
          .agent({ ip })
          .caller.auth.register({ phone, name: 'Ortiqcha Hisob', password: PASSWORD }),
      );
      expect(refused).toMatchObject({ code: 'TOO_MANY_REQUESTS', appCode: 'RATE_LIMITED' });
      expect(refused.retryAfterSeconds).toBeGreaterThan(3500);
      expect(
        await h2.t.db.selectFrom('users').select('id').where('phone', '=', phone).execute(),
      ).toEqual([]);
      // Another network is not affected, nor are neighbours in the same one: the refused
      // attempts gave their network points back.
      await expect(registered(h2, { ip: '198.51.101.20' })).resolves.toBeDefined();
      for (let i = 0; i < 20; i++)
        await failure(
          h2.agent({ ip }).caller.auth.register({
            phone: freshPhone(),
            name: 'Ortiqcha Hisob',
            password: PASSWORD,
          }),
        );
      await expect(registered(h2, { ip: '198.51.100.21' })).resolves.toBeDefined();
    } finally {
      await h2.close();
    }
  });

  it('counts a /24 (IPv4) or /64 (IPv6) network together', async () => {
    const h2 = await createHarness({ REGISTRATION_NETWORK_PER_HOUR: '4' });
    try {
      for (const last of [1, 2, 3, 4]) await registered(h2, { ip: `192.0.2.${last}` });
      expect(
        await failure(
          h2.agent({ ip: '192.0.2.200' }).caller.auth.register({
            phone: freshPhone(),
            name: 'Ortiqcha Hisob',
            password: PASSWORD,
          }),
        ),
      ).toMatchObject({ appCode: 'RATE_LIMITED' });
      // IPv4-mapped IPv6 is the same address family and network.
      expect(
        await failure(
          h2.agent({ ip: '::ffff:192.0.2.77' }).caller.auth.register({
            phone: freshPhone(),
            name: 'Ortiqcha Hisob',
            password: PASSWORD,
          }),
        ),
      ).toMatchObject({ appCode: 'RATE_LIMITED' });
      for (const host of ['1', 'a', 'ffff:1', '2:3:4'])
        await registered(h2, { ip: `2001:db8:5:6::${host}` });
      expect(
        await failure(
          h2.agent({ ip: '2001:db8:5:6:ffff:ffff:ffff:ffff' }).caller.auth.register({
            phone: freshPhone(),
            name: 'Ortiqcha Hisob',
            password: PASSWORD,
          }),
        ),
      ).toMatchObject({ appCode: 'RATE_LIMITED' });
      await expect(registered(h2, { ip: '2001:db8:5:7::1' })).resolves.toBeDefined();
    } finally {
      await h2.close();
    }
  });
});
