import { randomUUID } from 'node:crypto';
import type { TestUser } from '@medora/core/testing';
import type { AdminPlanOutput } from '@medora/schema';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REFRESH_COOKIE } from '../src/index';
import { fileOf, signedInAgent } from './fixtures/world';
import { createHarness, failure, type Agent, type Harness } from './harness';

// Sessions and money under concurrency, each with an exactly-once outcome. The neighbours of
// these cases live with their features: two admins approving one payment and two submits
// (billing.test.ts), two tabs refreshing one token (auth.test.ts), one unit left for 20 creates
// (analyses.test.ts). This suite adds the same admin twice, an approval racing a rejection,
// five tabs and a later replay, several units left, and plan edits.

let h: Harness;
let monthly: { id: string; duration_days: number };

beforeAll(async () => {
  h = await createHarness();
  monthly = await h.t.db
    .selectFrom('plans')
    .select(['id', 'duration_days'])
    .where('code', '=', 'doctor_monthly')
    .executeTakeFirstOrThrow();
});
afterAll(async () => {
  await h.services.analyses.events.stop();
  await h.close();
});

const as = (user: TestUser): Promise<Agent> => signedInAgent(h, user);

/** The settled results split: the values that came back and the errors as the client sees them. */
async function outcomes<T>(calls: Promise<T>[]) {
  const settled = await Promise.allSettled(calls);
  const won = settled.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const lost = await Promise.all(
    settled.flatMap((r) =>
      r.status === 'rejected' ? [failure(Promise.reject(r.reason as Error))] : [],
    ),
  );
  return { won, lost: lost.map((f) => `${f.code} ${f.appCode}`) };
}

describe('a payment reviewed twice at once', () => {
  async function pendingPayment() {
    const doctor = await h.make.doctor();
    const d = await as(doctor);
    const p = await d.caller.payment.submitReceipt({
      planId: monthly.id,
      receiptFileId: await fileOf(h, doctor, 'receipt'),
    });
    const { rows } = await sql<{ trial_end: string; expected_end: string }>`
      select trial_ends_at::text as trial_end,
        (trial_ends_at + make_interval(days => ${monthly.duration_days}))::text as expected_end
      from workspaces where id = ${doctor.workspaceId}`.execute(h.t.db);
    return { doctor, paymentId: p.id, ...rows[0]! };
  }

  const ledger = async (doctorUserId: string, workspaceId: string, paymentId: string) => ({
    period: (
      await h.t.db
        .selectFrom('workspaces')
        .select(sql<string | null>`current_period_end::text`.as('end'))
        .where('id', '=', workspaceId)
        .executeTakeFirstOrThrow()
    ).end,
    payment: await h.t.db
      .selectFrom('payments')
      .select(['status', sql<string | null>`period_end_after::text`.as('after')])
      .where('id', '=', paymentId)
      .executeTakeFirstOrThrow(),
    successes: (
      await h.t.db
        .selectFrom('audit_log')
        .select('action')
        .where('entity_id', '=', paymentId)
        .where('outcome', '=', 'success')
        .where('action', 'in', ['admin.payment.approve', 'admin.payment.reject'])
        .execute()
    ).map((r) => r.action),
    notifications: (
      await h.t.db
        .selectFrom('notifications')
        .select('kind')
        .where('user_id', '=', doctorUserId)
        .execute()
    ).map((r) => r.kind),
  });

  it('the same admin approving twice (a double click, two tabs): extended once, one audit row, one notification', async () => {
    const { doctor, paymentId, expected_end } = await pendingPayment();
    const admin = await as(await h.make.admin());
    const { won, lost } = await outcomes([
      admin.caller.admin.payment.approve({ id: paymentId }),
      admin.caller.admin.payment.approve({ id: paymentId }),
    ]);
    expect(won).toHaveLength(1);
    expect(lost).toEqual(['CONFLICT PAYMENT_NOT_PENDING']);
    expect(await ledger(doctor.userId, doctor.workspaceId, paymentId)).toEqual({
      period: expected_end,
      payment: { status: 'approved', after: expected_end },
      successes: ['admin.payment.approve'],
      notifications: ['payment_approved'],
    });
  });

  it('an approval racing a rejection: exactly one of them happens, with its own notification', async () => {
    const { doctor, paymentId, expected_end } = await pendingPayment();
    const [a1, a2] = await Promise.all([as(await h.make.admin()), as(await h.make.admin())]);
    const { won, lost } = await outcomes([
      a1.caller.admin.payment.approve({ id: paymentId }),
      a2.caller.admin.payment.reject({ id: paymentId, reason: 'Chek oʻqilmaydi' }),
    ]);
    expect(won).toHaveLength(1);
    expect(lost).toEqual(['CONFLICT PAYMENT_NOT_PENDING']);
    const after = await ledger(doctor.userId, doctor.workspaceId, paymentId);
    if (won[0]!.status === 'approved')
      expect(after).toEqual({
        period: expected_end,
        payment: { status: 'approved', after: expected_end },
        successes: ['admin.payment.approve'],
        notifications: ['payment_approved'],
      });
    else
      expect(after).toEqual({
        period: null,
        payment: { status: 'rejected', after: null },
        successes: ['admin.payment.reject'],
        notifications: ['payment_rejected'],
      });
  });
});

