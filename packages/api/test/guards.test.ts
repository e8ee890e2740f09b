import { AppError } from '@medora/core';
import { TRPCError } from '@trpc/server';
import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { appErrorData, createContext } from '../src/index';
import { createCallerFactory, publicProcedure, router } from '../src/trpc';
import {
  createHarness,
  failure,
  freshPhone,
  loggedIn,
  PASSWORD,
  TestCookieJar,
  tokens,
  uniqueIp,
  type Harness,
} from './harness';

// Each block here guards one rule that a deliberate fault once slipped past the whole suite.

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h.close());

/** One harness with its own configuration, closed at the end of the test. */
async function withHarness<T>(env: Record<string, string>, fn: (h: Harness) => Promise<T>) {
  const own = await createHarness(env);
  try {
    return await fn(own);
  } finally {
    await own.close();
  }
}

describe('internal errors never reach the client', () => {
  const SECRET = 'select * from secret';
  // Procedures built exactly as the real routers build theirs.
  const probe = router({
    crash: publicProcedure.query((): string => {
      throw new Error(SECRET);
    }),
    badOutput: publicProcedure
      .output(z.object({ id: z.uuid() }))
      .query(() => ({ id: `${SECRET} (not a uuid)` })),
    refused: publicProcedure.query((): string => {
      throw new AppError('NOT_FOUND', 'NOT_FOUND');
    }),
  });
  const context = () =>
    createContext(h.services, {
      ip: uniqueIp(),
      userAgent: 'vitest',
      requestId: 'probe',
      authorization: null,
      cookies: new TestCookieJar(),
    });

  /** What a browser receives: the HTTP answer of tRPC's own adapter with the real formatter. */
  async function overHttp(path: string) {
    const res = await fetchRequestHandler({
      endpoint: '/trpc',
      req: new Request(`http://localhost/trpc/${path}`),
      router: probe,
      createContext: context,
    });
    const text = await res.text();
    const body = JSON.parse(text) as { error: { json: Record<string, unknown> } };
    return { status: res.status, text, error: body.error.json };
  }

  it('answers a plain Error as INTERNAL_SERVER_ERROR with the code INTERNAL only', async () => {
    const err = await createCallerFactory(probe)(context)
      .crash()
      .then(
        () => null,
        (e: unknown) => e,
      );
    expect(err).toBeInstanceOf(TRPCError);
    expect((err as TRPCError).code).toBe('INTERNAL_SERVER_ERROR');
    expect(appErrorData(err as TRPCError)).toEqual({
      appCode: 'INTERNAL',
      fieldErrors: null,
      retryAfterSeconds: null,
      attemptsRemaining: null,
      usage: null,
    });

    const http = await overHttp('crash');
    expect(http.status).toBe(500);
    expect(http.error.message).toBe('INTERNAL');
    expect(http.error.data).toMatchObject({
      code: 'INTERNAL_SERVER_ERROR',
      httpStatus: 500,
      appCode: 'INTERNAL',
      fieldErrors: null,
    });
    expect(http.error.data).not.toHaveProperty('stack');
    // Nowhere in the answer: not the message, not a stack frame, not the file it came from.
    expect(http.text).not.toContain('secret');
    expect(http.text).not.toContain('guards.test');
  });

  it('answers an output that fails its schema as INTERNAL, without field errors', async () => {
    const err = await createCallerFactory(probe)(context)
      .badOutput()
      .then(
        () => null,
        (e: unknown) => e,
      );
    expect((err as TRPCError).code).toBe('INTERNAL_SERVER_ERROR');
    expect(appErrorData(err as TRPCError)).toMatchObject({
      appCode: 'INTERNAL',
      fieldErrors: null,
    });

    const http = await overHttp('badOutput');
    expect(http.status).toBe(500);
    expect(http.error.message).toBe('INTERNAL');
    expect(http.error.data).toMatchObject({ appCode: 'INTERNAL', fieldErrors: null });
    expect(http.text).not.toContain('secret');
    expect(http.text).not.toContain('uuid');
  });

  it('still answers an expected refusal with its own code and status', async () => {
    const http = await overHttp('refused');
    expect(http.status).toBe(404);
    expect(http.error.message).toBe('NOT_FOUND');
    expect(http.error.data).toMatchObject({ code: 'NOT_FOUND', appCode: 'NOT_FOUND' });
    expect(http.error.data).not.toHaveProperty('stack');
  });
});

