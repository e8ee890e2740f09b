import { hashPassword, signAccessToken } from '@medora/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appRouter, createInnerContext } from '../src/index';
import { adminProcedure, createCallerFactory, doctorProcedure, router } from '../src/trpc';
import {
  createHarness,
  failure,
  freshPhone,
  PASSWORD,
  registered,
  type Agent,
  type Caller,
  type Harness,
} from './harness';

/**
 * Every procedure, called as each kind of caller. A new procedure without a row fails the
 * completeness check below, so access rules are decided, not inherited by accident.
 *
 *   'ok'    the call succeeds
 *   other   the tRPC error code the call must fail with
 */
type Role = 'anonymous' | 'doctor' | 'admin';
type Outcome = 'ok' | 'UNAUTHORIZED' | 'FORBIDDEN' | 'NOT_FOUND';
interface Row {
  call: (c: Caller, who: Agent) => Promise<unknown>;
  expect: Record<Role, Outcome>;
  /** What a successful answer must show the caller, where that differs by role. */
  check?: Partial<Record<Role, (output: unknown) => void>>;
}

const matrix: Record<string, Row> = {
  'auth.register': {
    call: (c) =>
      c.auth.register({
        phone: freshPhone(),
        name: 'Yangi Shifokor',
        password: PASSWORD,
        locale: 'uz',
      }),
    expect: { anonymous: 'ok', doctor: 'ok', admin: 'ok' },
  },
  'auth.login': {
    call: (c, who) =>
      c.auth.login({
        phone: (who as Agent & { phone?: string }).phone ?? freshPhone(),
        password: PASSWORD,
      }),
    expect: { anonymous: 'UNAUTHORIZED', doctor: 'ok', admin: 'ok' },
  },
  'auth.refresh': {
    call: (c) => c.auth.refresh(),
    expect: { anonymous: 'UNAUTHORIZED', doctor: 'ok', admin: 'ok' },
  },
  'auth.logout': {
    call: (c) => c.auth.logout(),
    expect: { anonymous: 'ok', doctor: 'ok', admin: 'ok' },
  },
  'auth.me': {
    call: (c) => c.auth.me(),
    expect: { anonymous: 'UNAUTHORIZED', doctor: 'ok', admin: 'ok' },
  },
  'auth.updateProfile': {
    call: (c) => c.auth.updateProfile({ locale: 'ru' }),
    expect: { anonymous: 'UNAUTHORIZED', doctor: 'ok', admin: 'ok' },
  },
  'auth.changePassword': {
    call: (c) =>
      c.auth.changePassword({ currentPassword: PASSWORD, newPassword: 'Boshqa-parol-91' }),
    expect: { anonymous: 'UNAUTHORIZED', doctor: 'ok', admin: 'ok' },
  },
  'auth.sessions.list': {
    call: (c) => c.auth.sessions.list(),
    expect: { anonymous: 'UNAUTHORIZED', doctor: 'ok', admin: 'ok' },
  },
  'auth.sessions.revoke': {
    // A session id that belongs to someone else: existence must not leak.
    call: (c) => c.auth.sessions.revoke({ id: foreignSessionId }),
    expect: { anonymous: 'UNAUTHORIZED', doctor: 'NOT_FOUND', admin: 'NOT_FOUND' },
  },
};

let h: Harness;
let foreignSessionId: string;

async function callerFor(role: Role): Promise<Agent> {
  if (role === 'anonymous') return h.agent();
  if (role === 'doctor') return registered(h);
  const phone = freshPhone();
  await h.services.auth.createAdmin(
    { phone, name: 'Bosh Admin', password: PASSWORD },
    { ip: null, userAgent: null, requestId: null },
  );
  const a = Object.assign(h.agent(), { phone });
  a.token = (await a.caller.auth.login({ phone, password: PASSWORD })).accessToken;
  return a;
}

beforeAll(async () => {
  h = await createHarness();
  const other = await registered(h);
  foreignSessionId = (await other.caller.auth.sessions.list())[0]!.id;
});
afterAll(() => h.close());

function procedurePaths(): string[] {
  return Object.keys(appRouter._def.procedures).sort();
}

