import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInDirectly } from '../src/testing';
import { coreServices, type CoreHarness } from './services';

let h: CoreHarness;
beforeAll(async () => {
  h = await coreServices({ MAX_SESSIONS_PER_USER: '3' });
});
afterAll(() => h.close());

const liveFamilies = async (userId: string) =>
  (
    await h.t.db
      .selectFrom('sessions')
      .select(sql<number>`count(distinct family_id)::int`.as('n'))
      .where('user_id', '=', userId)
      .where('revoked_at', 'is', null)
      .where('replaced_at', 'is', null)
      .executeTakeFirstOrThrow()
  ).n;

describe('the session cap under concurrency', () => {
  it('leaves exactly MAX_SESSIONS_PER_USER live families after many parallel sign-ins', async () => {
    const doctor = await h.make.doctor();
    // Each sign-in reads the live families and revokes the excess; without the lock on the user
    // row, parallel transactions all see room and every one of them inserts.
    const started = await Promise.all(
      Array.from({ length: 8 }, () => signInDirectly(h.services, doctor)),
    );
    expect(new Set(started.map((s) => s.sessionId)).size).toBe(8);
    expect(await liveFamilies(doctor.userId)).toBe(3);
  });

  it('keeps the newest sessions and revokes the oldest with the session_cap reason', async () => {
    const doctor = await h.make.doctor();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await signInDirectly(h.services, doctor)).sessionId);
    const rows = await h.t.db
      .selectFrom('sessions')
      .select(['family_id', 'revoked_reason'])
      .where('user_id', '=', doctor.userId)
      .execute();
    const reason = new Map(rows.map((r) => [r.family_id, r.revoked_reason]));
    expect(ids.map((id) => reason.get(id))).toEqual([
      'session_cap',
      'session_cap',
      null,
      null,
      null,
    ]);
  });
});
