import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanupSessions } from '../src/sessions/cleanup';
import { signInDirectly } from '../src/testing';
import { coreServices, type CoreHarness } from './services';

let h: CoreHarness;
beforeAll(async () => {
  h = await coreServices({ MAX_SESSIONS_PER_USER: '50' });
});
afterAll(() => h.close());

type Ended = 'revoked_at' | 'replaced_at' | 'expires_at';

/** A session row of a fresh doctor, its end (revoked, replaced or expiry) set `days` ago. */
async function sessionEnded(column: Ended | null, days: number): Promise<string> {
  const doctor = await h.make.doctor();
  const { sessionId } = await signInDirectly(h.services, doctor);
  if (column)
    await h.t.db
      .updateTable('sessions')
      .set({
        [column]: sql`now() - make_interval(days => ${days})`,
        // A revoked row says why (a check constraint).
        ...(column === 'revoked_at' && { revoked_reason: 'logout' as const }),
      })
      .where('family_id', '=', sessionId)
      .execute();
  return sessionId;
}

const remaining = async (families: string[]) =>
  (
    await h.t.db
      .selectFrom('sessions')
      .select('family_id')
      .where('family_id', 'in', families)
      .execute()
  ).map((r) => r.family_id);

describe('cleanupSessions', () => {
  it('deletes rows dead for longer than the retention, in batches, and keeps the rest', async () => {
    const old = [
      await sessionEnded('revoked_at', 31),
      await sessionEnded('replaced_at', 31),
      await sessionEnded('expires_at', 31),
    ];
    const recent = [
      await sessionEnded('revoked_at', 29),
      await sessionEnded('replaced_at', 29),
      await sessionEnded('expires_at', 29),
      await sessionEnded(null, 0),
    ];
    // A batch of one: the loop must go on until a batch comes back short.
    expect(await cleanupSessions(h.t.db, { batchSize: 1 })).toBe(3);
    expect((await remaining([...old, ...recent])).sort()).toEqual([...recent].sort());
    expect(await cleanupSessions(h.t.db)).toBe(0);
  });

  it('honours a shorter retention', async () => {
    const ended = await sessionEnded('revoked_at', 3);
    const live = await sessionEnded(null, 0);
    expect(await cleanupSessions(h.t.db, { retentionDays: 2 })).toBeGreaterThanOrEqual(1);
    expect(await remaining([ended, live])).toEqual([live]);
  });
});