describe('one refresh token in several tabs at once', () => {
  /** Tabs of one browser that all hold `token` (the cookie they share). */
  const tabs = (n: number, token: string) =>
    Array.from({ length: n }, () => {
      const tab = h.agent();
      tab.jar.set(REFRESH_COOKIE, token, {
        httpOnly: true,
        secure: false,
        sameSite: 'strict',
        path: '/trpc',
      });
      return tab;
    });
  const family = (familyId: string) =>
    h.t.db
      .selectFrom('sessions')
      .select(['replaced_at', 'revoked_reason'])
      .where('family_id', '=', familyId)
      .orderBy('created_at')
      .execute();
  const reuseAudits = async (familyId: string) =>
    (
      await h.t.db
        .selectFrom('audit_log')
        .select('outcome')
        .where('action', '=', 'auth.refresh_reuse')
        .where('entity_id', '=', familyId)
        .execute()
    ).length;

  it('five tabs: one new pair, four REFRESH_RACE, nothing revoked; the old token replayed later signs the whole family out, once', async () => {
    const doctor = await h.make.doctor();
    const signedIn = await signedInAgent(h, doctor);
    const familyId = (await h.services.sessions.authenticate(signedIn.token!)).sessionId;
    const token = signedIn.jar.refreshToken!;
    const five = tabs(5, token);
    const { won, lost } = await outcomes(five.map((t) => t.caller.auth.refresh()));
    expect(won.map((r) => r.session !== null)).toEqual([true]);
    expect(lost).toEqual(Array.from({ length: 4 }, () => 'UNAUTHORIZED REFRESH_RACE'));
    // One rotation: the old token replaced, exactly one new live token, nothing revoked.
    const rows = await family(familyId);
    expect(rows.map((r) => [r.replaced_at !== null, r.revoked_reason])).toEqual([
      [true, null],
      [false, null],
    ]);
    expect(await reuseAudits(familyId)).toBe(0);
    const winner = five.find((t) => t.jar.refreshToken !== token)!;
    winner.token = won[0]!.session!.accessToken;
    expect((await winner.caller.auth.me()).user.id).toBe(doctor.userId);

    // Past the grace window the old token is a replay (a copy in someone else's hands): the
    // family ends, the winner's new pair with it, and that is audited once.
    await h.t.db
      .updateTable('sessions')
      .set({
        replaced_at: sql`replaced_at - make_interval(secs => ${h.services.config.refreshReuseGraceSeconds + 1})`,
      })
      .where('family_id', '=', familyId)
      .where('replaced_at', 'is not', null)
      .execute();
    const [replay] = tabs(1, token);
    expect(await replay!.caller.auth.refresh()).toEqual({
      session: null,
      signedOutReason: 'token_reuse',
    });
    expect(await winner.caller.auth.refresh()).toEqual({
      session: null,
      signedOutReason: 'token_reuse',
    });
    expect(await failure(winner.caller.auth.me())).toMatchObject({ code: 'UNAUTHORIZED' });
    expect((await family(familyId)).map((r) => r.revoked_reason)).toEqual([
      'token_reuse',
      'token_reuse',
    ]);
    expect(await reuseAudits(familyId)).toBe(1);
  });
});

