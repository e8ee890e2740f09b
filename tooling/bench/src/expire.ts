/**
 * subscription__expire at scale: 1,000,000 workspaces, 100,000 of them due.
 *
 *   npm run bench:expire -w @medora/bench                          # full size
 *   BENCH_WORKSPACES=100000 BENCH_DUE=10000 npm run bench:expire -w @medora/bench   # smoke
 *
 * On DATABASE_URL's server it creates a scratch database (`medora_bench_expire_<pid>`), migrates
 * it (ours and Graphile Worker's, since each expiry enqueues a notification delivery), fills it
 * with `insert … select generate_series` (users, personal workspaces, owner memberships: what
 * the statement reads and joins), then:
 *
 * 1. EXPLAINs the statement's "due" scan: it must use workspaces_access_due_idx, not a scan.
 * 2. Times expireSubscriptions with BENCH_DUE_SMALL (1,000) due on the 1,000,000-row table.
 * 3. Times it again two hours later (`now` is the statement's parameter), when BENCH_DUE
 *    (100,000) more are due: target < 10 s, and the cost follows the number due (target: the
 *    small run at least 10× faster than this one, on the same table).
 * 4. Times a run with nothing due: the index answers at once whatever the table size.
 *
 * Prints a JSON summary; exits 1 when a target is missed. The database is dropped at the end.
 */
import { expireSubscriptions } from '@medora/core';
import type { Db } from './lib/db';
import { scratchDatabase } from './lib/db';
import { log as logFor, onCleanup, runMain } from './lib/process';
import { row, writeResult } from './lib/result';
import { runMigrations } from 'graphile-worker';
import { sql } from 'kysely';

const TARGETS = { dueRunMs: 10_000, smallSpeedup: 10 };

const WORKSPACES = Number(process.env.BENCH_WORKSPACES ?? 1_000_000);
const DUE = Number(process.env.BENCH_DUE ?? 100_000);
const DUE_SMALL = Number(process.env.BENCH_DUE_SMALL ?? 1_000);

const log = logFor('expire');

async function main(): Promise<number> {
  const { db, pool } = await scratchDatabase('expire', { poolMax: 2 });
  let dropping = false;
  // Runs before the drop (registered after it): from then on the pool's errors are expected.
  onCleanup('quiet pool', () => (dropping = true));
  // Graphile checks the pool can survive a dropped connection before it migrates.
  pool.on('error', (err) => dropping || log(`pool error: ${err.message}`));
  pool.on('connect', (client) => client.on('error', (err) => log(`client: ${err.message}`)));
  await runMigrations({ pgPool: pool });
  const seedStart = performance.now();
  await seed(db);
  const seedMs = Math.round(performance.now() - seedStart);
  log(`seeded ${WORKSPACES} workspaces in ${seedMs} ms`);

  // The plan of the big run's "due" scan (BENCH_DUE of the table due two hours from now).
  const later = new Date(Date.now() + 2 * 3_600_000);
  const plan = await sql<{ 'QUERY PLAN': string }>`
      explain select id from workspaces
      where subscription_status in ('trialing', 'active') and access_ends_at <= ${later}
      for update skip locked`.execute(db);
  const planText = plan.rows.map((r) => r['QUERY PLAN']).join('\n');
  const usesIndex = planText.includes('workspaces_access_due_idx');

  const timed = async (at?: Date) => {
    const start = performance.now();
    const result = await expireSubscriptions(db, at);
    return { ms: Math.round(performance.now() - start), ...result };
  };
  const small = await timed();
  log(`${small.expired} expired in ${small.ms} ms`);
  const big = await timed(later);
  log(`${big.expired} expired in ${big.ms} ms`);
  const none = await timed(later);
  log(`${none.expired} expired in ${none.ms} ms (nothing due)`);

  const speedup = big.ms / Math.max(small.ms, 1);
  const summary = {
    workspaces: WORKSPACES,
    due: { count: big.expired, notified: big.notified, ms: big.ms },
    dueSmall: { count: small.expired, ms: small.ms },
    nothingDue: { ms: none.ms },
    speedup: Math.round(speedup * 10) / 10,
    usesIndex,
    plan: planText,
    targets: TARGETS,
    met: {
      dueRun: big.ms < TARGETS.dueRunMs && big.expired === DUE,
      smallFaster: speedup >= TARGETS.smallSpeedup && small.expired === DUE_SMALL,
      index: usesIndex,
    },
  };
  console.log(JSON.stringify(summary, null, 2));
  writeResult({
    scenario: 'expire',
    rows: [
      row({
        name: `${big.expired} due of ${WORKSPACES} workspaces`,
        metric: 'duration',
        value: big.ms,
        unit: 'ms',
        budget: { op: '<=', value: TARGETS.dueRunMs },
      }),
      row({ name: `${small.expired} due`, metric: 'duration', value: small.ms, unit: 'ms' }),
      row({ name: 'nothing due', metric: 'duration', value: none.ms, unit: 'ms' }),
      row({
        name: 'cost follows the number due (big run / small run)',
        metric: 'speed-up',
        value: summary.speedup,
        unit: '×',
        budget: { op: '>=', value: TARGETS.smallSpeedup },
      }),
      row({
        name: 'due scan on workspaces_access_due_idx',
        metric: 'plan',
        value: usesIndex ? 1 : 0,
        unit: '(1 = yes)',
        budget: { op: '>=', value: 1 },
      }),
    ],
    notes: [
      `expired ${big.expired} (expected ${DUE}) and ${small.expired} (expected ${DUE_SMALL}); ${big.notified} notified`,
      `seeding took ${seedMs} ms`,
    ],
  });
  return Object.values(summary.met).every(Boolean) ? 0 : 1;
}

