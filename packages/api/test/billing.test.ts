import { randomBytes } from 'node:crypto';
import { signInDirectly, type TestDoctor, type TestUser } from '@medora/core/testing';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedInAgent } from './fixtures/world';
import { createHarness, failure, type Agent, type Harness } from './harness';

// The money path through the API on a real database: submit → approve / reject → resubmit,
// the period arithmetic, concurrent reviews and submits, validation that writes nothing,
// plans, extensions, audit rows and notifications.

let h: Harness;
let doctorMonthly: { id: string; price_tiyin: number; duration_days: number };
let trialPlanId: string;

beforeAll(async () => {
  h = await createHarness();
  doctorMonthly = await h.t.db
    .selectFrom('plans')
    .select(['id', 'price_tiyin', 'duration_days'])
    .where('code', '=', 'doctor_monthly')
    .executeTakeFirstOrThrow();
  trialPlanId = (
    await h.t.db
      .selectFrom('plans')
      .select('id')
      .where('is_trial', '=', true)
      .executeTakeFirstOrThrow()
  ).id;
});
afterAll(async () => {
  await h.services.analyses.events.stop();
  await h.close();
});

const as = (user: TestUser): Promise<Agent> => signedInAgent(h, user);

/** A receipt row as an upload with purpose `receipt` leaves it (the bytes do not matter here). */
async function receipt(
  doctor: TestDoctor,
  purpose: 'receipt' | 'attachment' = 'receipt',
): Promise<string> {
  const patient = purpose === 'attachment' ? await h.make.patient(doctor) : null;
  const row = await h.t.db
    .insertInto('files')
    .values({
      workspace_id: doctor.workspaceId,
      uploaded_by: doctor.userId,
      purpose,
      patient_id: patient?.id ?? null,
      name: 'chek.pdf',
      mime: 'application/pdf',
      size: 10,
      sha256: '0'.repeat(64),
      storage_key: randomBytes(32).toString('hex'),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

function workspace(id: string) {
  return h.t.db
    .selectFrom('workspaces')
    .select([
      'plan_id',
      'subscription_status',
      'trial_ends_at',
      'current_period_end',
      sql<string>`trial_ends_at::text`.as('trial_text'),
      sql<string>`current_period_end::text`.as('period_text'),
      sql<string>`access_ends_at::text`.as('ends_text'),
    ])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
}

/** PostgreSQL's own arithmetic on its own text, so microseconds are compared too. */
async function plusDays(at: string, days: number): Promise<string> {
  const { rows } = await sql<{ v: string }>`
    select (${at}::timestamptz + make_interval(days => ${days}::int))::text as v`.execute(h.t.db);
  return rows[0]!.v;
}

async function payment(id: string) {
  return h.t.db
    .selectFrom('payments')
    .selectAll()
    .select([
      sql<string>`reviewed_at::text`.as('reviewed_text'),
      sql<string>`period_end_before::text`.as('before_text'),
      sql<string>`period_end_after::text`.as('after_text'),
    ])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
}

function auditRows(action: string, entityId: string) {
  return h.t.db
    .selectFrom('audit_log')
    .select(['actor_user_id', 'actor_role', 'outcome', 'meta'])
    .where('action', '=', action)
    .where('entity_id', '=', entityId)
    .execute();
}

function notifications(userId: string) {
  return h.t.db
    .selectFrom('notifications')
    .select(['kind', 'params', 'dedupe_key'])
    .where('user_id', '=', userId)
    .orderBy('created_at')
    .execute();
}

describe('receipt payments: the state machine', () => {
  it('submit keeps the access; approve moves the workspace to the plan from the end of its trial', async () => {
    const doctor = await h.make.doctor();
    const d = await as(doctor);
    const admin = await h.make.admin();
    const a = await as(admin);
    const before = await workspace(doctor.workspaceId);

    const fileId = await receipt(doctor);
    const submitted = await d.caller.payment.submitReceipt({
      planId: doctorMonthly.id,
      receiptFileId: fileId,
      note: '  2-dekabr, Kapitalbank  ',
    });
    expect(submitted).toMatchObject({
      status: 'pending',
      amountTiyin: doctorMonthly.price_tiyin,
      note: '2-dekabr, Kapitalbank',
      receiptFileId: fileId,
      plan: { id: doctorMonthly.id, code: 'doctor_monthly' },
      reviewedAt: null,
    });
    // Submitting changes nothing about the access the doctor already has.
    expect(await workspace(doctor.workspaceId)).toEqual(before);
    const current = await d.caller.subscription.current();
    expect(current).toMatchObject({
      status: 'trialing',
      canAnalyze: true,
      daysLeft: 7,
      pendingPayment: { id: submitted.id },
      plan: { code: 'trial' },
    });
    expect(await auditRows('payment.submit', submitted.id)).toEqual([
      expect.objectContaining({ actor_user_id: doctor.userId, outcome: 'success' }),
    ]);

    const approved = await a.caller.admin.payment.approve({ id: submitted.id });
    expect(approved).toMatchObject({
      status: 'approved',
      reviewedBy: { id: admin.userId },
      workspace: { id: doctor.workspaceId, status: 'active' },
    });
    const after = await workspace(doctor.workspaceId);
    // Paying during the trial adds the plan's 30 days to the trial's end, not to now.
    expect(after).toMatchObject({ plan_id: doctorMonthly.id, subscription_status: 'active' });
    expect(after.period_text).toBe(await plusDays(before.trial_text, doctorMonthly.duration_days));
    expect(after.trial_text).toBe(before.trial_text);
    const row = await payment(submitted.id);
    expect(row).toMatchObject({ status: 'approved', reviewed_by: admin.userId });
    expect(row.before_text).toBe(before.trial_text);
    expect(row.after_text).toBe(after.period_text);

    expect(await auditRows('admin.payment.approve', submitted.id)).toEqual([
      expect.objectContaining({
        actor_user_id: admin.userId,
        actor_role: 'admin',
        meta: expect.objectContaining({
          workspaceId: doctor.workspaceId,
          planCode: 'doctor_monthly',
          periodEndAfter: after.period_text,
        }) as unknown,
      }),
    ]);
    expect(await notifications(doctor.userId)).toEqual([
      {
        kind: 'payment_approved',
        params: { planCode: 'doctor_monthly', periodEnd: after.current_period_end!.toISOString() },
        dedupe_key: `payment:${submitted.id}:approved`,
      },
    ]);
    const now = await d.caller.subscription.current();
    expect(now).toMatchObject({
      status: 'active',
      plan: { code: 'doctor_monthly' },
      currentPeriodEnd: after.current_period_end,
      endsAt: after.current_period_end,
      daysLeft: 37,
      canAnalyze: true,
      pendingPayment: null,
    });
    expect((await d.caller.payment.list({})).items).toEqual([
      expect.objectContaining({
        id: submitted.id,
        status: 'approved',
        periodEndAfter: after.current_period_end,
      }),
    ]);

    // Reviewing it again changes nothing and says so.
    expect(await failure(a.caller.admin.payment.approve({ id: submitted.id }))).toMatchObject({
      code: 'CONFLICT',
      appCode: 'PAYMENT_NOT_PENDING',
    });
    expect(
      await failure(a.caller.admin.payment.reject({ id: submitted.id, reason: 'Kech' })),
    ).toMatchObject({ code: 'CONFLICT', appCode: 'PAYMENT_NOT_PENDING' });
    expect(await workspace(doctor.workspaceId)).toEqual(after);
    expect((await payment(submitted.id)).status).toBe('approved');
    expect(await notifications(doctor.userId)).toHaveLength(1);
  });

  it('reject stores the reason, notifies, and lets the doctor submit again (with a new receipt)', async () => {
    const doctor = await h.make.doctor();
    const d = await as(doctor);
    const admin = await h.make.admin();
    const a = await as(admin);
    const before = await workspace(doctor.workspaceId);
    const first = await receipt(doctor);
    const p1 = await d.caller.payment.submitReceipt({
      planId: doctorMonthly.id,
      receiptFileId: first,
    });
    const rejected = await a.caller.admin.payment.reject({
      id: p1.id,
      reason: '  Summa mos emas  ',
    });
    expect(rejected).toMatchObject({ status: 'rejected', rejectionReason: 'Summa mos emas' });
    expect(await workspace(doctor.workspaceId)).toEqual(before);
    expect(await auditRows('admin.payment.reject', p1.id)).toEqual([
      expect.objectContaining({ actor_user_id: admin.userId, outcome: 'success' }),
    ]);
    expect(await notifications(doctor.userId)).toEqual([
      {
        kind: 'payment_rejected',
        params: { reason: 'Summa mos emas' },
        dedupe_key: `payment:${p1.id}:rejected`,
      },
    ]);
    expect(await failure(a.caller.admin.payment.approve({ id: p1.id }))).toMatchObject({
      appCode: 'PAYMENT_NOT_PENDING',
    });
    expect(await workspace(doctor.workspaceId)).toEqual(before);

    // The rejected receipt belongs to its payment; a new one goes through.
    expect(
      (
        await failure(
          d.caller.payment.submitReceipt({ planId: doctorMonthly.id, receiptFileId: first }),
        )
      ).fieldErrors,
    ).toEqual({ receiptFileId: ['payment.receipt_invalid'] });
    const p2 = await d.caller.payment.submitReceipt({
      planId: doctorMonthly.id,
      receiptFileId: await receipt(doctor),
    });
    expect(p2.status).toBe('pending');
    const list = await d.caller.payment.list({});
    expect(list.items.map((p) => [p.id, p.status, p.rejectionReason])).toEqual([
      [p2.id, 'pending', null],
      [p1.id, 'rejected', 'Summa mos emas'],
    ]);
    // Keyset pages, newest first.
    const page1 = await d.caller.payment.list({ limit: 1 });
    expect(page1.items.map((p) => p.id)).toEqual([p2.id]);
    const page2 = await d.caller.payment.list({ limit: 1, cursor: page1.nextCursor! });
    expect(page2).toMatchObject({ items: [{ id: p1.id }], nextCursor: null });
    expect(
      (await failure(d.caller.payment.list({ cursor: 'bm90LWEtY3Vyc29y' }))).fieldErrors,
    ).toEqual({ cursor: ['cursor.invalid'] });
    // The admin sees the earlier payment in the new one's history.
    const got = await a.caller.admin.payment.get({ id: p2.id });
    expect(got.history.map((p) => p.id)).toEqual([p1.id]);
    expect(got.submittedBy).toMatchObject({ id: doctor.userId, phone: doctor.phone });
  });

  it('a payment after expiry runs from now; an early one from the current end', async () => {
    const a = await as(await h.make.admin());
    const expired = await h.make.doctor({ subscription: 'expired' });
    const e = await as(expired);
    const pe = await e.caller.payment.submitReceipt({
      planId: doctorMonthly.id,
      receiptFileId: await receipt(expired),
    });
    // Paying does not reopen anything before the approval.
    expect((await e.caller.subscription.current()).canAnalyze).toBe(false);
    await a.caller.admin.payment.approve({ id: pe.id });
    const pex = await payment(pe.id);
    const wex = await workspace(expired.workspaceId);
    // now() is the transaction's: the review time and the new period's start are one instant.
    expect(wex.period_text).toBe(await plusDays(pex.reviewed_text, 30));
    expect(wex.subscription_status).toBe('active');

    const active = await h.make.doctor({ subscription: 'active' });
    const ac = await as(active);
    const before = await workspace(active.workspaceId);
    const pa = await ac.caller.payment.submitReceipt({
      planId: doctorMonthly.id,
      receiptFileId: await receipt(active),
    });
    await a.caller.admin.payment.approve({ id: pa.id });
    expect((await workspace(active.workspaceId)).period_text).toBe(
      await plusDays(before.period_text, 30),
    );
    expect((await ac.caller.subscription.current()).daysLeft).toBe(60);
  });
});

describe('concurrency', () => {
  it('two admins approving one payment at once extend it once; the other hears PAYMENT_NOT_PENDING', async () => {
    const doctor = await h.make.doctor();
    const d = await as(doctor);
    const [a1, a2] = await Promise.all([as(await h.make.admin()), as(await h.make.admin())]);
    const before = await workspace(doctor.workspaceId);
    const p = await d.caller.payment.submitReceipt({
      planId: doctorMonthly.id,
      receiptFileId: await receipt(doctor),
    });
    const results = await Promise.allSettled([
      a1.caller.admin.payment.approve({ id: p.id }),
      a2.caller.admin.payment.approve({ id: p.id }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const lost = results.find((r): r is PromiseRejectedResult => r.status === 'rejected')!;
    expect(await failure(Promise.reject(lost.reason as Error))).toMatchObject({
      code: 'CONFLICT',
      appCode: 'PAYMENT_NOT_PENDING',
    });
    expect((await workspace(doctor.workspaceId)).period_text).toBe(
      await plusDays(before.trial_text, 30),
    );
    // One approval and one refused attempt in the trail.
    const trail = await h.t.db
      .selectFrom('audit_log')
      .select(['outcome', sql<string>`coalesce(meta->>'planCode', meta->>'reason')`.as('what')])
      .where('action', '=', 'admin.payment.approve')
      .where('entity_id', '=', p.id)
      .orderBy('outcome')
      .execute();
    expect(trail).toEqual([
      { outcome: 'success', what: 'doctor_monthly' },
      { outcome: 'denied', what: 'PAYMENT_NOT_PENDING' },
    ]);
    expect(await notifications(doctor.userId)).toHaveLength(1);
  });

  it('two submits at once leave one pending payment; the other hears PAYMENT_PENDING_EXISTS', async () => {
    const doctor = await h.make.doctor();
    const d = await as(doctor);
    const [f1, f2] = await Promise.all([receipt(doctor), receipt(doctor)]);
    const results = await Promise.allSettled([
      d.caller.payment.submitReceipt({ planId: doctorMonthly.id, receiptFileId: f1 }),
      d.caller.payment.submitReceipt({ planId: doctorMonthly.id, receiptFileId: f2 }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const lost = results.find((r): r is PromiseRejectedResult => r.status === 'rejected')!;
    expect(await failure(Promise.reject(lost.reason as Error))).toMatchObject({
      code: 'CONFLICT',
      appCode: 'PAYMENT_PENDING_EXISTS',
    });
    const rows = await h.t.db
      .selectFrom('payments')
      .select('status')
      .where('workspace_id', '=', doctor.workspaceId)
      .execute();
    expect(rows).toEqual([{ status: 'pending' }]);
    // And one after the other, the same answer.
    expect(
      await failure(
        d.caller.payment.submitReceipt({
          planId: doctorMonthly.id,
          receiptFileId: await receipt(doctor),
        }),
      ),
    ).toMatchObject({ code: 'CONFLICT', appCode: 'PAYMENT_PENDING_EXISTS' });
  });

  it('an extension and an approval at once both count', async () => {
    const doctor = await h.make.doctor({ subscription: 'active' });
    const d = await as(doctor);
    const a = await as(await h.make.admin());
    const before = await workspace(doctor.workspaceId);
    const p = await d.caller.payment.submitReceipt({
      planId: doctorMonthly.id,
      receiptFileId: await receipt(doctor),
    });
    await Promise.all([
      a.caller.admin.payment.approve({ id: p.id }),
      a.caller.admin.workspace.extend({ id: doctor.workspaceId, days: 5, reason: 'Uzilish' }),
    ]);
    expect((await workspace(doctor.workspaceId)).period_text).toBe(
      await plusDays(before.period_text, 35),
    );
  });
});

describe('submitReceipt refuses, and writes nothing', () => {
  it('plans that cannot be bought, receipts that are not the caller’s, bad input', async () => {
    const doctor = await h.make.doctor();
    const d = await as(doctor);
    const other = await h.make.doctor();
    const archived = await h.t.db
      .insertInto('plans')
      .values({
        code: `old_${randomBytes(4).toString('hex')}`,
        name_uz: 'Eski',
        name_ru: 'Старый',
        name_en: 'Old',
        price_tiyin: 100,
        duration_days: 30,
        is_active: false,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const mine = await receipt(doctor);
    const auditBefore = await h.t.db
      .selectFrom('audit_log')
      .select(sql<number>`count(*)::int`.as('n'))
      .where('actor_user_id', '=', doctor.userId)
      .executeTakeFirstOrThrow();

    for (const planId of [trialPlanId, archived.id, '00000000-0000-4000-8000-000000000000'])
      expect(
        await failure(d.caller.payment.submitReceipt({ planId, receiptFileId: mine })),
      ).toMatchObject({ code: 'BAD_REQUEST', appCode: 'PLAN_NOT_AVAILABLE' });
    for (const receiptFileId of [
      await receipt(other),
      await receipt(doctor, 'attachment'),
      '00000000-0000-4000-8000-000000000000',
    ])
      expect(
        await failure(d.caller.payment.submitReceipt({ planId: doctorMonthly.id, receiptFileId })),
      ).toMatchObject({
        code: 'BAD_REQUEST',
        appCode: 'VALIDATION_FAILED',
        fieldErrors: { receiptFileId: ['payment.receipt_invalid'] },
      });
    expect(
      await failure(
        d.caller.payment.submitReceipt({
          planId: doctorMonthly.id,
          receiptFileId: mine,
          note: 'x'.repeat(501),
        }),
      ),
    ).toMatchObject({ code: 'BAD_REQUEST', fieldErrors: { note: ['too_long'] } });
    expect(
      await failure(
        d.caller.payment.submitReceipt({
          planId: 'nope',
          receiptFileId: mine,
          // @ts-expect-error keys outside the contract are refused, never applied
          amountTiyin: 1,
        }),
      ),
    ).toMatchObject({ code: 'BAD_REQUEST' });

    expect(
      await h.t.db
        .selectFrom('payments')
        .select('id')
        .where('workspace_id', '=', doctor.workspaceId)
        .execute(),
    ).toEqual([]);
    expect(
      await h.t.db
        .selectFrom('audit_log')
        .select(sql<number>`count(*)::int`.as('n'))
        .where('actor_user_id', '=', doctor.userId)
        .executeTakeFirstOrThrow(),
    ).toEqual(auditBefore);
  });

  it('foreign and unknown payment ids are NOT_FOUND for the admin review', async () => {
    const a = await as(await h.make.admin());
    const unknown = '00000000-0000-4000-8000-000000000000';
    for (const call of [
      () => a.caller.admin.payment.get({ id: unknown }),
      () => a.caller.admin.payment.approve({ id: unknown }),
      () => a.caller.admin.payment.reject({ id: unknown, reason: 'Yoʻq' }),
      () => a.caller.admin.workspace.extend({ id: unknown, days: 3, reason: 'Yoʻq' }),
    ])
      expect((await failure(call())).code).toBe('NOT_FOUND');
    expect(
      (await failure(a.caller.admin.payment.reject({ id: unknown, reason: '   ' }))).fieldErrors,
    ).toEqual({ reason: ['required'] });
  });
});

describe('receipts in use', () => {
  it('deleting a receipt a payment references answers FILE_IN_USE and keeps it', async () => {
    const doctor = await h.make.doctor();
    const d = await as(doctor);
    const fileId = await receipt(doctor);
    await d.caller.payment.submitReceipt({ planId: doctorMonthly.id, receiptFileId: fileId });
    expect(await failure(d.caller.file.delete({ id: fileId }))).toMatchObject({
      code: 'CONFLICT',
      appCode: 'FILE_IN_USE',
    });
    expect(
      await h.t.db.selectFrom('files').select('id').where('id', '=', fileId).execute(),
    ).toHaveLength(1);
    // An unused receipt can still be deleted.
    const unused = await receipt(doctor);
    await expect(d.caller.file.delete({ id: unused })).resolves.toEqual({ ok: true });
  });
});

describe('admin.workspace.extend', () => {
  it('expired: active from now; trialing: active on its plan from the trial’s end; audited and notified', async () => {
    const admin = await h.make.admin();
    const a = await as(admin);
    const expired = await h.make.doctor({ subscription: 'expired' });
    const out = await a.caller.admin.workspace.extend({
      id: expired.workspaceId,
      days: 10,
      reason: '  Toʻlov kechikdi  ',
    });
    const w = await workspace(expired.workspaceId);
    expect(out).toEqual({
      workspaceId: expired.workspaceId,
      status: 'active',
      endsAt: w.current_period_end,
    });
    const audit = await auditRows('admin.workspace.extend', expired.workspaceId);
    expect(audit).toEqual([
      expect.objectContaining({
        actor_user_id: admin.userId,
        meta: expect.objectContaining({
          days: 10,
          reason: 'Toʻlov kechikdi',
          statusBefore: 'expired',
        }) as unknown,
      }),
    ]);
    // From now (the audit row is written in the same transaction, so its time is that now).
    const { rows } = await sql<{ at: string }>`
      select at::text from audit_log where action = 'admin.workspace.extend'
        and entity_id = ${expired.workspaceId}`.execute(h.t.db);
    expect(w.period_text).toBe(await plusDays(rows[0]!.at, 10));
    expect(await notifications(expired.userId)).toEqual([
      {
        kind: 'subscription_extended',
        params: { days: 10, endsAt: w.current_period_end!.toISOString() },
        dedupe_key: `subscription_extended:${expired.workspaceId}:${w.period_text}`,
      },
    ]);

    const trialing = await h.make.doctor();
    const before = await workspace(trialing.workspaceId);
    await a.caller.admin.workspace.extend({ id: trialing.workspaceId, days: 3, reason: 'Sinov' });
    const t = await workspace(trialing.workspaceId);
    expect(t).toMatchObject({ subscription_status: 'active', plan_id: trialPlanId });
    expect(t.period_text).toBe(await plusDays(before.trial_text, 3));
    expect(t.ends_text).toBe(t.period_text);
    expect((await (await as(trialing)).caller.subscription.current()).daysLeft).toBe(10);
  });
});

describe('plans', () => {
  const newPlan = (code: string) => ({
    code,
    names: { uz: 'Yillik', ru: 'Годовой', en: 'Yearly' },
    priceTiyin: 99_000_000,
    durationDays: 365,
    maxAnalysesPerMonth: null,
    storageQuotaBytes: 5 * 1024 ** 3,
    sortOrder: 30,
  });

  it('create, update, archive: audited; a duplicate code and the trial plan are refused', async () => {
    const admin = await h.make.admin();
    const a = await as(admin);
    const code = `yearly_${randomBytes(3).toString('hex')}`;
    const created = await a.caller.admin.plan.create(newPlan(code));
    expect(created).toMatchObject({
      code,
      active: true,
      isTrial: false,
      maxAnalysesPerMonth: null,
    });
    expect((await h.services.plans.purchasable()).map((p) => p.code)).toContain(code);

    expect(await failure(a.caller.admin.plan.create(newPlan(code)))).toMatchObject({
      code: 'CONFLICT',
      appCode: 'PLAN_CODE_TAKEN',
      fieldErrors: { code: ['plan.code_taken'] },
    });
    expect(
      (
        await failure(
          a.caller.admin.plan.create({ ...newPlan('Bad Code'), maxAnalysesPerMonth: 0 }),
        )
      ).fieldErrors,
    ).toEqual({ code: ['plan.code_invalid'], maxAnalysesPerMonth: ['invalid'] });

    const stamp = async () =>
      (
        await h.t.db
          .selectFrom('plans')
          .select(sql<string>`updated_at::text`.as('u'))
          .where('id', '=', created.id)
          .executeTakeFirstOrThrow()
      ).u;
    const before = await stamp();
    const priceBefore = created.priceTiyin;
    const updated = await a.caller.admin.plan.update({
      id: created.id,
      priceTiyin: 88_000_000,
      sortOrder: created.sortOrder,
    });
    expect(updated.priceTiyin).toBe(88_000_000);
    expect(await stamp()).not.toBe(before);
    // The audit row says what the price was and what it became; unchanged fields are left out.
    const edit = await h.t.db
      .selectFrom('audit_log')
      .select('meta')
      .where('action', '=', 'admin.plan.update')
      .where('entity_id', '=', created.id)
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(edit.meta).toEqual({ 'price_tiyin.from': priceBefore, 'price_tiyin.to': 88_000_000 });

    // A workspace on the plan keeps it when the plan is archived.
    const doctor = await h.make.doctor({ subscription: 'active' });
    await h.t.db
      .updateTable('workspaces')
      .set({ plan_id: created.id })
      .where('id', '=', doctor.workspaceId)
      .execute();
    const archived = await a.caller.admin.plan.archive({ id: created.id });
    expect(archived.active).toBe(false);
    expect((await workspace(doctor.workspaceId)).plan_id).toBe(created.id);
    expect((await h.services.plans.purchasable()).map((p) => p.code)).not.toContain(code);
    expect((await a.caller.admin.plan.list()).find((p) => p.id === created.id)).toMatchObject({
      active: false,
      workspaces: 1,
    });
    expect(
      await failure(
        (await as(doctor)).caller.payment.submitReceipt({
          planId: created.id,
          receiptFileId: await receipt(doctor),
        }),
      ),
    ).toMatchObject({ appCode: 'PLAN_NOT_AVAILABLE' });
    // Re-activating brings it back.
    expect((await a.caller.admin.plan.update({ id: created.id, active: true })).active).toBe(true);

    expect(await failure(a.caller.admin.plan.archive({ id: trialPlanId }))).toMatchObject({
      code: 'CONFLICT',
      appCode: 'PLAN_IS_TRIAL',
    });
    expect(
      (
        await h.t.db
          .selectFrom('plans')
          .select('is_active')
          .where('id', '=', trialPlanId)
          .executeTakeFirstOrThrow()
      ).is_active,
    ).toBe(true);
    expect(
      (
        await failure(
          a.caller.admin.plan.update({ id: '00000000-0000-4000-8000-000000000000', sortOrder: 1 }),
        )
      ).code,
    ).toBe('NOT_FOUND');

    for (const action of ['admin.plan.create', 'admin.plan.update', 'admin.plan.archive'])
      expect((await auditRows(action, created.id)).length).toBeGreaterThan(0);
  });

  it('subscription.plans lists the active plans a doctor can buy, in sort order', async () => {
    const plans = await h.agent().caller.subscription.plans();
    expect(plans.every((p) => p.active && !p.isTrial)).toBe(true);
    const orders = plans.map((p) => p.sortOrder);
    expect(orders).toEqual([...orders].sort((x, y) => x - y));
    expect(plans.find((p) => p.code === 'doctor_monthly')).toMatchObject({
      priceTiyin: 9_900_000,
      durationDays: 30,
      maxAnalysesPerMonth: 200,
      names: { uz: 'Shifokor (oylik)', ru: 'Врач (месяц)', en: 'Doctor (monthly)' },
    });
  });
});

describe('subscription.current', () => {
  it('shows bank details only when recipient and account are configured', async () => {
    const doctor = await h.make.doctor();
    expect((await (await as(doctor)).caller.subscription.current()).bankDetails).toBeNull();
    const h2 = await createHarness({
      BANK_RECIPIENT: 'MedoraAI MChJ',
      BANK_ACCOUNT: '20208000900123456001',
      BANK_MFO: '00873',
    });
    try {
      const d2 = await h2.make.doctor();
      const a2 = h2.agent();
      a2.token = (await signInDirectly(h2.services, d2)).accessToken;
      expect((await a2.caller.subscription.current()).bankDetails).toEqual({
        recipient: 'MedoraAI MChJ',
        bank: null,
        account: '20208000900123456001',
        mfo: '00873',
        tin: null,
      });
      const h3 = await createHarness({ BANK_RECIPIENT: 'MedoraAI MChJ' });
      try {
        const d3 = await h3.make.doctor();
        const a3 = h3.agent();
        a3.token = (await signInDirectly(h3.services, d3)).accessToken;
        expect((await a3.caller.subscription.current()).bankDetails).toBeNull();
      } finally {
        await h3.close();
      }
    } finally {
      await h2.close();
    }
  });

  it('a trial whose end has passed cannot analyse, though the status still says trialing', async () => {
    const doctor = await h.make.doctor({ subscription: 'trial_ended' });
    expect(await (await as(doctor)).caller.subscription.current()).toMatchObject({
      status: 'trialing',
      canAnalyze: false,
      daysLeft: 0,
    });
  });
});

describe('read-only once the subscription has ended', () => {
  it('an expired doctor reads everything and pays, but changes no clinical data until paid', async () => {
    const doctor = await h.make.doctor({ subscription: 'active' });
    const d = await as(doctor);
    const patient = await h.make.patient(doctor);
    const analysis = await d.caller.analysis.create({
      patientId: patient.id,
      complaints: 'Holsizlik',
      labs: [{ code: 'hemoglobin', value: 95, unit: 'g/L' }],
      idempotencyKey: randomBytes(12).toString('hex'),
    });
    await h.services.analyses.run(analysis.id, { number: 1, max: 1 });
    const attachment = await receipt(doctor, 'attachment');
    await h.t.db
      .updateTable('workspaces')
      .set({
        subscription_status: 'expired',
        current_period_end: sql<Date>`now() - interval '1 day'`,
      })
      .where('id', '=', doctor.workspaceId)
      .execute();

    // Reads, the account and paying all work.
    expect((await d.caller.patient.get({ id: patient.id })).id).toBe(patient.id);
    expect((await d.caller.patient.list({})).items).toHaveLength(2);
    expect((await d.caller.analysis.get({ id: analysis.id })).status).toBe('completed');
    expect((await d.caller.analysis.list({})).items).toHaveLength(1);
    await d.caller.analysis.stats();
    await d.caller.patient.accessLog({ id: patient.id });
    await d.caller.auth.updateProfile({ locale: 'ru' });
    expect((await d.caller.subscription.current()).canAnalyze).toBe(false);
    const p = await d.caller.payment.submitReceipt({
      planId: doctorMonthly.id,
      receiptFileId: await receipt(doctor),
    });

    const inactive = { code: 'FORBIDDEN', appCode: 'SUBSCRIPTION_INACTIVE' };
    const writes = [
      () =>
        d.caller.patient.create({
          firstName: 'Gulom',
          lastName: 'Karimov',
          sex: 'male',
          ageYears: 40,
        }),
      () => d.caller.patient.update({ id: patient.id, notes: 'Yangi' }),
      () => d.caller.patient.archive({ id: patient.id }),
      () => d.caller.patient.restore({ id: patient.id }),
      () =>
        d.caller.analysis.create({
          patientId: patient.id,
          complaints: 'Bosh ogʻrigʻi',
          labs: [{ code: 'hemoglobin', value: 100, unit: 'g/L' }],
          idempotencyKey: randomBytes(12).toString('hex'),
        }),
      () =>
        d.caller.analysis.feedback({
          id: analysis.id,
          conditionCode: 'D50',
          verdict: 'more_likely',
        }),
      () => d.caller.file.delete({ id: attachment }),
    ];
    for (const write of writes) expect(await failure(write())).toMatchObject(inactive);
    expect(
      await h.t.db
        .selectFrom('patients')
        .select(['notes', 'archived_at'])
        .where('workspace_id', '=', doctor.workspaceId)
        .execute(),
    ).toHaveLength(2);
    expect(
      await h.t.db.selectFrom('files').select('id').where('id', '=', attachment).execute(),
    ).toHaveLength(1);
    expect(
      await h.t.db
        .selectFrom('analyses')
        .select('id')
        .where('workspace_id', '=', doctor.workspaceId)
        .execute(),
    ).toHaveLength(1);

    // Approved: writable again.
    await (await as(await h.make.admin())).caller.admin.payment.approve({ id: p.id });
    expect((await d.caller.patient.update({ id: patient.id, notes: 'Yangi' })).notes).toBe('Yangi');
  });

  it('a trial past its end is read-only before the expiry job has run', async () => {
    const doctor = await h.make.doctor({ subscription: 'trial_ended' });
    expect(
      await failure(
        (await as(doctor)).caller.patient.create({
          firstName: 'Gulom',
          lastName: 'Karimov',
          sex: 'male',
          ageYears: 40,
        }),
      ),
    ).toMatchObject({ code: 'FORBIDDEN', appCode: 'SUBSCRIPTION_INACTIVE' });
  });
});
