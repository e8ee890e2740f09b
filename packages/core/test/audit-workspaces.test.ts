import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Scope } from '../src/scope';
import { coreServices, type CoreHarness } from './services';

let h: CoreHarness;
beforeAll(async () => {
  h = await coreServices();
});
afterAll(() => h.close());

const lastAudit = () =>
  h.t.db
    .selectFrom('audit_log')
    .select([
      'action',
      'outcome',
      'actor_user_id',
      'actor_role',
      'workspace_id',
      'entity_type',
      'entity_id',
      'ip',
      'request_id',
      'meta',
    ])
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirstOrThrow();

describe('audit rows', () => {
  it('take actor, role, workspace, IP and request id from the scope', async () => {
    const doctor = await h.make.doctor();
    const scope: Scope = {
      userId: doctor.userId,
      role: 'doctor',
      sessionId: '00000000-0000-4000-8000-000000000001',
      workspaceId: doctor.workspaceId,
      ip: '203.0.113.9',
      userAgent: 'vitest',
      requestId: 'req-1',
    };
    await h.services.audit.record(scope, {
      action: 'test.scoped',
      outcome: 'success',
      entityType: 'user',
      entityId: doctor.userId,
      meta: { fields: 'name' },
    });
    expect(await lastAudit()).toEqual({
      action: 'test.scoped',
      outcome: 'success',
      actor_user_id: doctor.userId,
      actor_role: 'doctor',
      workspace_id: doctor.workspaceId,
      entity_type: 'user',
      entity_id: doctor.userId,
      ip: '203.0.113.9',
      request_id: 'req-1',
      meta: { fields: 'name' },
    });
  });

  it('without a scope: anonymous unless a user is named, and empty defaults', async () => {
    const meta = { ip: null, userAgent: null, requestId: null };
    await h.services.audit.record(meta, { action: 'test.anonymous', outcome: 'failure' });
    expect(await lastAudit()).toEqual({
      action: 'test.anonymous',
      outcome: 'failure',
      actor_user_id: null,
      actor_role: 'anonymous',
      workspace_id: null,
      entity_type: null,
      entity_id: null,
      ip: null,
      request_id: null,
      meta: {},
    });
    const doctor = await h.make.doctor();
    await h.services.audit.record(meta, {
      action: 'test.named',
      outcome: 'denied',
      actorUserId: doctor.userId,
      workspaceId: doctor.workspaceId,
    });
    expect(await lastAudit()).toMatchObject({
      actor_user_id: doctor.userId,
      actor_role: null,
      workspace_id: doctor.workspaceId,
    });
    await h.services.audit.record(meta, {
      action: 'test.system',
      outcome: 'success',
      actorRole: 'system',
    });
    expect(await lastAudit()).toMatchObject({ actor_user_id: null, actor_role: 'system' });
  });
});

describe('workspace summary: days left by subscription state', () => {
  const summary = (workspaceId: string) => h.services.workspaces.summary({ workspaceId });

  it('counts a trial to its end and an active plan to its period end', async () => {
    const trial = await h.make.doctor();
    expect((await summary(trial.workspaceId)).subscription).toMatchObject({
      status: 'trialing',
      planCode: 'trial',
      daysLeft: 7,
      currentPeriodEnd: null,
    });
    const paid = await h.make.doctor({ subscription: 'active' });
    const s = await summary(paid.workspaceId);
    expect(s.workspace).toEqual({ id: paid.workspaceId, name: paid.name });
    expect(s.subscription).toMatchObject({
      status: 'active',
      planCode: 'doctor_monthly',
      daysLeft: 30,
    });
    const names = s.subscription.planNames;
    expect(Object.keys(names).sort()).toEqual(['en', 'ru', 'uz']);
    expect(Object.values(names).every((n) => n.length > 0)).toBe(true);
  });

  it('shows 0 days once a trial has run out, and for ended plans whatever their dates say', async () => {
    const ended = await h.make.doctor({ subscription: 'trial_ended' });
    expect((await summary(ended.workspaceId)).subscription.daysLeft).toBe(0);
    for (const status of ['expired', 'canceled'] as const) {
      const doctor = await h.make.doctor({ subscription: 'active' });
      await h.t.db
        .updateTable('workspaces')
        .set({ subscription_status: status, current_period_end: sql`now() + interval '10 days'` })
        .where('id', '=', doctor.workspaceId)
        .execute();
      expect((await summary(doctor.workspaceId)).subscription).toMatchObject({
        status,
        daysLeft: 0,
      });
    }
  });

  it('answers NOT_FOUND for a workspace that does not exist', async () => {
    await expect(summary('00000000-0000-4000-8000-000000000000')).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });
});
