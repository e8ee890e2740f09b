import { signInDirectly, type TestUser } from '@medora/core/testing';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { REFRESH_COOKIE } from '../src/index';
import { createHarness, failure, type Agent, type Harness } from './harness';

let h: Harness;
beforeEach(async () => {
  h = await createHarness();
});
afterEach(async () => {
  await h.services.analyses.events.stop();
  await h.close();
});

async function signedIn(user: TestUser): Promise<Agent & { refreshToken: string }> {
  const a = h.agent();
  const s = await signInDirectly(h.services, user);
  a.token = s.accessToken;
  a.jar.set(REFRESH_COOKIE, s.refreshToken, {
    httpOnly: true,
    secure: false,
    sameSite: 'strict',
    path: '/trpc',
  });
  return Object.assign(a, { refreshToken: s.refreshToken });
}

/** The instant the current Asia/Tashkent month began, from PostgreSQL's clock. */
async function tashkentMonthStart(): Promise<Date> {
  const { rows } = await sql<{ at: Date }>`
    select date_trunc('month', now() at time zone 'Asia/Tashkent')
      at time zone 'Asia/Tashkent' as at`.execute(h.t.db);
  return rows[0]!.at;
}

let externalId = 0;
async function approvedPayment(workspaceId: string, amount: number, reviewedAt: Date) {
  const plan = await h.t.db
    .selectFrom('plans')
    .select('id')
    .where('code', '=', 'doctor_monthly')
    .executeTakeFirstOrThrow();
  await h.t.db
    .insertInto('payments')
    .values({
      workspace_id: workspaceId,
      plan_id: plan.id,
      provider: 'payme',
      external_id: `t-${++externalId}`,
      amount_tiyin: amount,
      status: 'approved',
      reviewed_at: reviewedAt,
    })
    .execute();
}

async function pendingPayment(workspaceId: string) {
  const plan = await h.t.db
    .selectFrom('plans')
    .select('id')
    .where('code', '=', 'doctor_monthly')
    .executeTakeFirstOrThrow();
  await h.t.db
    .insertInto('payments')
    .values({
      workspace_id: workspaceId,
      plan_id: plan.id,
      provider: 'click',
      external_id: `p-${++externalId}`,
      amount_tiyin: 1,
    })
    .execute();
}

async function analysisAt(d: { userId: string; workspaceId: string }, createdAt: Date) {
  const patient = await h.make.patient(d);
  await h.t.db
    .insertInto('analyses')
    .values({
      workspace_id: d.workspaceId,
      patient_id: patient.id,
      created_by: d.userId,
      idempotency_key: `key-${++externalId}-abcdefghijklmnop`,
      input: JSON.stringify({}),
      usage_period: '2026-01-01',
      created_at: createdAt,
    })
    .execute();
}

describe('admin.stats.overview', () => {
  it('counts doctors and subscriptions (past the end is expired), pending payments and revenue by Tashkent month', async () => {
    const trialing = await h.make.doctor();
    const active = await h.make.doctor({ subscription: 'active' });
    await h.make.doctor({ subscription: 'expired' });
    // Still 'trialing' in the row, but its trial ended yesterday: the expiry job has not run.
    await h.make.doctor({ subscription: 'trial_ended' });
    await h.make.admin();

    const start = await tashkentMonthStart();
    // 00:00:00 Tashkent on the 1st belongs to this month, 23:59:59 the night before to the last.
    await approvedPayment(active.workspaceId, 12_345_600, start);
    await approvedPayment(active.workspaceId, 100, new Date(start.getTime() + 60_000));
    await approvedPayment(active.workspaceId, 7_000_000, new Date(start.getTime() - 1000));
    await pendingPayment(trialing.workspaceId);

    const now = new Date();
    await analysisAt(trialing, now);
    await analysisAt(trialing, now);
    await analysisAt(trialing, new Date(now.getTime() - 40 * 86_400_000)); // outside the 30 days

    const admin = await signedIn(await h.make.admin());
    const out = await admin.caller.admin.stats.overview();
    expect(out).toMatchObject({
      doctors: 4,
      trialing: 1,
      active: 1,
      expired: 2,
      pendingPayments: 1,
      revenueThisMonthTiyin: 12_345_700,
    });
    expect(out.revenueByMonth).toHaveLength(12);
    const thisMonth = out.revenueByMonth.at(-1)!;
    const lastMonth = out.revenueByMonth.at(-2)!;
    expect(thisMonth.amountTiyin).toBe(12_345_700);
    expect(lastMonth.amountTiyin).toBe(7_000_000);
    expect(out.revenueByMonth.slice(0, 10).every((m) => m.amountTiyin === 0)).toBe(true);
    // Months are consecutive YYYY-MM, oldest first.
    expect(out.revenueByMonth.map((m) => m.month)).toEqual(
      [...out.revenueByMonth.map((m) => m.month)].sort(),
    );

    expect(out.analysesPerDay).toHaveLength(30);
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Tashkent' }).format(now);
    expect(out.analysesPerDay.at(-1)).toEqual({ day: today, count: 2 });
    expect(out.analysesPerDay.reduce((n, d) => n + d.count, 0)).toBe(2);
  });
});