/**
 * WORKSPACES doctors with a personal workspace each (and its owner membership): the first
 * DUE_SMALL have a period that ended an hour ago, the next DUE one that ends in an hour, the
 * rest end 1–60 days from now (a tenth of those on trial). Ids are derived from the row number
 * so the three tables join without a lookup.
 */
async function seed(db: Db): Promise<void> {
  const uid = (prefix: string) =>
    sql.raw(`('${prefix}000000-0000-0000-0000-' || lpad(to_hex(g), 12, '0'))::uuid`);
  await sql`
    insert into users (id, phone, name, password_hash, role)
    select ${uid('aa')}, '+998' || lpad(g::text, 9, '0'), 'Bench Doctor ' || g,
      '$argon2id$v=19$m=19456,t=2,p=1$bench$bench', 'doctor'
    from generate_series(1, ${WORKSPACES}::int) g`.execute(db);
  await sql`
    insert into workspaces (id, name, kind, plan_id, subscription_status, trial_ends_at,
      current_period_end)
    select ${uid('bb')}, 'Bench ' || g, 'personal',
      (select id from plans where code = case when g > ${DUE_SMALL + DUE}::int and g % 10 = 0 then 'trial'
        else 'doctor_monthly' end),
      (case when g > ${DUE_SMALL + DUE}::int and g % 10 = 0 then 'trialing' else 'active' end)::subscription_status,
      case when g > ${DUE_SMALL + DUE}::int and g % 10 = 0 then now() + make_interval(days => 1 + g % 7) end,
      case when g <= ${DUE_SMALL}::int then now() - interval '1 hour'
        when g <= ${DUE_SMALL + DUE}::int then now() + interval '1 hour'
        when g % 10 = 0 then null
        else now() + make_interval(days => 1 + g % 60) end
    from generate_series(1, ${WORKSPACES}::int) g`.execute(db);
  await sql`
    insert into workspace_members (workspace_id, user_id, role)
    select ${uid('bb')}, ${uid('aa')}, 'owner' from generate_series(1, ${WORKSPACES}::int) g`.execute(
    db,
  );
  await sql`vacuum (analyze) users, workspaces, workspace_members`.execute(db);
}

runMain(main);
