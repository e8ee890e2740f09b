import { randomBytes, randomUUID } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '@medora/core/testing';
import { cleanupSessions } from '@medora/core';
import { parseCronItems } from 'graphile-worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cronItems, createTaskList } from '../src/tasks/index';
import { SESSION_CLEANUP_TASK } from '../src/tasks/session__cleanup';
import { capturingLogger, helpersFor, testServices } from './support';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database?.drop());

const DAY_MS = 86_400_000;
let phoneSeq = 4000000;
const daysAgo = (days: number) => new Date(Date.now() - days * DAY_MS);

type Kind =
  | 'live (family started 60 days ago)'
  | 'replaced 1 day ago'
  | 'replaced 31 days ago'
  | 'revoked 1 day ago'
  | 'revoked 31 days ago'
  | 'expired 1 day ago'
  | 'expired 31 days ago';

/** One user and one session row of each kind; returns row ids by kind. */
async function seed(): Promise<Record<Kind, string>> {
  const { db } = database;
  const user = await db
    .insertInto('users')
    .values({
      phone: `+99893${phoneSeq++}`,
      name: 'Cleanup Test',
      password_hash: '$argon2id$v=19$not-a-real-hash',
      role: 'doctor',
      locale: 'uz',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const family = randomUUID();
  const started = daysAgo(60);
  const row = (overrides: {
    family_id?: string;
    expires_at: Date;
    replaced_at?: Date;
    revoked_at?: Date;
  }) => ({
    user_id: user.id,
    family_id: family,
    refresh_token_hash: randomBytes(32).toString('hex'),
    family_started_at: started,
    created_at: started,
    revoked_reason: overrides.revoked_at ? ('logout' as const) : null,
    ...overrides,
  });
  const rows: Record<Kind, ReturnType<typeof row>> = {
    // One long-lived family: its live token and the tokens it replaced along the way.
    'live (family started 60 days ago)': row({ expires_at: daysAgo(-29) }),
    'replaced 1 day ago': row({ expires_at: daysAgo(-28), replaced_at: daysAgo(1) }),
    'replaced 31 days ago': row({ expires_at: daysAgo(-1), replaced_at: daysAgo(31) }),
    // Families that ended.
    'revoked 1 day ago': row({
      family_id: randomUUID(),
      expires_at: daysAgo(-20),
      revoked_at: daysAgo(1),
    }),
    'revoked 31 days ago': row({
      family_id: randomUUID(),
      expires_at: daysAgo(-1),
      revoked_at: daysAgo(31),
    }),
    'expired 1 day ago': row({ family_id: randomUUID(), expires_at: daysAgo(1) }),
    'expired 31 days ago': row({ family_id: randomUUID(), expires_at: daysAgo(31) }),
  };
  const ids = {} as Record<Kind, string>;
  for (const [kind, values] of Object.entries(rows) as [Kind, ReturnType<typeof row>][]) {
    const { id } = await db
      .insertInto('sessions')
      .values(values)
      .returning('id')
      .executeTakeFirstOrThrow();
    ids[kind] = id;
  }
  return ids;
}

const remaining = async (ids: Record<Kind, string>) => {
  const present = new Set(
    (await database.db.selectFrom('sessions').select('id').execute()).map((r) => r.id),
  );
  return (Object.keys(ids) as Kind[]).filter((kind) => present.has(ids[kind])).sort();
};

const KEPT: Kind[] = [
  'expired 1 day ago',
  'live (family started 60 days ago)',
  'replaced 1 day ago',
  'revoked 1 day ago',
];

describe('session__cleanup', () => {
  it('deletes exactly the rows dead for over 30 days, in batches, and is idempotent', async () => {
    const ids = await seed();
    // Batches of two: three rows to go take two full batches and a short one.
    expect(await cleanupSessions(database.db, { batchSize: 2 })).toBe(3);
    expect(await remaining(ids)).toEqual(KEPT);
    // Nothing left to do: a second run changes nothing.
    expect(await cleanupSessions(database.db, { batchSize: 2 })).toBe(0);
    expect(await remaining(ids)).toEqual(KEPT);
  });

  it('runs as a task from the task list, and refuses a malformed payload', async () => {
    await database.db.deleteFrom('sessions').execute();
    const ids = await seed();
    const { logger, messages: lines } = capturingLogger();
    const helpers = helpersFor();
    const task = createTaskList({ services: testServices(database, logger), workerId: 'test:1' })[
      SESSION_CLEANUP_TASK
    ]!;
    await task({ _cron: { ts: new Date().toISOString() } }, helpers);
    expect(await remaining(ids)).toEqual(KEPT);
    expect(lines).toContainEqual('job session__cleanup: 3 affected');
    await expect(task({ _cron: { ts: 42 } }, helpers)).rejects.toThrow();
  });

  it('is scheduled daily with a day of backfill and a job key', () => {
    const item = parseCronItems(cronItems).find((i) => i.task === SESSION_CLEANUP_TASK);
    expect(item).toBeDefined();
    expect(item!.options.backfillPeriod).toBe(DAY_MS);
    expect(item!.options.jobKey).toBe(SESSION_CLEANUP_TASK);
    expect(cronItems.find((i) => i.task === SESSION_CLEANUP_TASK)?.match).toBe('15 3 * * *');
  });
});
