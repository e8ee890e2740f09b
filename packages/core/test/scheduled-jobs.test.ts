import { randomBytes } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { notificationParams } from '@medora/schema';
import { sql } from 'kysely';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanupFiles } from '../src/files/cleanup';
import { LocalDiskStorage, newStorageKey, type FileStorage } from '../src/files/storage';
import { NOTIFICATION_DELIVERY_MAX_ATTEMPTS } from '../src/jobs/index';
import { JobMetrics, pruneJobRuns, recordJobRun } from '../src/jobs/runs';
import { warnExpiring } from '../src/subscriptions/warn';
import { rolloverUsage } from '../src/usage/rollover';
import { takeUnit } from '../src/usage/queries';
import { coreServices, type CoreHarness } from './services';

let h: CoreHarness;
beforeAll(async () => {
  h = await coreServices();
});
afterAll(() => h.close());

const DAY = 86_400_000;
const silent = pino({ level: 'silent' });

/** A doctor whose access ends exactly at `end` (an active period, or a trial). */
async function endingAt(end: Date, subscription: 'active' | 'trialing' = 'active') {
  const doctor = await h.make.doctor({ subscription });
  await h.t.db
    .updateTable('workspaces')
    .set(subscription === 'active' ? { current_period_end: end } : { trial_ends_at: end })
    .where('id', '=', doctor.workspaceId)
    .execute();
  return doctor;
}

const warningsOf = (userId: string) =>
  h.t.db
    .selectFrom('notifications')
    .select(['kind', 'params', 'dedupe_key'])
    .where('user_id', '=', userId)
    .where('kind', '=', 'subscription_expiring')
    .orderBy('created_at')
    .execute();

/** Delivery jobs for these notifications, enqueued as notify() would (same attempts). */
const deliveryJobsFor = async (ids: string[]) => {
  const { rows } = await sql<{ n: number }>`
    select count(*)::int as n from graphile_worker._private_jobs j
    join graphile_worker._private_tasks t on t.id = j.task_id
    where t.identifier = 'notification__deliver'
      and j.payload->>'notificationId' = any(${ids}::text[])
      and j.max_attempts = ${NOTIFICATION_DELIVERY_MAX_ATTEMPTS}`.execute(h.t.db);
  return rows[0]!.n;
};

