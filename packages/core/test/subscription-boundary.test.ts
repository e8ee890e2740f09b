import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { subscriptionOf } from '../src/subscriptions/queries';
import { assertWritable } from '../src/subscriptions/writable';
import { allowanceOf } from '../src/usage/queries';
import { coreServices, type CoreHarness } from './services';

// The end instant itself, pinned inside one transaction (now() is the transaction's start, so
// an end set to now() is exactly "now"): an end equal to now has passed, for the subscription
// page, for analyses and for writes alike.

let h: CoreHarness;
beforeAll(async () => {
  h = await coreServices();
});
afterAll(() => h.close());

class Rollback extends Error {}

async function atEnd(
  status: 'trialing' | 'active',
  offset: string,
): Promise<{ canAnalyze: boolean; usable: boolean; daysLeft: number; writable: boolean }> {
  const doctor = await h.make.doctor({ subscription: status });
  let seen: { canAnalyze: boolean; usable: boolean; daysLeft: number; writable: boolean } | null =
    null;
  await h.t.db
    .transaction()
    .execute(async (trx) => {
      const end = sql<Date>`now() + ${offset}::interval`;
      await trx
        .updateTable('workspaces')
        .set(status === 'trialing' ? { trial_ends_at: end } : { current_period_end: end })
        .where('id', '=', doctor.workspaceId)
        .execute();
      const scope = { workspaceId: doctor.workspaceId };
      const sub = (await subscriptionOf(trx, scope))!;
      const allowance = await allowanceOf(trx, scope);
      const writable = await assertWritable(trx, scope).then(
        () => true,
        () => false,
      );
      seen = {
        canAnalyze: sub.can_analyze,
        usable: allowance.usable,
        daysLeft: sub.days_left,
        writable,
      };
      throw new Rollback();
    })
    .catch((e: unknown) => {
      if (!(e instanceof Rollback)) throw e;
    });
  return seen!;
}

describe('the end instant', () => {
  for (const status of ['trialing', 'active'] as const) {
    it(`${status}: ended exactly at its end, still open a microsecond before`, async () => {
      expect(await atEnd(status, '0 seconds')).toEqual({
        canAnalyze: false,
        usable: false,
        daysLeft: 0,
        writable: false,
      });
      expect(await atEnd(status, '1 microsecond')).toEqual({
        canAnalyze: true,
        usable: true,
        daysLeft: 1,
        writable: true,
      });
      // Whole days rounded up: exactly two days left is 2, a microsecond more is 3.
      expect((await atEnd(status, '2 days')).daysLeft).toBe(2);
      expect((await atEnd(status, '2 days 1 microsecond')).daysLeft).toBe(3);
    });
  }
});