describe('a deactivated account loses its live session at once', () => {
  it('refuses the live access token and the refresh token, and reactivation does not revive them', async () => {
    const doctor = await h.make.doctor();
    const a = await loggedIn(h, doctor.phone);
    await expect(a.caller.auth.me()).resolves.toMatchObject({ user: { id: doctor.userId } });
    const cookie = a.jar.cookies.get('medora_rt')!;

    await h.t.db
      .updateTable('users')
      .set({ is_active: false })
      .where('id', '=', doctor.userId)
      .execute();
    expect(await failure(a.caller.auth.me())).toMatchObject({
      code: 'UNAUTHORIZED',
      appCode: 'ACCOUNT_DISABLED',
    });
    expect(await a.caller.auth.refresh()).toEqual({
      session: null,
      signedOutReason: 'account_disabled',
    });
    expect(a.jar.refreshToken).toBeUndefined();

    // The refusal ended the session for good: switching the account back on does not bring back
    // a session that was refused while it was off.
    await h.t.db
      .updateTable('users')
      .set({ is_active: true })
      .where('id', '=', doctor.userId)
      .execute();
    expect(await failure(a.caller.auth.me())).toMatchObject({ appCode: 'SESSION_EXPIRED' });
    a.jar.set('medora_rt', cookie.value, cookie.opts);
    expect(await a.caller.auth.refresh()).toEqual({
      session: null,
      signedOutReason: 'account_disabled',
    });
  });
});

describe('changing the password inside a live session', () => {
  const NEW = 'Yangi-parol-77';
  afterEach(() => vi.useRealTimers());

  it('throttles wrong current passwords: after LOGIN_MAX_FAILURES even the right one waits out the window', () =>
    withHarness({ LOGIN_FAILURE_WINDOW_SECONDS: '60' }, async (h) => {
      const doctor = await h.make.doctor();
      const a = await loggedIn(h, doctor.phone);
      const change = (currentPassword: string) =>
        a.caller.auth.changePassword({ currentPassword, newPassword: NEW });
      for (let i = 0; i < 5; i++)
        expect(await failure(change(`wrong-${i}-password`))).toMatchObject({
          appCode: 'PASSWORD_INCORRECT',
        });
      const locked = await failure(change(PASSWORD));
      expect(locked).toMatchObject({ code: 'TOO_MANY_REQUESTS', appCode: 'TOO_MANY_ATTEMPTS' });
      expect(locked.retryAfterSeconds).toBeGreaterThan(0);
      expect(locked.retryAfterSeconds).toBeLessThanOrEqual(60);

      // Only the window's end lifts the lock; the counters read the clock.
      vi.useFakeTimers({ toFake: ['Date'] });
      vi.setSystemTime(Date.now() + 61_000);
      await expect(change(PASSWORD)).resolves.toEqual({ ok: true });
      // The success cleared the count: five more wrong guesses are answered as wrong, not locked.
      for (let i = 0; i < 5; i++)
        expect(
          await failure(
            a.caller.auth.changePassword({
              currentPassword: `no-${i}`,
              newPassword: 'Boshqa-parol-88',
            }),
          ),
        ).toMatchObject({ appCode: 'PASSWORD_INCORRECT' });
    }));

  it('is not blocked by failed sign-ins from elsewhere, and its own failures do not lock sign-in', async () => {
    const doctor = await h.make.doctor();
    const a = await loggedIn(h, doctor.phone);
    for (let i = 0; i < 5; i++)
      await failure(h.agent().caller.auth.login({ phone: doctor.phone, password: `guess-${i}-x` }));
    expect(
      await failure(h.agent().caller.auth.login({ phone: doctor.phone, password: PASSWORD })),
    ).toMatchObject({ appCode: 'TOO_MANY_ATTEMPTS' });
    await expect(
      a.caller.auth.changePassword({ currentPassword: PASSWORD, newPassword: NEW }),
    ).resolves.toEqual({ ok: true });

    const other = await h.make.doctor();
    const b = await loggedIn(h, other.phone);
    for (let i = 0; i < 5; i++)
      await failure(
        b.caller.auth.changePassword({ currentPassword: `no-${i}-x`, newPassword: NEW }),
      );
    await expect(
      h.agent().caller.auth.login({ phone: other.phone, password: PASSWORD }),
    ).resolves.toMatchObject({ user: { id: other.userId } });
  });
});