describe('warnExpiring', () => {
  // Far from the factories' own end dates, so only this file's workspaces are in the windows.
  const END = new Date('2031-03-10T04:00:00.000Z');

  it('sends the 3-day and the 1-day warning once each, however often it runs', async () => {
    const doctor = await endingAt(END);
    // 2.5 days left: the 3-day warning; a second run that morning and the next day add nothing.
    await warnExpiring(h.t.db, new Date(END.getTime() - 2.5 * DAY));
    await warnExpiring(h.t.db, new Date(END.getTime() - 2.5 * DAY));
    await warnExpiring(h.t.db, new Date(END.getTime() - 1.5 * DAY));
    expect((await warningsOf(doctor.userId)).map((n) => n.params)).toEqual([
      { endsAt: END.toISOString(), daysLeft: 3 },
    ]);
    // 0.9 days left: the 1-day warning, once.
    await warnExpiring(h.t.db, new Date(END.getTime() - 0.9 * DAY));
    await warnExpiring(h.t.db, new Date(END.getTime() - 0.5 * DAY));
    const notes = await warningsOf(doctor.userId);
    expect(notes.map((n) => n.params)).toEqual([
      { endsAt: END.toISOString(), daysLeft: 3 },
      { endsAt: END.toISOString(), daysLeft: 1 },
    ]);
    // The set-based statement writes exactly what notify() accepts for this kind.
    for (const n of notes) notificationParams.subscription_expiring.parse(n.params);
    expect(notes.map((n) => n.dedupe_key)).toEqual([
      `subscription_expiring:${doctor.workspaceId}:${END.getTime()}:3`,
      `subscription_expiring:${doctor.workspaceId}:${END.getTime()}:1`,
    ]);
    // Each notification has its delivery job, enqueued once.
    const ids = (
      await h.t.db
        .selectFrom('notifications')
        .select('id')
        .where('user_id', '=', doctor.userId)
        .execute()
    ).map((r) => r.id);
    expect(await deliveryJobsFor(ids)).toBe(2);
  });

  it('a late first run half a day before the end sends the 1-day warning only', async () => {
    const end = new Date(END.getTime() + 3_600_000);
    const doctor = await endingAt(end, 'trialing');
    await warnExpiring(h.t.db, new Date(end.getTime() - 0.5 * DAY));
    expect((await warningsOf(doctor.userId)).map((n) => n.params)).toEqual([
      { endsAt: end.toISOString(), daysLeft: 1 },
    ]);
  });

  it('warns nobody outside the windows, after the end, or when not trialing/active', async () => {
    const far = await endingAt(new Date(END.getTime() + 10 * DAY));
    const expired = await endingAt(END);
    await h.t.db
      .updateTable('workspaces')
      .set({ subscription_status: 'expired' })
      .where('id', '=', expired.workspaceId)
      .execute();
    // 3.5 days before `far`'s end: outside its window; half a day before END: `expired` is out.
    await warnExpiring(h.t.db, new Date(END.getTime() + 6.5 * DAY));
    await warnExpiring(h.t.db, new Date(END.getTime() - DAY / 2));
    expect(await warningsOf(far.userId)).toEqual([]);
    expect(await warningsOf(expired.userId)).toEqual([]);
    const ended = await endingAt(END);
    await warnExpiring(h.t.db, new Date(END.getTime() + 1));
    expect(await warningsOf(ended.userId)).toEqual([]);
  });

  it('a new end (a payment) starts the warnings over', async () => {
    const end = new Date(END.getTime() + 2 * 3_600_000);
    const doctor = await endingAt(end);
    await warnExpiring(h.t.db, new Date(end.getTime() - 2 * DAY));
    const later = new Date(end.getTime() + 30 * DAY);
    await h.t.db
      .updateTable('workspaces')
      .set({ current_period_end: later })
      .where('id', '=', doctor.workspaceId)
      .execute();
    await warnExpiring(h.t.db, new Date(later.getTime() - 2 * DAY));
    expect((await warningsOf(doctor.userId)).map((n) => n.params)).toEqual([
      { endsAt: end.toISOString(), daysLeft: 3 },
      { endsAt: later.toISOString(), daysLeft: 3 },
    ]);
  });
});

