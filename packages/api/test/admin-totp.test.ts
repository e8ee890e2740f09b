import { enrolTotp, signInDirectly, totpCode } from '@medora/core/testing';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, failure, PASSWORD, type Agent, type Harness } from './harness';

/**
 * An administrator's second factor through the API: the password yields a challenge, the code
 * completes the sign-in once, failures feed the lock-out, and admin sessions are bounded.
 */
let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h.close());

async function enrolledAdmin() {
  const admin = await h.make.admin();
  const secret = await enrolTotp(h.services, admin);
  return { admin, secret };
}

async function challenge(a: Agent, phone: string): Promise<string> {
  const res = await a.caller.auth.login({ phone, password: PASSWORD });
  if (!('secondFactor' in res)) throw new Error('expected a challenge, got tokens');
  expect(res.secondFactor).toBe('totp');
  return res.challenge;
}

describe('the code step', () => {
  it('signs in with the current code once; the same code is refused the second time', async () => {
    const { admin, secret } = await enrolledAdmin();
    const a = h.agent();
    const code = totpCode(secret);
    const out = await a.caller.auth.verifyTotp({
      challenge: await challenge(a, admin.phone),
      code,
    });
    expect(out.user.id).toBe(admin.userId);
    a.token = out.accessToken;
    expect(typeof (await a.caller.admin.stats.overview()).doctors).toBe('number');

    const b = h.agent();
    expect(
      await failure(b.caller.auth.verifyTotp({ challenge: await challenge(b, admin.phone), code })),
    ).toMatchObject({ code: 'UNAUTHORIZED', appCode: 'TOTP_INVALID' });
  });

  it('takes a recovery code once, and no challenge of another kind', async () => {
    const admin = await h.make.admin();
    // Enrol through the API to get real recovery codes.
    const a = h.agent();
    const first = await a.caller.auth.login({ phone: admin.phone, password: PASSWORD });
    if (!('secondFactor' in first)) throw new Error('expected a challenge');
    expect(first.secondFactor).toBe('totp_enrol');
    // An enrolment challenge does not complete a sign-in.
    expect(
      await failure(a.caller.auth.verifyTotp({ challenge: first.challenge, code: '123456' })),
    ).toMatchObject({ appCode: 'CHALLENGE_INVALID' });
    const started = await a.caller.auth.totpEnrolStart({ challenge: first.challenge });
    const done = await a.caller.auth.totpEnrolFinish({
      challenge: first.challenge,
      code: totpCode(started.secret),
    });
    expect(done.recoveryCodes).toHaveLength(10);
    // Enrolled now: a second start shows no secret.
    const again = await a.caller.auth.login({ phone: admin.phone, password: PASSWORD });
    expect('secondFactor' in again && again.secondFactor).toBe('totp');

    const b = h.agent();
    const recovery = done.recoveryCodes[3]!;
    await expect(
      b.caller.auth.verifyTotp({ challenge: await challenge(b, admin.phone), code: recovery }),
    ).resolves.toMatchObject({ user: { id: admin.userId } });
    const c = h.agent();
    expect(
      await failure(
        c.caller.auth.verifyTotp({ challenge: await challenge(c, admin.phone), code: recovery }),
      ),
    ).toMatchObject({ appCode: 'TOTP_INVALID' });
  });

  it('counts wrong codes toward the lock-out: after five, even the right code waits', async () => {
    const { admin, secret } = await enrolledAdmin();
    const ip = '198.51.100.77';
    for (let i = 0; i < 5; i++) {
      const a = h.agent({ ip });
      const res = await failure(
        a.caller.auth.verifyTotp({ challenge: await challenge(a, admin.phone), code: '000000' }),
      ).catch(() => null);
      // The last wrong code may already answer with the lock itself.
      expect(['TOTP_INVALID', 'TOO_MANY_ATTEMPTS']).toContain(res?.appCode);
    }
    const a = h.agent({ ip: '203.0.113.200' });
    const locked = await failure(
      (async () =>
        a.caller.auth.verifyTotp({
          challenge: await challenge(a, admin.phone),
          code: totpCode(secret),
        }))(),
    );
    expect(locked.appCode).toBe('TOO_MANY_ATTEMPTS');
  });
});

describe('admin sessions', () => {
  it('refuse admin procedures without the second factor', async () => {
    const admin = await h.make.admin();
    const s = await signInDirectly(h.services, admin, undefined, { secondFactor: false });
    const a = h.agent();
    a.token = s.accessToken;
    expect(await failure(a.caller.admin.stats.overview())).toMatchObject({
      code: 'FORBIDDEN',
      appCode: 'SECOND_FACTOR_REQUIRED',
    });
  });

  it('end 12 hours after sign-in however active: requests and refresh are refused', async () => {
    const { admin, secret } = await enrolledAdmin();
    const a = h.agent();
    const out = await a.caller.auth.verifyTotp({
      challenge: await challenge(a, admin.phone),
      code: totpCode(secret),
    });
    a.token = out.accessToken;
    await a.caller.admin.stats.overview();
    const moveBack = (hours: number) =>
      sql`update sessions set family_started_at = now() - make_interval(hours => ${hours})
        where user_id = ${admin.userId}`.execute(h.t.db);
    // Eleven hours in: still fine, and a refresh keeps the second factor.
    await moveBack(11);
    const refreshed = await a.caller.auth.refresh();
    expect(refreshed.session).not.toBeNull();
    a.token = refreshed.session!.accessToken;
    await expect(a.caller.admin.stats.overview()).resolves.toBeDefined();
    // Past twelve: the access token is refused and the refresh signs out.
    await moveBack(12);
    expect((await failure(a.caller.admin.stats.overview())).code).toBe('UNAUTHORIZED');
    expect((await a.caller.auth.refresh()).session).toBeNull();
  });
});