describe('the per-IP sign-in limit and the per-phone limit stay apart', () => {
  const env = { LOGIN_IP_MAX_FAILURES: '3' };
  const guess = (h: Harness, ip: string, phone = freshPhone()) =>
    failure(h.agent({ ip }).caller.auth.login({ phone, password: 'guess-guess' }));

  it('an attempt refused by the IP limit does not count against the phone', () =>
    withHarness(env, async (h) => {
      const ip = uniqueIp();
      for (let i = 0; i < 3; i++) await guess(h, ip);
      const victim = await h.make.doctor();
      for (let i = 0; i < 6; i++)
        expect(await guess(h, ip, victim.phone)).toMatchObject({ appCode: 'TOO_MANY_ATTEMPTS' });
      // From elsewhere the phone starts from zero: no warning yet on the first two failures.
      for (let i = 0; i < 2; i++)
        expect(await guess(h, uniqueIp(), victim.phone)).toMatchObject({
          appCode: 'INVALID_CREDENTIALS',
          attemptsRemaining: null,
        });
      expect(await guess(h, uniqueIp(), victim.phone)).toMatchObject({ attemptsRemaining: 2 });
      await expect(
        h.agent().caller.auth.login({ phone: victim.phone, password: PASSWORD }),
      ).resolves.toMatchObject({ user: { id: victim.userId } });
    }));

  it('an attempt refused by the phone lock does not count against the IP', () =>
    withHarness(env, async (h) => {
      const victim = await h.make.doctor();
      for (let i = 0; i < 5; i++) await guess(h, uniqueIp(), victim.phone);
      const clinic = uniqueIp();
      for (let i = 0; i < 5; i++)
        expect(await guess(h, clinic, victim.phone)).toMatchObject({
          appCode: 'TOO_MANY_ATTEMPTS',
        });
      const colleague = await h.make.doctor();
      await expect(
        h.agent({ ip: clinic }).caller.auth.login({ phone: colleague.phone, password: PASSWORD }),
      ).resolves.toMatchObject({ user: { id: colleague.userId } });
    }));

  it('many doctors signing in successfully from one clinic IP never lock it', () =>
    withHarness(env, async (h) => {
      const clinic = uniqueIp();
      for (let i = 0; i < 8; i++) {
        const doctor = await h.make.doctor();
        await expect(
          h.agent({ ip: clinic }).caller.auth.login({ phone: doctor.phone, password: PASSWORD }),
        ).resolves.toMatchObject({ user: { id: doctor.userId } });
      }
    }));

  it('a success gives back only its own point: earlier failures from the IP still count', () =>
    withHarness(env, async (h) => {
      const clinic = uniqueIp();
      const [first, second] = [await h.make.doctor(), await h.make.doctor()];
      await guess(h, clinic);
      await guess(h, clinic);
      await h.agent({ ip: clinic }).caller.auth.login({ phone: first.phone, password: PASSWORD });
      await guess(h, clinic);
      expect(
        await failure(
          h.agent({ ip: clinic }).caller.auth.login({ phone: second.phone, password: PASSWORD }),
        ),
      ).toMatchObject({ code: 'TOO_MANY_REQUESTS', appCode: 'TOO_MANY_ATTEMPTS' });
    }));
});

describe('the session cap holds under parallel sign-ins through the API', () => {
  it('leaves exactly MAX_SESSIONS_PER_USER live sessions after 8 simultaneous logins', () =>
    // Enough attempts per phone for all eight to reach the password check at once.
    withHarness({ MAX_SESSIONS_PER_USER: '3', LOGIN_MAX_FAILURES: '10' }, async (h) => {
      const doctor = await h.make.doctor();
      const results = await Promise.all(
        Array.from({ length: 8 }, () =>
          h.agent().caller.auth.login({ phone: doctor.phone, password: PASSWORD }),
        ),
      );
      expect(results.every((r) => tokens(r).user.id === doctor.userId)).toBe(true);
      const live = await h.t.db
        .selectFrom('sessions')
        .select(sql<number>`count(distinct family_id)::int`.as('n'))
        .where('user_id', '=', doctor.userId)
        .where('revoked_at', 'is', null)
        .where('replaced_at', 'is', null)
        .executeTakeFirstOrThrow();
      expect(live.n).toBe(3);
    }));
});