describe('warnExpiring by Tashkent calendar day', () => {
  /** An instant on the Tashkent wall clock (UTC+5 all year), e.g. tk('2031-06-10 09:00'). */
  const tk = (local: string) => new Date(`${local.replace(' ', 'T')}:00+05:00`);
  /** The scheduled run: 09:00 Tashkent on that day (04:00 UTC, `0 4 * * *`). */
  const runOn = (day: string) => tk(`${day} 09:00`);
  const windowsOf = async (userId: string) =>
    (await warningsOf(userId)).map((n) => (n.params as { daysLeft: number }).daysLeft);

  it('warns 3 days and 1 day before the end day, whatever the end time, once each', async () => {
    // Both end on 13 June: one after the 09:00 run time (73 hours after the run of the 10th), one
    // before it (71 hours). Counting hours would warn the first one 2 days ahead and on its last day.
    const late = tk('2031-06-13 10:00');
    const early = tk('2031-06-13 08:00');
    const lateDoctor = await endingAt(late);
    const earlyDoctor = await endingAt(early, 'trialing');
    const expected: Record<string, number[]> = {
      '2031-06-09': [],
      '2031-06-10': [3], // 3 calendar days left
      '2031-06-11': [3], // 2 days left: the 3-day warning was sent, nothing new
      '2031-06-12': [3, 1], // the day before the end day
      '2031-06-13': [3, 1], // the end day: nothing new (and `early` has already ended)
      '2031-06-14': [3, 1],
    };
    for (const [day, windows] of Object.entries(expected)) {
      await warnExpiring(h.t.db, runOn(day));
      expect(await windowsOf(lateDoctor.userId), `${day} late`).toEqual(windows);
      expect(await windowsOf(earlyDoctor.userId), `${day} early`).toEqual(windows);
      // Every run again (a retry, or an on-demand run the same day): nothing twice.
      await warnExpiring(h.t.db, runOn(day));
      await warnExpiring(h.t.db, tk(`${day} 23:00`));
      expect(await windowsOf(lateDoctor.userId), `${day} late, re-run`).toEqual(windows);
      expect(await windowsOf(earlyDoctor.userId), `${day} early, re-run`).toEqual(windows);
    }
    expect((await warningsOf(lateDoctor.userId)).map((n) => n.params)).toEqual([
      { endsAt: late.toISOString(), daysLeft: 3 },
      { endsAt: late.toISOString(), daysLeft: 1 },
    ]);
    expect((await warningsOf(earlyDoctor.userId)).map((n) => n.dedupe_key)).toEqual([
      `subscription_expiring:${earlyDoctor.workspaceId}:${early.getTime()}:3`,
      `subscription_expiring:${earlyDoctor.workspaceId}:${early.getTime()}:1`,
    ]);
  });

  it('a missed run catches up: the 3-day warning 2 days out, the 1-day one on the end day', async () => {
    const end = tk('2031-06-23 10:00');
    const doctor = await endingAt(end);
    // The run of the 20th (3 days left) never happened: the 21st sends the 3-day warning.
    await warnExpiring(h.t.db, runOn('2031-06-21'));
    expect(await windowsOf(doctor.userId)).toEqual([3]);
    // Nor did the run of the 22nd: the end day's run, an hour before the end, sends the 1-day one.
    await warnExpiring(h.t.db, runOn('2031-06-23'));
    await warnExpiring(h.t.db, runOn('2031-06-23'));
    expect(await windowsOf(doctor.userId)).toEqual([3, 1]);

    // First seen the day before its end day: the 1-day warning only, never the 3-day one.
    const other = await endingAt(tk('2031-06-23 20:00'));
    await warnExpiring(h.t.db, runOn('2031-06-22'));
    await warnExpiring(h.t.db, runOn('2031-06-23'));
    expect(await windowsOf(other.userId)).toEqual([1]);
  });

  it('counts calendar days at the edges of the day and of the scan', async () => {
    // 00:01 on the 10th to 23:59 on the 13th: 3 days 23 hours 58 minutes, still 3 calendar days.
    const edge = await endingAt(tk('2031-07-13 23:59'));
    await warnExpiring(h.t.db, tk('2031-07-10 00:01'));
    expect(await windowsOf(edge.userId)).toEqual([3]);
    // 00:01 on the 12th: almost 2 days left, but the end is tomorrow: the 1-day warning.
    await warnExpiring(h.t.db, tk('2031-07-12 00:01'));
    expect(await windowsOf(edge.userId)).toEqual([3, 1]);
    // 23:59 on the 9th to 00:01 on the 13th: 3 days and 2 minutes, but 4 calendar days.
    const notYet = await endingAt(tk('2031-07-13 00:01'));
    await warnExpiring(h.t.db, tk('2031-07-08 23:59'));
    await warnExpiring(h.t.db, tk('2031-07-09 23:59'));
    expect(await windowsOf(notYet.userId)).toEqual([]);
    // 23:59 on the 11th: 24 hours and 2 minutes, 2 calendar days: the (missed) 3-day warning.
    await warnExpiring(h.t.db, tk('2031-07-11 23:59'));
    expect(await windowsOf(notYet.userId)).toEqual([3]);
    // 23:59 on the 12th, 2 minutes before the end: the 1-day warning.
    await warnExpiring(h.t.db, tk('2031-07-12 23:59'));
    expect(await windowsOf(notYet.userId)).toEqual([3, 1]);
  });
});