describe('authorization matrix', () => {
  it('has a row for every procedure and no row for a procedure that does not exist', () => {
    expect(Object.keys(matrix).sort()).toEqual(procedurePaths());
  });

  for (const [path, row] of Object.entries(matrix)) {
    for (const role of ['anonymous', 'doctor', 'admin'] as const) {
      it(`${path} as ${role} → ${row.expect[role]}`, async () => {
        const who = await callerFor(role);
        const outcome = row.expect[role];
        if (outcome === 'ok') {
          const output = await row.call(who.caller, who);
          expect(output).toBeDefined();
          row.check?.[role]?.(output);
        } else expect((await failure(row.call(who.caller, who))).code).toBe(outcome);
      });
    }
  }

  it('refuses a token for a user that no longer exists', async () => {
    const who = await registered(h);
    const sid = (await who.caller.auth.sessions.list())[0]!.id;
    const ghost = await signAccessToken(
      { userId: '00000000-0000-4000-8000-000000000001', sessionId: sid },
      h.services.config.tokenSecret,
      60,
      new Date(),
    );
    who.token = ghost.token;
    expect((await failure(who.caller.auth.me())).code).toBe('UNAUTHORIZED');
  });
});

describe('admin bootstrap', () => {
  it('creates the configured admin only when no admin exists, and never promotes a doctor', async () => {
    const h2 = await createHarness();
    try {
      const req = { ip: null, userAgent: null, requestId: null };
      const phone = freshPhone();
      expect(await h2.services.auth.bootstrapAdmin(undefined, req)).toBe('missing');
      expect(
        await h2.services.auth.bootstrapAdmin(
          { phone, password: 'Admin-parol-2026', name: 'Bosh Admin' },
          req,
        ),
      ).toBe('created');
      expect(
        await h2.services.auth.bootstrapAdmin(
          { phone: freshPhone(), password: 'Admin-parol-2026', name: 'Ikkinchi Admin' },
          req,
        ),
      ).toBe('exists');
      const admins = await h2.t.db
        .selectFrom('users')
        .select(['phone', 'role', 'password_hash'])
        .where('role', '=', 'admin')
        .execute();
      expect(admins.map((a) => a.phone)).toEqual([phone]);
      expect(admins[0]?.password_hash).toMatch(/^\$argon2id\$/);
      const admin = h2.agent();
      const res = await admin.caller.auth.login({ phone, password: 'Admin-parol-2026' });
      expect(res.user.role).toBe('admin');

      const doctor = await registered(h2);
      await expect(
        h2.services.auth.createAdmin(
          { phone: doctor.phone, name: 'Bosh Admin', password: 'Admin-parol-2026' },
          req,
        ),
      ).rejects.toMatchObject({ code: 'PHONE_TAKEN' });
      await expect(
        h2.services.auth.createAdmin(
          { phone: 'nonsense', name: 'Bosh Admin', password: 'Admin-parol-2026' },
          req,
        ),
      ).rejects.toThrow();
      await expect(
        h2.services.auth.createAdmin(
          { phone: freshPhone(), name: 'Bosh Admin', password: 'password' },
          req,
        ),
      ).rejects.toThrow();
      expect(await hashPassword('x')).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    } finally {
      await h2.close();
    }
  });
});

describe('procedure builders', () => {
  // The builders later routers stand on, exercised through a router that exists only here.
  const probe = router({
    doctorOnly: doctorProcedure.query(({ ctx }) => ctx.workspaceId),
    adminOnly: adminProcedure.query(({ ctx }) => ctx.session.role),
  });
  const probeCaller = (who: Agent) =>
    createCallerFactory(probe)(
      createInnerContext(h.services, {
        ip: who.ip,
        userAgent: 't',
        requestId: 't',
        authorization: who.token ? `Bearer ${who.token}` : null,
        cookies: who.jar,
      }),
    );

  it('doctorProcedure admits a doctor with their own workspace only', async () => {
    const doctor = await registered(h);
    const me = await doctor.caller.auth.me();
    await expect(probeCaller(doctor).doctorOnly()).resolves.toBe(me.workspace!.id);
    expect((await failure(probeCaller(await callerFor('admin')).doctorOnly())).code).toBe(
      'FORBIDDEN',
    );
    expect((await failure(probeCaller(h.agent()).doctorOnly())).code).toBe('UNAUTHORIZED');
  });

  it('adminProcedure admits admins only', async () => {
    await expect(probeCaller(await callerFor('admin')).adminOnly()).resolves.toBe('admin');
    expect((await failure(probeCaller(await registered(h)).adminOnly())).code).toBe('FORBIDDEN');
    expect((await failure(probeCaller(h.agent()).adminOnly())).code).toBe('UNAUTHORIZED');
  });
});
