import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, failure, loggedIn, registered, type Harness } from './harness';

// What the audit trail says about each step of a session, row by row.
let h: Harness;
beforeAll(async () => {
  h = await createHarness({ MAX_SESSIONS_PER_USER: '2' });
});
afterAll(() => h.close());

const trail = (userId: string, action: string) =>
  h.t.db
    .selectFrom('audit_log')
    .select([
      'outcome',
      'actor_user_id',
      'actor_role',
      'workspace_id',
      'entity_type',
      'entity_id',
      'meta',
    ])
    .where('actor_user_id', '=', userId)
    .where('action', '=', action)
    .orderBy('id')
    .execute();

describe('the audit trail', () => {
  it('records a sign-up with the user and the new workspace', async () => {
    const a = await registered(h);
    const me = await a.caller.auth.me();
    expect(await trail(a.userId, 'auth.register')).toEqual([
      {
        outcome: 'success',
        actor_user_id: a.userId,
        actor_role: 'doctor',
        workspace_id: me.workspace!.id,
        entity_type: 'user',
        entity_id: a.userId,
        meta: {},
      },
    ]);
  });

  it('records a sign-in with its session, and how many old sessions the cap ended', async () => {
    const doctor = await h.make.doctor();
    const first = await loggedIn(h, doctor.phone);
    await loggedIn(h, doctor.phone);
    await loggedIn(h, doctor.phone);
    const rows = await trail(doctor.userId, 'auth.login');
    expect(rows.map((r) => [r.outcome, r.entity_type, r.meta])).toEqual([
      ['success', 'session', {}],
      ['success', 'session', {}],
      ['success', 'session', { revokedOldest: 1 }],
    ]);
    // The first session is the one the cap ended.
    expect(await failure(first.caller.auth.sessions.list())).toMatchObject({
      code: 'UNAUTHORIZED',
    });
  });

  it('records a profile change with the names of the fields, never their values', async () => {
    const doctor = await h.make.doctor();
    const a = await loggedIn(h, doctor.phone);
    await a.caller.auth.updateProfile({ name: 'Yangi Ism', locale: 'ru' });
    const rows = await trail(doctor.userId, 'user.update_profile');
    expect(rows).toEqual([
      expect.objectContaining({
        outcome: 'success',
        entity_type: 'user',
        entity_id: doctor.userId,
        workspace_id: doctor.workspaceId,
        meta: { fields: 'name,locale' },
      }),
    ]);
    expect(JSON.stringify(rows)).not.toContain('Yangi');
  });

  it('records a sign-out against the session it ended, found by the access token alone', async () => {
    const doctor = await h.make.doctor();
    const a = await loggedIn(h, doctor.phone);
    const [session] = await a.caller.auth.sessions.list();
    a.jar.cookies.clear();
    await a.caller.auth.logout();
    expect(await trail(doctor.userId, 'auth.logout')).toEqual([
      expect.objectContaining({
        outcome: 'success',
        entity_type: 'session',
        entity_id: session!.id,
      }),
    ]);
  });
});