describe('usage rollover at the Tashkent month boundary', () => {
  // 1 December 2026, 00:00:00 in Tashkent (UTC+5).
  const MIDNIGHT = new Date('2026-11-30T19:00:00.000Z');
  const BEFORE = new Date(MIDNIGHT.getTime() - 1000); // 30 November, 23:59:59 local

  it('takeUnit at 23:59:59 and at 00:00:00 local lands in different periods', async () => {
    const doctor = await h.make.doctor();
    const scope = { workspaceId: doctor.workspaceId };
    const late = await h.t.db.transaction().execute((trx) => takeUnit(trx, scope, 5, BEFORE));
    const early = await h.t.db.transaction().execute((trx) => takeUnit(trx, scope, 5, MIDNIGHT));
    expect(late).toMatchObject({ used: 1, periodStart: '2026-11-01' });
    expect(late!.resetsAt).toEqual(MIDNIGHT);
    expect(early).toMatchObject({ used: 1, periodStart: '2026-12-01' });
  });

  it('closes every past month once, catches up after downtime, and never the current one', async () => {
    const doctor = await h.make.doctor();
    await h.t.db
      .insertInto('usage_counters')
      .values(
        ['2026-09-01', '2026-10-01', '2026-11-01', '2026-12-01'].map((period) => ({
          workspace_id: doctor.workspaceId,
          period_start: period,
          analyses_used: 3,
        })),
      )
      .execute();
    const closed = async () =>
      (
        await h.t.db
          .selectFrom('usage_counters')
          .select(['period_start', 'closed_at', 'analyses_used'])
          .where('workspace_id', '=', doctor.workspaceId)
          .orderBy('period_start')
          .execute()
      ).map((r) => [String(r.period_start), r.closed_at?.toISOString() ?? null, r.analyses_used]);

    // 23:59:59 on 30 November: September and October close at once (a missed run caught up).
    expect(await rolloverUsage(h.t.db, BEFORE)).toBeGreaterThanOrEqual(2);
    const first = BEFORE.toISOString();
    expect((await closed()).map((r) => r[1])).toEqual([first, first, null, null]);
    // 00:00:00 on 1 December: November closes; December stays open.
    await rolloverUsage(h.t.db, MIDNIGHT);
    expect((await closed()).map((r) => r[1])).toEqual([first, first, MIDNIGHT.toISOString(), null]);
    // A re-run changes nothing; the counts are never touched.
    expect(await rolloverUsage(h.t.db, new Date(MIDNIGHT.getTime() + 60_000))).toBe(0);
    expect((await closed()).map((r) => r[1])).toEqual([first, first, MIDNIGHT.toISOString(), null]);
    expect((await closed()).map((r) => r[2])).toEqual([3, 3, 3, 3]);
  });
});

describe('cleanupFiles', () => {
  let root: string;
  let storage: LocalDiskStorage;
  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'medora-cleanup-'));
    storage = new LocalDiskStorage(root);
  });

  /** A stored file (bytes on disk) uploaded `hoursAgo` ago. */
  async function stored(
    doctor: { userId: string; workspaceId: string },
    opts: { hoursAgo: number; purpose?: 'attachment' | 'receipt'; patientId?: string },
  ) {
    const key = newStorageKey();
    const staged = path.join(root, `${key}.tmp`);
    await writeFile(staged, randomBytes(64));
    await storage.save(key, staged);
    const row = await h.t.db
      .insertInto('files')
      .values({
        workspace_id: doctor.workspaceId,
        uploaded_by: doctor.userId,
        purpose: opts.purpose ?? 'attachment',
        patient_id: opts.patientId ?? null,
        name: 'scan.pdf',
        mime: 'application/pdf',
        size: 64,
        sha256: 'a'.repeat(64),
        storage_key: key,
        created_at: new Date(Date.now() - opts.hoursAgo * 3_600_000),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { id: row.id, key };
  }

  const rowExists = async (id: string) =>
    Boolean(await h.t.db.selectFrom('files').select('id').where('id', '=', id).executeTakeFirst());
  const bytesExist = (key: string) =>
    storage.open(key).then(
      ({ stream }) => (stream.destroy(), true),
      () => false,
    );

  it('deletes only old unattached files, rows then bytes; a crash half-way and a re-run change nothing twice', async () => {
    const doctor = await h.make.doctor();
    const patient = await h.make.patient(doctor);
    const plan = await h.t.db
      .selectFrom('plans')
      .select(['id', 'price_tiyin'])
      .where('code', '=', 'doctor_monthly')
      .executeTakeFirstOrThrow();
    const orphans = [
      await stored(doctor, { hoursAgo: 25 }),
      await stored(doctor, { hoursAgo: 30, purpose: 'receipt' }),
      await stored(doctor, { hoursAgo: 48 }),
    ];
    const attached = await stored(doctor, { hoursAgo: 48, patientId: patient.id });
    const receipt = await stored(doctor, { hoursAgo: 48, purpose: 'receipt' });
    await h.t.db
      .insertInto('payments')
      .values({
        workspace_id: doctor.workspaceId,
        plan_id: plan.id,
        amount_tiyin: plan.price_tiyin,
        receipt_file_id: receipt.id,
      })
      .execute();
    const fresh = await stored(doctor, { hoursAgo: 23 });

    // The storage fails once on the first object: the run fails, after the rows are gone.
    const removed: string[] = [];
    let failNext = true;
    const flaky: FileStorage = Object.assign(Object.create(storage) as FileStorage, {
      remove: async (key: string) => {
        if (failNext) {
          failNext = false;
          throw new Error('disk unavailable');
        }
        removed.push(key);
        await storage.remove(key);
      },
    });
    const deps = { db: h.t.db, storage: flaky, logger: silent };
    await expect(cleanupFiles(deps, { batchSize: 2 })).rejects.toThrow(
      /3 files deleted, 1 stored objects not removed/,
    );
    for (const f of orphans) expect(await rowExists(f.id)).toBe(false);
    // Every other object went, once; the failed one is an orphan (no row points at it).
    expect(removed).toHaveLength(2);
    const orphanBytes = orphans.filter((f) => !removed.includes(f.key));
    expect(orphanBytes).toHaveLength(1);
    expect(await bytesExist(orphanBytes[0]!.key)).toBe(true);

    // The re-run finds nothing more to do.
    expect(await cleanupFiles(deps, { batchSize: 2 })).toEqual({
      deleted: 0,
      removed: 0,
      orphaned: 0,
    });
    expect(removed).toHaveLength(2);
    for (const f of [attached, receipt, fresh]) {
      expect(await rowExists(f.id)).toBe(true);
      expect(await bytesExist(f.key)).toBe(true);
    }
    // One system audit row per deleting batch (two of two and one of one), none for the re-run.
    const audits = await h.t.db
      .selectFrom('audit_log')
      .select(['actor_role', 'meta'])
      .where('action', '=', 'file.cleanup')
      .orderBy('id')
      .execute();
    expect(audits).toEqual([
      { actor_role: 'system', meta: { deleted: 2 } },
      { actor_role: 'system', meta: { deleted: 1 } },
    ]);
    // The stored bytes really are gone from disk for the removed ones.
    for (const key of removed) expect(await bytesExist(key)).toBe(false);
  });
});

