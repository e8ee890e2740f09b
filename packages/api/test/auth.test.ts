import { signAccessToken } from '@medora/core';
import { maskPhone } from '@medora/schema';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createHarness,
  failure,
  freshPhone,
  loggedIn,
  PASSWORD,
  tokens,
  registered,
  type Harness,
} from './harness';

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h.close());

const auditActions = async (userId: string) =>
  await h.t.db
    .selectFrom('audit_log')
    .select(['action', 'outcome', 'meta'])
    .where('actor_user_id', '=', userId)
    .orderBy('id')
    .execute();

describe('register', () => {
  it('creates a doctor with a personal trialing workspace, a session and a refresh cookie', async () => {
    const a = h.agent();
    const phone = freshPhone();
    const res = await a.caller.auth.register({
      phone: `${phone.slice(4, 6)} ${phone.slice(6)}`,
      name: "Oybek Qo'chqorov",
      password: PASSWORD,
      locale: 'ru',
    });
    expect(res.user).toMatchObject({
      phone,
      name: 'Oybek Qoʻchqorov',
      role: 'doctor',
      locale: 'ru',
    });
    expect(res.accessToken.split('.')).toHaveLength(3);
    expect(res.accessTokenExpiresAt.getTime()).toBeGreaterThan(Date.now());
    const cookie = a.jar.cookies.get('medora_rt');
    expect(cookie?.opts).toMatchObject({ httpOnly: true, sameSite: 'strict', path: '/trpc' });
    expect(cookie?.value).toMatch(/^[A-Za-z0-9_-]{43}$/);

    a.token = res.accessToken;
    const me = await a.caller.auth.me();
    expect(me.workspace).toMatchObject({ name: 'Oybek Qoʻchqorov', role: 'owner' });
    expect(me.subscription).toMatchObject({
      status: 'trialing',
      planCode: 'trial',
      planNames: { uz: 'Sinov', ru: 'Пробный', en: 'Trial' },
      daysLeft: 7,
    });
    const trialMs = me.subscription!.trialEndsAt!.getTime() - Date.now();
    expect(trialMs).toBeGreaterThan(6.99 * 86_400_000);
    expect(trialMs).toBeLessThanOrEqual(7 * 86_400_000);

    const stored = await h.t.db
      .selectFrom('users')
      .select(['password_hash', 'phone'])
      .where('id', '=', res.user.id)
      .executeTakeFirstOrThrow();
    expect(stored.password_hash).toMatch(/^\$argon2id\$/);
    const tokenRow = await h.t.db
      .selectFrom('sessions')
      .select('refresh_token_hash')
      .where('user_id', '=', res.user.id)
      .executeTakeFirstOrThrow();
    expect(tokenRow.refresh_token_hash).not.toContain(cookie!.value);
    expect((await auditActions(res.user.id)).map((r) => r.action)).toEqual(['auth.register']);
  });

  it('answers CONFLICT with a phone field error for a duplicate phone in any format', async () => {
    const first = await registered(h);
    const national = `${first.phone.slice(4, 6)} ${first.phone.slice(6, 9)}-${first.phone.slice(9, 11)}-${first.phone.slice(11)}`;
    for (const phone of [first.phone, first.phone.slice(1), national]) {
      const err = await failure(
        h
          .agent()
          .caller.auth.register({ phone, name: 'Boshqa Odam', password: PASSWORD, locale: 'uz' }),
      );
      expect(err).toMatchObject({
        code: 'CONFLICT',
        appCode: 'PHONE_TAKEN',
        fieldErrors: { phone: ['phone.taken'] },
      });
    }
    const count = await h.t.db
      .selectFrom('users')
      .select(sql<number>`count(*)::int`.as('n'))
      .where('phone', '=', first.phone)
      .executeTakeFirstOrThrow();
    expect(count.n).toBe(1);
    // Each refusal is in the trail, with the phone masked.
    const refused = await h.t.db
      .selectFrom('audit_log')
      .select(['outcome', 'meta'])
      .where('action', '=', 'auth.register')
      .where(sql<boolean>`meta->>'phone' = ${maskPhone(first.phone)}`)
      .where('outcome', '=', 'failure')
      .execute();
    expect(refused).toHaveLength(3);
    expect(refused[0]?.meta).toEqual({ phone: maskPhone(first.phone), reason: 'phone_taken' });
  });

  it('lets exactly one of two simultaneous sign-ups with one phone win, and writes nothing for the other', async () => {
    const phone = freshPhone();
    const results = await Promise.allSettled(
      [0, 1].map(() =>
        h
          .agent()
          .caller.auth.register({ phone, name: 'Bir Xil', password: PASSWORD, locale: 'uz' }),
      ),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const loser = results.find((r) => r.status === 'rejected');
    expect(
      await failure(Promise.reject((loser as PromiseRejectedResult).reason as Error)),
    ).toMatchObject({ code: 'CONFLICT', appCode: 'PHONE_TAKEN' });
    const ws = await h.t.db
      .selectFrom('workspaces')
      .select(sql<number>`count(*)::int`.as('n'))
      .where('name', '=', 'Bir Xil')
      .executeTakeFirstOrThrow();
    expect(ws.n).toBe(1);
  });

  const valid = {
    phone: '+998 90 000 00 00',
    name: 'Ali Valiyev',
    password: PASSWORD,
    locale: 'uz',
  };
  it.each([
    ['phone of the wrong type', { ...valid, phone: 901234567 }, ['phone']],
    ['missing name and password', { phone: valid.phone }, ['name', 'password']],
    ['an unknown phone format', { ...valid, phone: '+998 (71) 123' }, ['phone']],
    ['a foreign phone', { ...valid, phone: '+7 900 123 45 67' }, ['phone']],
    ['an oversized phone', { ...valid, phone: '9'.repeat(10_000) }, ['phone']],
    ['SQL in the name', { ...valid, name: "Robert'); DROP TABLE users;--" }, ['name']],
    ['HTML in the name', { ...valid, name: '<script>alert(1)</script>' }, ['name']],
    ['an oversized name', { ...valid, name: 'A'.repeat(100_000) }, ['name']],
    ['a common password', { ...valid, password: 'qwerty123' }, ['password']],
    ['a short password', { ...valid, password: 'abc' }, ['password']],
    ['an oversized password', { ...valid, password: 'x'.repeat(5000) }, ['password']],
    ['an unknown locale', { ...valid, locale: 'de' }, ['locale']],
    ['a role smuggled in', { ...valid, role: 'admin' }, ['']],
    ['a string instead of an object', 'register me', ['']],
    ['null', null, ['']],
  ])('refuses %s with field errors and writes nothing', async (_label, input, fields) => {
    const before = await h.t.db
      .selectFrom('users')
      .select(sql<number>`count(*)::int`.as('n'))
      .executeTakeFirstOrThrow();
    // @ts-expect-error -- hostile input on purpose
    const err = await failure(h.agent().caller.auth.register(input));
    expect(err.code).toBe('BAD_REQUEST');
    expect(err.appCode).toBe('VALIDATION_FAILED');
    expect(Object.keys(err.fieldErrors ?? {}).sort()).toEqual([...fields].sort());
    const after = await h.t.db
      .selectFrom('users')
      .select(sql<number>`count(*)::int`.as('n'))
      .executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
  });
});

describe('login', () => {
  it('accepts the phone in any common format and audits the success', async () => {
    const a = await registered(h);
    for (const phone of [
      a.phone,
      a.phone.slice(1),
      a.phone.slice(4),
      `+998 ${a.phone.slice(4, 6)} ${a.phone.slice(6)}`,
    ]) {
      const res = tokens(await h.agent().caller.auth.login({ phone, password: PASSWORD }));
      expect(res.user.id).toBe(a.userId);
    }
    const logins = (await auditActions(a.userId)).filter((r) => r.action === 'auth.login');
    expect(logins.length).toBeGreaterThanOrEqual(3);
    expect(logins.every((r) => r.outcome === 'success')).toBe(true);
  });

  it('gives one generic answer for a wrong password and an unknown phone, and audits both without secrets', async () => {
    const a = await registered(h);
    const stranger = freshPhone();
    const [mine, theirs] = [h.agent(), h.agent()];
    const wrongPassword = await failure(
      mine.caller.auth.login({ phone: a.phone, password: 'not-the-password' }),
    );
    const unknownPhone = await failure(
      theirs.caller.auth.login({ phone: stranger, password: PASSWORD }),
    );
    expect(wrongPassword).toEqual(unknownPhone);
    expect(wrongPassword).toMatchObject({
      code: 'UNAUTHORIZED',
      appCode: 'INVALID_CREDENTIALS',
      fieldErrors: null,
    });
    // Only this test's two attempts, each found by the client IP that made it (every agent has
    // its own): the rest of the file writes failures too.
    const failures = (ip: string) =>
      h.t.db
        .selectFrom('audit_log')
        .selectAll()
        .where('action', '=', 'auth.login')
        .where('outcome', '=', 'failure')
        .where('ip', '=', ip)
        .execute();
    const own = await failures(mine.ip);
    const unknown = await failures(theirs.ip);
    expect(own.map((r) => [r.actor_user_id, r.actor_role, r.meta])).toEqual([
      [a.userId, 'doctor', { phone: maskPhone(a.phone), reason: 'wrong_password' }],
    ]);
    expect(unknown.map((r) => [r.actor_user_id, r.actor_role, r.meta])).toEqual([
      [null, 'anonymous', { phone: maskPhone(stranger), reason: 'unknown_phone' }],
    ]);
    const rows = [...own, ...unknown];
    const text = JSON.stringify(rows);
    expect(text).not.toContain('not-the-password');
    expect(text).not.toContain(PASSWORD);
    expect(text).not.toContain(a.phone);
  });

  it('refuses a disabled account with the same generic answer', async () => {
    const a = await registered(h);
    await h.t.db
      .updateTable('users')
      .set({ is_active: false })
      .where('id', '=', a.userId)
      .execute();
    expect(
      await failure(h.agent().caller.auth.login({ phone: a.phone, password: PASSWORD })),
    ).toMatchObject({ appCode: 'INVALID_CREDENTIALS' });
  });
});

describe('login throttling', () => {
  it('blocks a phone after 5 failures in the window, even with the right password, and tells when to retry', async () => {
    const a = await registered(h);
    for (let i = 0; i < 5; i++) {
      // Each attempt from a different IP: the per-phone counter must not depend on the address.
      expect(
        await failure(h.agent().caller.auth.login({ phone: a.phone, password: `wrong-${i}` })),
      ).toMatchObject({ appCode: 'INVALID_CREDENTIALS' });
    }
    const blocked = await failure(
      h.agent().caller.auth.login({ phone: a.phone.slice(4), password: PASSWORD }),
    );
    expect(blocked).toMatchObject({ code: 'TOO_MANY_REQUESTS', appCode: 'TOO_MANY_ATTEMPTS' });
    expect(blocked.retryAfterSeconds).toBeGreaterThan(800);
    expect(blocked.retryAfterSeconds).toBeLessThanOrEqual(900);
  });

  it('lets at most 5 of many simultaneous wrong guesses reach the password check', async () => {
    const a = await registered(h);
    const results = await Promise.allSettled(
      Array.from({ length: 12 }, () =>
        h.agent().caller.auth.login({ phone: a.phone, password: 'parallel-guess' }),
      ),
    );
    const codes = await Promise.all(
      results.map(async (r) =>
        r.status === 'rejected' ? (await failure(Promise.reject(r.reason as Error))).appCode : 'OK',
      ),
    );
    expect(codes.filter((c) => c === 'INVALID_CREDENTIALS')).toHaveLength(5);
    expect(codes.filter((c) => c === 'TOO_MANY_ATTEMPTS')).toHaveLength(7);
    const denied = await h.t.db
      .selectFrom('audit_log')
      .select(['outcome', 'meta'])
      .where('action', '=', 'auth.login')
      .where('outcome', '=', 'denied')
      .where(sql<boolean>`meta->>'phone' = ${maskPhone(a.phone)}`)
      .execute();
    expect(denied).toHaveLength(7);
    expect(denied[0]?.meta).toMatchObject({ reason: 'throttled' });
  });

  it('resets the count on success', async () => {
    const a = await registered(h);
    const attempt = (password: string) => h.agent().caller.auth.login({ phone: a.phone, password });
    for (let i = 0; i < 4; i++) await failure(attempt('wrong-password'));
    await attempt(PASSWORD);
    for (let i = 0; i < 4; i++)
      expect(await failure(attempt('wrong-password'))).toMatchObject({
        appCode: 'INVALID_CREDENTIALS',
      });
    await expect(attempt(PASSWORD)).resolves.toMatchObject({ user: { id: a.userId } });
  });

  it('caps failures per IP across many phones, separately from the per-phone count', async () => {
    const h2 = await createHarness({ LOGIN_IP_MAX_FAILURES: '3' });
    try {
      const victim = await registered(h2);
      const ip = '203.0.113.7';
      for (let i = 0; i < 3; i++)
        await failure(
          h2.agent({ ip }).caller.auth.login({ phone: freshPhone(), password: 'guess-guess' }),
        );
      expect(
        await failure(
          h2.agent({ ip }).caller.auth.login({ phone: victim.phone, password: PASSWORD }),
        ),
      ).toMatchObject({ code: 'TOO_MANY_REQUESTS', appCode: 'TOO_MANY_ATTEMPTS' });
      await expect(
        h2
          .agent({ ip: '203.0.113.8' })
          .caller.auth.login({ phone: victim.phone, password: PASSWORD }),
      ).resolves.toBeDefined();
    } finally {
      await h2.close();
    }
  });
});

describe('refresh', () => {
  it('rotates the refresh token on every use and keeps the session id', async () => {
    const a = await registered(h);
    const first = a.jar.refreshToken;
    const r1 = await a.caller.auth.refresh();
    const second = a.jar.refreshToken;
    expect(second).toBeDefined();
    expect(second).not.toBe(first);
    a.token = r1.session!.accessToken;
    const sessions = await a.caller.auth.sessions.list();
    expect(sessions).toHaveLength(1);
    expect(sessions[0]?.current).toBe(true);
    await a.caller.auth.refresh();
    expect(a.jar.refreshToken).not.toBe(second);
  });

  it('answers a missing, malformed or unknown token with "signed out", not an error, and clears the cookie', async () => {
    const a = h.agent();
    expect(await a.caller.auth.refresh()).toEqual({ session: null, signedOutReason: null });
    a.jar.set('medora_rt', 'x'.repeat(5000), {
      httpOnly: true,
      secure: false,
      sameSite: 'strict',
      path: '/trpc',
    });
    expect(await a.caller.auth.refresh()).toEqual({ session: null, signedOutReason: 'expired' });
    expect(a.jar.refreshToken).toBeUndefined();
    a.jar.set('medora_rt', 'unknown-token', {
      httpOnly: true,
      secure: false,
      sameSite: 'strict',
      path: '/trpc',
    });
    expect(await a.caller.auth.refresh()).toEqual({ session: null, signedOutReason: 'expired' });
    expect(a.jar.refreshToken).toBeUndefined();
  });

  it('revokes the whole family when an already-rotated token is presented again', async () => {
    const h2 = await createHarness({ REFRESH_REUSE_GRACE_SECONDS: '0' });
    try {
      const victim = await registered(h2);
      const stolen = victim.jar.refreshToken!;
      const rotated = await victim.caller.auth.refresh();
      victim.token = rotated.session!.accessToken;
      await victim.caller.auth.me();

      const thief = h2.agent();
      thief.jar.set('medora_rt', stolen, {
        httpOnly: true,
        secure: false,
        sameSite: 'strict',
        path: '/trpc',
      });
      expect(await thief.caller.auth.refresh()).toEqual({
        session: null,
        signedOutReason: 'token_reuse',
      });

      // The legitimate holder is signed out too: both its refresh token and its access token.
      expect(await victim.caller.auth.refresh()).toEqual({
        session: null,
        signedOutReason: 'token_reuse',
      });
      expect(await failure(victim.caller.auth.me())).toMatchObject({ code: 'UNAUTHORIZED' });
      const audit = await h2.t.db
        .selectFrom('audit_log')
        .select('outcome')
        .where('action', '=', 'auth.refresh_reuse')
        .execute();
      expect(audit).toEqual([{ outcome: 'denied' }]);
    } finally {
      await h2.close();
    }
  });

  it('lets exactly one of two concurrent refreshes with the same token win, without killing the session', async () => {
    const a = await registered(h);
    const token = a.jar.refreshToken!;
    const tab1 = h.agent();
    const tab2 = h.agent();
    for (const tab of [tab1, tab2])
      tab.jar.set('medora_rt', token, {
        httpOnly: true,
        secure: false,
        sameSite: 'strict',
        path: '/trpc',
      });
    const results = await Promise.allSettled([
      tab1.caller.auth.refresh(),
      tab2.caller.auth.refresh(),
    ]);
    const won = results.filter((r) => r.status === 'fulfilled');
    expect(won).toHaveLength(1);
    const lost = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(await failure(Promise.reject(lost.reason as Error))).toMatchObject({
      code: 'UNAUTHORIZED',
      appCode: 'REFRESH_RACE',
    });

    const winner = results[0]?.status === 'fulfilled' ? tab1 : tab2;
    const loser = winner === tab1 ? tab2 : tab1;
    // The loser keeps its cookie: in a browser it is the same cookie the winner just replaced.
    expect(loser.jar.refreshToken).toBe(token);
    expect(winner.jar.refreshToken).not.toBe(token);
    expect((await winner.caller.auth.refresh()).session).not.toBeNull();
    const live = await h.t.db
      .selectFrom('sessions')
      .select(sql<number>`count(*)::int`.as('n'))
      .where('user_id', '=', a.userId)
      .where('revoked_at', 'is', null)
      .where('replaced_at', 'is', null)
      .executeTakeFirstOrThrow();
    expect(live.n).toBe(1);
  });

  it('refuses to extend a session past SESSION_MAX_DAYS, however active', async () => {
    const a = await registered(h);
    await a.caller.auth.refresh();
    await h.t.db
      .updateTable('sessions')
      .set({ family_started_at: sql`now() - interval '91 days'` })
      .where('user_id', '=', a.userId)
      .execute();
    expect(await a.caller.auth.refresh()).toEqual({ session: null, signedOutReason: 'expired' });
  });

  it('refuses an expired refresh token', async () => {
    const a = await registered(h);
    await h.t.db
      .updateTable('sessions')
      .set({ expires_at: sql`now() - interval '1 second'` })
      .where('user_id', '=', a.userId)
      .execute();
    expect(await a.caller.auth.refresh()).toEqual({ session: null, signedOutReason: 'expired' });
  });
});

describe('sessions', () => {
  it('keeps at most MAX_SESSIONS_PER_USER live sessions, revoking the oldest at once', async () => {
    const a = await registered(h);
    await a.caller.auth.me();
    const b = await loggedIn(h, a.phone, { userAgent: 'b' });
    const c = await loggedIn(h, a.phone, { userAgent: 'c' });
    const d = await loggedIn(h, a.phone, { userAgent: 'd' });
    // The first session was revoked by the fourth login: refused now, not when its token expires.
    expect(await failure(a.caller.auth.me())).toMatchObject({
      code: 'UNAUTHORIZED',
      appCode: 'SESSION_EXPIRED',
    });
    expect(await a.caller.auth.refresh()).toEqual({
      session: null,
      signedOutReason: 'session_cap',
    });
    const list = await d.caller.auth.sessions.list();
    expect(list.map((s) => s.userAgent).sort()).toEqual(['b', 'c', 'd']);
    expect(list.filter((s) => s.current).map((s) => s.userAgent)).toEqual(['d']);
    await expect(b.caller.auth.me()).resolves.toBeDefined();
    await expect(c.caller.auth.me()).resolves.toBeDefined();
  });

  it('respects a configured cap', async () => {
    const h2 = await createHarness({ MAX_SESSIONS_PER_USER: '1' });
    try {
      const a = await registered(h2);
      const b = await loggedIn(h2, a.phone);
      expect(await failure(a.caller.auth.me())).toMatchObject({ code: 'UNAUTHORIZED' });
      expect(await b.caller.auth.sessions.list()).toHaveLength(1);
    } finally {
      await h2.close();
    }
  });

  it('revokes another of my sessions immediately, right after that session was used', async () => {
    const a = await registered(h);
    const other = await loggedIn(h, a.phone);
    await other.caller.auth.me();
    const otherId = (await a.caller.auth.sessions.list()).find((s) => !s.current)!.id;
    await a.caller.auth.sessions.revoke({ id: otherId });
    expect(await failure(other.caller.auth.me())).toMatchObject({
      code: 'UNAUTHORIZED',
      appCode: 'SESSION_EXPIRED',
    });
    expect(await other.caller.auth.refresh()).toEqual({
      session: null,
      signedOutReason: 'user_revoked',
    });
    await expect(a.caller.auth.me()).resolves.toBeDefined();
  });

  it("answers NOT_FOUND for another user's session id and for unknown ids", async () => {
    const mallory = await registered(h);
    const alice = await registered(h);
    const aliceSession = (await alice.caller.auth.sessions.list())[0]!.id;
    expect(await failure(mallory.caller.auth.sessions.revoke({ id: aliceSession }))).toMatchObject({
      code: 'NOT_FOUND',
      appCode: 'NOT_FOUND',
    });
    expect(
      await failure(
        mallory.caller.auth.sessions.revoke({ id: '00000000-0000-4000-8000-000000000000' }),
      ),
    ).toMatchObject({ code: 'NOT_FOUND' });
    expect(await failure(mallory.caller.auth.sessions.revoke({ id: 'not-a-uuid' }))).toMatchObject({
      code: 'BAD_REQUEST',
      fieldErrors: { id: ['id.invalid'] },
    });
    await expect(alice.caller.auth.me()).resolves.toBeDefined();
  });

  it('refuses expired, forged and malformed access tokens', async () => {
    const a = await registered(h);
    const sid = (await a.caller.auth.sessions.list())[0]!.id;
    const expired = await signAccessToken(
      { userId: a.userId, sessionId: sid },
      h.services.config.tokenSecret,
      60,
      new Date(Date.now() - 3_600_000),
    );
    const forged = await signAccessToken(
      { userId: a.userId, sessionId: sid },
      new TextEncoder().encode('another-secret-another-secret-another'),
      60,
      new Date(),
    );
    const oddClaims = await signAccessToken(
      { userId: 'not-a-uuid', sessionId: "1' or '1'='1" },
      h.services.config.tokenSecret,
      60,
      new Date(),
    );
    const cases: [string, string][] = [
      [oddClaims.token, 'UNAUTHENTICATED'],
      [expired.token, 'SESSION_EXPIRED'],
      [forged.token, 'UNAUTHENTICATED'],
      ['garbage', 'UNAUTHENTICATED'],
      ['a.b.c', 'UNAUTHENTICATED'],
    ];
    for (const [token, appCode] of cases) {
      a.token = token;
      expect(await failure(a.caller.auth.me())).toMatchObject({ code: 'UNAUTHORIZED', appCode });
    }
  });
});

describe('logout', () => {
  it('ends the session: the refresh token and the access token stop working, and it is audited', async () => {
    const a = await registered(h);
    const token = a.jar.refreshToken!;
    await expect(a.caller.auth.logout()).resolves.toEqual({ ok: true });
    expect(a.jar.refreshToken).toBeUndefined();
    expect(await failure(a.caller.auth.me())).toMatchObject({ code: 'UNAUTHORIZED' });
    a.jar.set('medora_rt', token, {
      httpOnly: true,
      secure: false,
      sameSite: 'strict',
      path: '/trpc',
    });
    expect(await a.caller.auth.refresh()).toEqual({ session: null, signedOutReason: 'logout' });
    expect((await auditActions(a.userId)).map((r) => r.action)).toContain('auth.logout');
    // Logging out twice is harmless.
    await expect(a.caller.auth.logout()).resolves.toEqual({ ok: true });
  });
});

describe('change password', () => {
  it('needs the current password, then revokes every other session and audits it', async () => {
    const a = await registered(h);
    const other = await loggedIn(h, a.phone);
    const wrong = await failure(
      a.caller.auth.changePassword({
        currentPassword: 'not-it-at-all',
        newPassword: 'Yangi-parol-77',
      }),
    );
    expect(wrong).toMatchObject({
      code: 'BAD_REQUEST',
      appCode: 'PASSWORD_INCORRECT',
      fieldErrors: { currentPassword: ['password.incorrect'] },
    });

    await expect(
      a.caller.auth.changePassword({ currentPassword: PASSWORD, newPassword: 'Yangi-parol-77' }),
    ).resolves.toEqual({ ok: true });
    expect(await failure(other.caller.auth.me())).toMatchObject({ code: 'UNAUTHORIZED' });
    await expect(a.caller.auth.me()).resolves.toBeDefined();
    expect(
      await failure(h.agent().caller.auth.login({ phone: a.phone, password: PASSWORD })),
    ).toMatchObject({ appCode: 'INVALID_CREDENTIALS' });
    await expect(
      h.agent().caller.auth.login({ phone: a.phone, password: 'Yangi-parol-77' }),
    ).resolves.toBeDefined();

    const rows = (await auditActions(a.userId)).filter((r) => r.action === 'auth.change_password');
    expect(rows.map((r) => r.outcome)).toEqual(['failure', 'success']);
    expect(JSON.stringify(rows)).not.toMatch(/Yangi-parol|not-it-at-all/);
  });

  it('refuses a weak or unchanged new password with field errors', async () => {
    const a = await registered(h);
    expect(
      await failure(
        a.caller.auth.changePassword({ currentPassword: PASSWORD, newPassword: '12345678' }),
      ),
    ).toMatchObject({ fieldErrors: { newPassword: ['password.common'] } });
    expect(
      await failure(
        a.caller.auth.changePassword({ currentPassword: PASSWORD, newPassword: PASSWORD }),
      ),
    ).toMatchObject({ fieldErrors: { newPassword: ['password.same_as_current'] } });
  });
});

describe('profile', () => {
  it('updates name and language, normalizing the name', async () => {
    const a = await registered(h);
    const user = await a.caller.auth.updateProfile({ name: "G'ayrat  To'xtayev", locale: 'en' });
    expect(user).toMatchObject({ name: 'Gʻayrat Toʻxtayev', locale: 'en' });
    expect((await a.caller.auth.me()).user.locale).toBe('en');
    expect(await failure(a.caller.auth.updateProfile({ name: '<b>x</b>' }))).toMatchObject({
      fieldErrors: { name: ['name.invalid'] },
    });
  });
});

describe('days left', () => {
  it('counts whole days up to the trial end and never goes below zero', async () => {
    const a = await registered(h);
    const me = await a.caller.auth.me();
    await h.t.db
      .updateTable('workspaces')
      .set({ trial_ends_at: sql`now() + interval '36 hours'` })
      .where('id', '=', me.workspace!.id)
      .execute();
    expect((await a.caller.auth.me()).subscription?.daysLeft).toBe(2);
    await h.t.db
      .updateTable('workspaces')
      .set({ trial_ends_at: sql`now() - interval '1 day'` })
      .where('id', '=', me.workspace!.id)
      .execute();
    expect((await a.caller.auth.me()).subscription?.daysLeft).toBe(0);
  });
});
