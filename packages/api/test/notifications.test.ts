import { notify } from '@medora/core';
import { signInDirectly, type TestUser } from '@medora/core/testing';
import type { NewNotification } from '@medora/core';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, failure, type Agent, type Harness } from './harness';

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(async () => {
  await h.close();
});

async function signedIn(user: TestUser): Promise<Agent> {
  const a = h.agent();
  a.token = (await signInDirectly(h.services, user)).accessToken;
  return a;
}

let seq = 0;
async function notifyUser(
  userId: string,
  n: Partial<NewNotification> = {},
): Promise<string | undefined> {
  const [id] = await h.t.db.transaction().execute((trx) =>
    notify(
      trx,
      {
        workspaceId: null,
        kind: 'payment_rejected',
        params: { reason: `sabab ${++seq}` },
        dedupeKey: `payment_rejected:${seq}`,
        ...n,
      } as NewNotification,
      [userId],
    ),
  );
  return id;
}

describe('notification.list / unreadCount / markRead', () => {
  it('pages newest first, per user, and counts the unread', async () => {
    const doctor = await h.make.doctor();
    const other = await h.make.doctor();
    const a = await signedIn(doctor);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await notifyUser(doctor.userId))!);
    await notifyUser(other.userId);

    expect(await a.caller.notification.unreadCount()).toEqual({ count: 5 });
    const first = await a.caller.notification.list({ limit: 2 });
    expect(first.items.map((n) => n.id)).toEqual([ids[4], ids[3]]);
    expect(first.nextCursor).not.toBeNull();
    const second = await a.caller.notification.list({ limit: 2, cursor: first.nextCursor! });
    expect(second.items.map((n) => n.id)).toEqual([ids[2], ids[1]]);
    const third = await a.caller.notification.list({ limit: 2, cursor: second.nextCursor! });
    expect(third.items.map((n) => n.id)).toEqual([ids[0]]);
    expect(third.nextCursor).toBeNull();
    expect(third.items[0]).toMatchObject({
      kind: 'payment_rejected',
      params: { reason: `sabab ${seq - 5}` },
      readAt: null,
      plan: null,
      deliveries: [],
    });
  });

  it('marks one read, then all; unreadOnly filters', async () => {
    const doctor = await h.make.doctor();
    const a = await signedIn(doctor);
    const one = (await notifyUser(doctor.userId))!;
    await notifyUser(doctor.userId);
    await notifyUser(doctor.userId);

    expect(await a.caller.notification.markRead({ id: one })).toEqual({ count: 2 });
    // Again: still fine, nothing changes.
    expect(await a.caller.notification.markRead({ id: one })).toEqual({ count: 2 });
    const unread = await a.caller.notification.list({ unreadOnly: true });
    expect(unread.items).toHaveLength(2);
    expect(unread.items.map((n) => n.id)).not.toContain(one);
    const all = await a.caller.notification.list({});
    expect(all.items.find((n) => n.id === one)?.readAt).toBeInstanceOf(Date);

    expect(await a.caller.notification.markRead({})).toEqual({ count: 0 });
    expect((await a.caller.notification.list({ unreadOnly: true })).items).toEqual([]);
  });

  it("answers NOT_FOUND for someone else's notification and leaves it unread", async () => {
    const owner = await h.make.doctor();
    const intruder = await signedIn(await h.make.doctor());
    const id = (await notifyUser(owner.userId))!;
    expect((await failure(intruder.caller.notification.markRead({ id }))).code).toBe('NOT_FOUND');
    // Mark-all by the intruder touches only their own.
    await intruder.caller.notification.markRead({});
    expect(await (await signedIn(owner)).caller.notification.unreadCount()).toEqual({ count: 1 });
  });

  it('names the plan a payment_approved notification is about, per locale', async () => {
    const doctor = await h.make.doctor();
    await notifyUser(doctor.userId, {
      kind: 'payment_approved',
      params: { planCode: 'doctor_monthly', periodEnd: '2027-01-05T19:30:00.000Z' },
    });
    const [item] = (await (await signedIn(doctor)).caller.notification.list({})).items;
    expect(item).toMatchObject({
      kind: 'payment_approved',
      params: { planCode: 'doctor_monthly', periodEnd: '2027-01-05T19:30:00.000Z' },
      plan: {
        code: 'doctor_monthly',
        names: { uz: 'Shifokor (oylik)', ru: 'Врач (месяц)', en: 'Doctor (monthly)' },
      },
    });
  });

  it('refuses bad input with field errors, never a 500', async () => {
    const a = await signedIn(await h.make.doctor());
    expect(await failure(a.caller.notification.markRead({ id: 'nope' }))).toMatchObject({
      code: 'BAD_REQUEST',
      fieldErrors: { id: ['id.invalid'] },
    });
    expect(await failure(a.caller.notification.list({ cursor: 'not-a-cursor' }))).toMatchObject({
      code: 'BAD_REQUEST',
      fieldErrors: { cursor: ['cursor.invalid'] },
    });
    expect(await failure(a.caller.notification.list({ limit: 1000 }))).toMatchObject({
      code: 'BAD_REQUEST',
    });
  });
});