describe('admin.user', () => {
  it('lists users newest first with search, status and subscription filters and a keyset cursor', async () => {
    const admin = await signedIn(await h.make.admin({ name: 'Bosh Admin' }));
    const a = await h.make.doctor({ name: 'Kamola Yusupova', phone: '+998901234567' });
    const b = await h.make.doctor({ name: 'Sardor Yusupov', subscription: 'active' });
    const c = await h.make.deactivated({ name: 'Nodira Azimova' });
    const d = await h.make.doctor({ name: 'Botir Olimov', subscription: 'trial_ended' });

    const byName = await admin.caller.admin.user.list({ search: 'yusup' });
    expect(byName.items.map((u) => u.id)).toEqual([b.userId, a.userId]);
    const byPhone = await admin.caller.admin.user.list({ search: '1234567' });
    expect(byPhone.items.map((u) => u.id)).toEqual([a.userId]);
    const off = await admin.caller.admin.user.list({ status: 'deactivated' });
    expect(off.items.map((u) => u.id)).toEqual([c.userId]);
    const paying = await admin.caller.admin.user.list({ subscription: 'active' });
    expect(paying.items.map((u) => u.id)).toEqual([b.userId]);
    const expired = await admin.caller.admin.user.list({ subscription: 'expired' });
    expect(expired.items.map((u) => u.id)).toEqual([d.userId]);
    const trialing = await admin.caller.admin.user.list({ subscription: 'trialing' });
    expect(trialing.items.map((u) => u.id).sort()).toEqual([a.userId, c.userId].sort());

    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await admin.caller.admin.user.list({ limit: 2, cursor });
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((u) => u.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toHaveLength(5);
    expect(new Set(seen).size).toBe(5);
    const all = await admin.caller.admin.user.list({ limit: 100 });
    expect(seen).toEqual(all.items.map((u) => u.id));

    // The web client's infinite queries send `direction` beside the cursor: ignored, not refused.
    const withDirection = await admin.caller.admin.user.list({
      search: 'yusup',
      direction: 'forward',
    } as never);
    expect(withDirection.items).toHaveLength(2);

    expect((await failure(admin.caller.admin.user.list({ cursor: 'bm9wZQ' }))).fieldErrors).toEqual(
      { cursor: ['cursor.invalid'] },
    );
    const bad = await failure(
      admin.caller.admin.user.list({ status: 'gone' as never, limit: 1000 }),
    );
    expect(bad.code).toBe('BAD_REQUEST');
    expect(bad.fieldErrors).toMatchObject({ status: ['invalid'], limit: ['too_long'] });
  });

  it('shows a user with their workspace and counts, never patient names', async () => {
    const admin = await signedIn(await h.make.admin());
    const doc = await h.make.doctor({ subscription: 'active' });
    await h.make.patient(doc, { firstName: 'Maxfiy', lastName: 'Bemor' });
    await analysisAt(doc, new Date());
    const out = await admin.caller.admin.user.get({ id: doc.userId });
    expect(out).toMatchObject({
      id: doc.userId,
      role: 'doctor',
      active: true,
      patients: 2,
      analyses: 1,
      workspace: { id: doc.workspaceId, planCode: 'doctor_monthly', status: 'active' },
    });
    expect(out.workspace!.endsAt).toBeInstanceOf(Date);
    expect(JSON.stringify(out)).not.toMatch(/Maxfiy|Bemor/);
    const missing = await failure(
      admin.caller.admin.user.get({ id: '00000000-0000-4000-8000-00000000dead' }),
    );
    expect(missing.code).toBe('NOT_FOUND');
    expect((await failure(admin.caller.admin.user.get({ id: 'x' }))).fieldErrors).toEqual({
      id: ['id.invalid'],
    });
  });

  it('deactivation kills the sessions at once: the access token fails on the next call and refresh fails', async () => {
    const admin = await signedIn(await h.make.admin());
    const doc = await h.make.doctor();
    const docAgent = await signedIn(doc);
    await expect(docAgent.caller.auth.me()).resolves.toBeTruthy();

    const out = await admin.caller.admin.user.setActive({ id: doc.userId, active: false });
    expect(out.active).toBe(false);

    expect((await failure(docAgent.caller.auth.me())).code).toBe('UNAUTHORIZED');
    const refreshed = await docAgent.caller.auth.refresh();
    expect(refreshed.session).toBeNull();
    const sessions = await h.t.db
      .selectFrom('sessions')
      .select(['revoked_at', 'revoked_reason'])
      .where('user_id', '=', doc.userId)
      .execute();
    expect(sessions.length).toBeGreaterThan(0);
    expect(sessions.every((s) => s.revoked_reason === 'admin' && s.revoked_at)).toBe(true);

    const audit = await h.t.db
      .selectFrom('audit_log')
      .select(['action', 'outcome', 'actor_role', 'entity_id', 'meta'])
      .where('action', 'like', 'admin.user.%')
      .execute();
    expect(audit).toEqual([
      {
        action: 'admin.user.deactivate',
        outcome: 'success',
        actor_role: 'admin',
        entity_id: doc.userId,
        meta: { sessionsRevoked: 1 },
      },
    ]);

    const back = await admin.caller.admin.user.setActive({ id: doc.userId, active: true });
    expect(back.active).toBe(true);
    // A fresh sign-in works again; the old sessions stay dead.
    const again = await signedIn(doc);
    await expect(again.caller.auth.me()).resolves.toBeTruthy();
    expect((await failure(docAgent.caller.auth.me())).code).toBe('UNAUTHORIZED');
    const actions = await h.t.db
      .selectFrom('audit_log')
      .select('action')
      .where('action', 'like', 'admin.user.%')
      .orderBy('id')
      .execute();
    expect(actions.map((r) => r.action)).toEqual(['admin.user.deactivate', 'admin.user.activate']);
  });

  it('refuses to let an admin deactivate themselves, and leaves them signed in', async () => {
    const me = await h.make.admin();
    const admin = await signedIn(me);
    const err = await failure(admin.caller.admin.user.setActive({ id: me.userId, active: false }));
    expect(err).toMatchObject({ code: 'BAD_REQUEST', appCode: 'CANNOT_DEACTIVATE_SELF' });
    await expect(admin.caller.admin.stats.overview()).resolves.toBeTruthy();
    const row = await h.t.db
      .selectFrom('users')
      .select('is_active')
      .where('id', '=', me.userId)
      .executeTakeFirstOrThrow();
    expect(row.is_active).toBe(true);
    const missing = await failure(
      admin.caller.admin.user.setActive({
        id: '00000000-0000-4000-8000-00000000dead',
        active: false,
      }),
    );
    expect(missing.code).toBe('NOT_FOUND');
    const bad = await failure(
      admin.caller.admin.user.setActive({ id: me.userId, active: 'no' as never }),
    );
    expect(bad.fieldErrors).toEqual({ active: ['invalid_type'] });
  });
});

describe('admin.audit.list', () => {
  it('pages newest first by (at, id) and filters by actor, entity, action and time', async () => {
    const me = await h.make.admin();
    const admin = await signedIn(me);
    const other = await h.make.admin();
    const base = new Date('2026-11-01T10:00:00Z');
    const rows = Array.from({ length: 7 }, (_, i) => ({
      action: i % 2 ? 'test.even' : 'test.odd',
      outcome: 'success' as const,
      actor_user_id: i < 4 ? other.userId : null,
      actor_role: i < 4 ? ('admin' as const) : ('system' as const),
      entity_type: 'user',
      entity_id: i === 3 ? me.userId : null,
      // Two rows share an instant: the id breaks the tie.
      at: new Date(base.getTime() + Math.min(i, 5) * 60_000),
      meta: JSON.stringify({ n: i }),
    }));
    await h.t.db.insertInto('audit_log').values(rows).execute();

    const seen: number[] = [];
    let cursor: string | undefined;
    do {
      const page = await admin.caller.admin.audit.list({
        action: undefined,
        limit: 3,
        cursor,
        to: new Date('2026-11-02T00:00:00Z'),
      });
      seen.push(...page.items.map((r) => r.meta.n as number));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual([6, 5, 4, 3, 2, 1, 0]);

    const byActor = await admin.caller.admin.audit.list({ actor: other.userId });
    expect(byActor.items.map((r) => r.meta.n)).toEqual([3, 2, 1, 0]);
    const byAction = await admin.caller.admin.audit.list({ action: 'test.even' });
    expect(byAction.items.map((r) => r.meta.n)).toEqual([5, 3, 1]);
    const byEntity = await admin.caller.admin.audit.list({ entity: `user:${me.userId}` });
    expect(byEntity.items.map((r) => r.meta.n)).toEqual([3]);
    const range = await admin.caller.admin.audit.list({
      from: new Date(base.getTime() + 60_000),
      to: new Date(base.getTime() + 2 * 60_000),
    });
    expect(range.items.map((r) => r.meta.n)).toEqual([2, 1]);
    expect(range.items[0]).toMatchObject({
      action: 'test.odd',
      actorRole: 'admin',
      entityType: 'user',
    });

    const bad = await failure(
      admin.caller.admin.audit.list({
        actor: 'nope',
        from: new Date('2026-02-01'),
        to: new Date('2026-01-01'),
        limit: 201,
      }),
    );
    expect(bad.fieldErrors).toMatchObject({ actor: ['id.invalid'], limit: ['too_long'] });
    expect((await failure(admin.caller.admin.audit.list({ cursor: 'x' }))).fieldErrors).toEqual({
      cursor: ['cursor.invalid'],
    });
  });
});