describe('20 creates at once with 5 units left', () => {
  it('exactly 5 analyses, the counter at the limit and never above, 15 USAGE_LIMIT_REACHED', async () => {
    const doctor = await h.make.doctor();
    const plan = await h.t.db
      .insertInto('plans')
      .values({
        code: `race_${randomUUID().slice(0, 8)}`,
        name_uz: 'Sinov',
        name_ru: 'Тест',
        name_en: 'Test',
        price_tiyin: 0,
        duration_days: 30,
        max_analyses_per_month: 8,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await h.t.db
      .updateTable('workspaces')
      .set({ plan_id: plan.id })
      .where('id', '=', doctor.workspaceId)
      .execute();
    const patient = await h.make.patient(doctor);
    const d = await as(doctor);
    const entry = () => ({
      patientId: patient.id,
      complaints: 'Holsizlik, tez charchash',
      labs: [{ code: 'hemoglobin', value: 95, unit: 'g/L' }],
      idempotencyKey: randomUUID(),
    });
    for (let i = 0; i < 3; i++) await d.caller.analysis.create(entry());

    const { won, lost } = await outcomes(
      Array.from({ length: 20 }, () => d.caller.analysis.create(entry())),
    );
    expect(won).toHaveLength(5);
    expect(lost).toEqual(Array.from({ length: 15 }, () => 'FORBIDDEN USAGE_LIMIT_REACHED'));
    const counter = await h.t.db
      .selectFrom('usage_counters')
      .select((eb) => eb.fn.sum<string>('analyses_used').as('n'))
      .where('workspace_id', '=', doctor.workspaceId)
      .executeTakeFirstOrThrow();
    expect(Number(counter.n)).toBe(8);
    const rows = await h.t.db
      .selectFrom('analyses')
      .select('id')
      .where('workspace_id', '=', doctor.workspaceId)
      .execute();
    expect(rows).toHaveLength(8);
    expect(new Set(won.map((a) => a.id)).size).toBe(5);
  });
});

describe('two admins editing one plan at once', () => {
  async function planOnScreen(admin: Agent, id: string): Promise<AdminPlanOutput> {
    return (await admin.caller.admin.plan.list()).find((p) => p.id === id)!;
  }
  /** What the admin console's form sends: every field, and the revision it was opened at. */
  const form = (p: AdminPlanOutput, change: Partial<AdminPlanOutput>) => {
    const v = { ...p, ...change };
    return {
      id: v.id,
      revision: p.revision,
      names: v.names,
      priceTiyin: v.priceTiyin,
      durationDays: v.durationDays,
      maxAnalysesPerMonth: v.maxAnalysesPerMonth,
      storageQuotaBytes: v.storageQuotaBytes,
      sortOrder: v.sortOrder,
    };
  };
  const newPlan = async (admin: Agent) =>
    (
      await admin.caller.admin.plan.create({
        code: `edit_${randomUUID().slice(0, 8)}`,
        names: { uz: 'Oylik', ru: 'Месячный', en: 'Monthly' },
        priceTiyin: 10_000_000,
        durationDays: 30,
        maxAnalysesPerMonth: 100,
        storageQuotaBytes: 1024 ** 3,
        sortOrder: 5,
      })
    ).id;
  const updates = (id: string) =>
    h.t.db
      .selectFrom('audit_log')
      .select('meta')
      .where('action', '=', 'admin.plan.update')
      .where('entity_id', '=', id)
      .orderBy('id')
      .execute();

  it('both saving forms opened at the same revision: one is saved, the other hears PLAN_CHANGED and overwrites nothing', async () => {
    const [a1, a2] = await Promise.all([as(await h.make.admin()), as(await h.make.admin())]);
    const id = await newPlan(a1);
    const [seen1, seen2] = [await planOnScreen(a1, id), await planOnScreen(a2, id)];
    expect(seen1.revision).toBe(seen2.revision);
    const { won, lost } = await outcomes([
      a1.caller.admin.plan.update(form(seen1, { priceTiyin: 12_000_000 })),
      a2.caller.admin.plan.update(form(seen2, { durationDays: 31 })),
    ]);
    expect(won).toHaveLength(1);
    expect(lost).toEqual(['CONFLICT PLAN_CHANGED']);
    const saved = await planOnScreen(a1, id);
    // The winner's form, whole: the loser's stale copy of the other field did not land.
    expect([saved.priceTiyin, saved.durationDays]).toEqual(
      won[0]!.priceTiyin === 12_000_000 ? [12_000_000, 30] : [10_000_000, 31],
    );
    expect(saved.revision).not.toBe(seen1.revision);
    expect(await updates(id)).toHaveLength(1);

    // The loser reloads and saves again: now both changes stand.
    const loser = won[0]!.priceTiyin === 12_000_000 ? a2 : a1;
    const change = loser === a2 ? { durationDays: 31 } : { priceTiyin: 12_000_000 };
    await loser.caller.admin.plan.update(form(await planOnScreen(loser, id), change));
    const both = await planOnScreen(a1, id);
    expect([both.priceTiyin, both.durationDays]).toEqual([12_000_000, 31]);
    expect(await updates(id)).toHaveLength(2);
  });

  it('edits without a revision queue on the row: each lands once, and the trail chains them', async () => {
    const [a1, a2] = await Promise.all([as(await h.make.admin()), as(await h.make.admin())]);
    const id = await newPlan(a1);
    await Promise.all([
      a1.caller.admin.plan.update({ id, priceTiyin: 11_000_000 }),
      a2.caller.admin.plan.update({ id, priceTiyin: 13_000_000 }),
    ]);
    const trail = (await updates(id)).map((r) => r.meta as Record<string, number>);
    expect(trail).toHaveLength(2);
    // The second edit's "from" is the first one's "to": neither read a value the other replaced.
    expect(trail[0]!['price_tiyin.from']).toBe(10_000_000);
    expect(trail[1]!['price_tiyin.from']).toBe(trail[0]!['price_tiyin.to']);
    expect((await planOnScreen(a1, id)).priceTiyin).toBe(trail[1]!['price_tiyin.to']);
  });

  it('refuses a malformed revision as a field error', async () => {
    const a = await as(await h.make.admin());
    const id = await newPlan(a);
    for (const revision of ['', 'abc', '1'.repeat(19), '1e9'])
      expect(
        await failure(a.caller.admin.plan.update({ id, revision, sortOrder: 1 })),
      ).toMatchObject({
        code: 'BAD_REQUEST',
        appCode: 'VALIDATION_FAILED',
        fieldErrors: { revision: ['invalid'] },
      });
  });
});
