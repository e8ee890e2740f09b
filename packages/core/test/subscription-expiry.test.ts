import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expireSubscriptions } from '../src/subscriptions/expiry';
import { coreServices, type CoreHarness } from './services';

let h: CoreHarness;
beforeAll(async () => {
  h = await coreServices();
});
afterAll(() => h.close());

const endOf = async (workspaceId: string) =>
  await h.t.db
    .selectFrom('workspaces')
    .select(['access_ends_at', 'subscription_status'])
    .where('id', '=', workspaceId)
    .executeTakeFirstOrThrow();

describe('expireSubscriptions', () => {
  it('expires exactly at the end instant, once, with one audit row and one notification', async () => {
    const doctor = await h.make.doctor({ subscription: 'active' });
    // A millisecond-precise end, so the instants below are exact.
    await h.t.db
      .updateTable('workspaces')
      .set({ current_period_end: new Date('2026-12-01T19:00:00.000Z') })
      .where('id', '=', doctor.workspaceId)
      .execute();
    const { access_ends_at: end } = await endOf(doctor.workspaceId);
    const before = new Date(end!.getTime() - 1);

    // A millisecond before the end: still active.
    await expireSubscriptions(h.t.db, before);
    expect((await endOf(doctor.workspaceId)).subscription_status).toBe('active');

    // Exactly at the end: expired.
    const first = await expireSubscriptions(h.t.db, end!);
    expect(first.expired).toBeGreaterThanOrEqual(1);
    expect((await endOf(doctor.workspaceId)).subscription_status).toBe('expired');

    // A re-run changes nothing.
    await expireSubscriptions(h.t.db, end!);
    const audits = await h.t.db
      .selectFrom('audit_log')
      .select(['actor_role'])
      .where('workspace_id', '=', doctor.workspaceId)
      .where('action', '=', 'subscription.expire')
      .execute();
    expect(audits).toEqual([{ actor_role: 'system' }]);
    const notes = await h.t.db
      .selectFrom('notifications')
      .select(['kind', 'dedupe_key'])
      .where('user_id', '=', doctor.userId)
      .execute();
    expect(notes).toEqual([
      {
        kind: 'subscription_expired',
        dedupe_key: `subscription_expired:${doctor.workspaceId}:${end!.toISOString()}`,
      },
    ]);
  });
});