describe('notify()', () => {
  it('adds one notification per key and enqueues its delivery once', async () => {
    const doctor = await h.make.doctor();
    const n = {
      kind: 'subscription_expiring',
      params: { endsAt: '2026-12-05T18:30:00.000Z', daysLeft: 3 },
      dedupeKey: 'subscription_expiring:3d:2026-12-05T18:30:00.000Z',
    } as const;
    const first = await notifyUser(doctor.userId, n);
    const again = await notifyUser(doctor.userId, n);
    expect(first).toBeDefined();
    expect(again).toBeUndefined();
    const { rows: mine } = await sql<{ max_attempts: number }>`
      select j.max_attempts from graphile_worker._private_jobs j
      join graphile_worker._private_tasks t on t.id = j.task_id
      where t.identifier = 'notification__deliver' and j.payload->>'notificationId' = ${first!}
    `.execute(h.t.db);
    expect(mine).toHaveLength(1);
    expect(mine[0]!.max_attempts).toBe(8);
  });

  it('refuses params that do not match the kind, writing nothing', async () => {
    const doctor = await h.make.doctor();
    await expect(
      notifyUser(doctor.userId, {
        kind: 'subscription_expiring',
        params: { endsAt: 'tomorrow', daysLeft: 2 },
      } as unknown as Partial<NewNotification>),
    ).rejects.toThrow(/bad params/);
    expect(await (await signedIn(doctor)).caller.notification.unreadCount()).toEqual({
      count: 0,
    });
  });
});

describe('profile e-mail', () => {
  it('sets, shows and clears the e-mail; refuses a bad one with a field code', async () => {
    const doctor = await h.make.doctor();
    const a = await signedIn(doctor);
    const set = await a.caller.auth.updateProfile({ email: '  Doctor@Example.uz ' });
    expect(set.email).toBe('Doctor@Example.uz');
    expect((await a.caller.auth.me()).user.email).toBe('Doctor@Example.uz');
    expect(await failure(a.caller.auth.updateProfile({ email: 'not an email' }))).toMatchObject({
      code: 'BAD_REQUEST',
      fieldErrors: { email: ['email.invalid'] },
    });
    expect(
      await failure(a.caller.auth.updateProfile({ email: `${'a'.repeat(250)}@x.uz` })),
    ).toMatchObject({ fieldErrors: { email: ['email.too_long'] } });
    expect((await a.caller.auth.me()).user.email).toBe('Doctor@Example.uz');
    expect((await a.caller.auth.updateProfile({ email: '' })).email).toBeNull();
    await a.caller.auth.updateProfile({ email: 'x@y.uz' });
    expect((await a.caller.auth.updateProfile({ email: null })).email).toBeNull();
    // Other fields leave it alone.
    await a.caller.auth.updateProfile({ email: 'x@y.uz' });
    expect((await a.caller.auth.updateProfile({ name: 'Boshqa Ism' })).email).toBe('x@y.uz');
  });
});