describe('recordJobRun', () => {
  const deps = () => ({ db: h.t.db, logger: silent, jobMetrics: new JobMetrics() });
  const runsOf = (task: string) =>
    h.t.db
      .selectFrom('job_runs')
      .select(['job_id', 'outcome', 'affected', 'error', 'meta'])
      .where('task', '=', task)
      .orderBy('id')
      .execute();

  it('records a success and a failure (error truncated), counts both, and rethrows the failure', async () => {
    const d = deps();
    await recordJobRun(d, 'test__record', '41', () =>
      Promise.resolve({ affected: 7, meta: { n: 1 } }),
    );
    await expect(
      recordJobRun(d, 'test__record', '42', () => Promise.reject(new Error('x'.repeat(900)))),
    ).rejects.toThrow('x'.repeat(900));
    expect(await runsOf('test__record')).toEqual([
      { job_id: '41', outcome: 'success', affected: 7, error: null, meta: { n: 1 } },
      { job_id: '42', outcome: 'failure', affected: null, error: 'x'.repeat(500), meta: {} },
    ]);
    const text = await d.jobMetrics.registry.metrics();
    expect(text).toContain('medora_job_runs_total{task="test__record",outcome="success"} 1');
    expect(text).toContain('medora_job_runs_total{task="test__record",outcome="failure"} 1');
    expect(text).toContain(
      'medora_job_run_duration_seconds_count{task="test__record",outcome="success"} 1',
    );
  });

  it('prunes runs older than 90 days', async () => {
    const at = (daysAgo: number) => new Date(Date.now() - daysAgo * DAY);
    await h.t.db
      .insertInto('job_runs')
      .values(
        [91, 89].map((d) => ({
          task: 'test__prune',
          started_at: at(d),
          finished_at: at(d),
          outcome: 'success' as const,
        })),
      )
      .execute();
    expect(await pruneJobRuns(h.t.db)).toBeGreaterThanOrEqual(1);
    expect((await runsOf('test__prune')).length).toBe(1);
  });
});
