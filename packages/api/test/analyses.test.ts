import { signInDirectly, type TestDoctor } from '@medora/core/testing';
import { AnalysisService, createServices, loadConfig, type Engine } from '@medora/core';
import type { CreateAnalysisInput } from '@medora/schema';
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createHarness, failure, type Agent, type Harness } from './harness';

// Analyses through the real router on a real database: the one-transaction create (subscription,
// usage unit, row, job), idempotency, the 20-way race for the last unit, the worker's run with
// retries and the refund on final failure, live status, feedback, stats and tenancy.

let h: Harness;
let doctor: TestDoctor;
let a: Agent;
let patientId: string;

async function as(d: TestDoctor): Promise<Agent> {
  const agent = h.agent();
  agent.token = (await signInDirectly(h.services, d)).accessToken;
  return agent;
}

const key = () => randomUUID();
const labs = [
  { code: 'hemoglobin', value: 95, unit: 'g/L' },
  { code: 'mcv', value: 70, unit: 'fL' },
  { code: 'ferritin', value: 6, unit: 'ug/L' },
  { code: 'potassium', value: 6.9, unit: 'mmol/L' },
];
const entry = (over: Partial<CreateAnalysisInput> = {}): CreateAnalysisInput => ({
  patientId,
  complaints: 'Holsizlik, tez charchash, bosh aylanishi.',
  labs,
  idempotencyKey: key(),
  ...over,
});

// Graphile's private tables: the public view does not show payloads.
const jobsFor = async (analysisId: string) =>
  (
    await sql<{ n: number }>`
      select count(*)::int as n from graphile_worker._private_jobs j
      join graphile_worker._private_tasks t on t.id = j.task_id
      where t.identifier = 'analysis__run' and j.payload->>'analysisId' = ${analysisId}
        and j.key = ${`analysis__run:${analysisId}`}`.execute(h.t.db)
  ).rows[0]!.n;
const allJobs = async () =>
  (
    await sql<{ n: number }>`
      select count(*)::int as n from graphile_worker._private_jobs j
      join graphile_worker._private_tasks t on t.id = j.task_id
      where t.identifier = 'analysis__run'`.execute(h.t.db)
  ).rows[0]!.n;
const used = async (workspaceId: string) =>
  (
    await h.t.db
      .selectFrom('usage_counters')
      .select((eb) => eb.fn.sum<number>('analyses_used').as('n'))
      .where('workspace_id', '=', workspaceId)
      .executeTakeFirst()
  )?.n ?? 0;

/** A workspace of its own on a plan with `limit` analyses a month. */
async function doctorWithLimit(limit: number | null): Promise<TestDoctor & { patientId: string }> {
  const d = await h.make.doctor();
  const plan = await h.t.db
    .insertInto('plans')
    .values({
      code: `test_${randomUUID().slice(0, 8)}`,
      name_uz: 'Sinov',
      name_ru: 'Тест',
      name_en: 'Test',
      price_tiyin: 0,
      duration_days: 30,
      max_analyses_per_month: limit,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await h.t.db
    .updateTable('workspaces')
    .set({ plan_id: plan.id })
    .where('id', '=', d.workspaceId)
    .execute();
  const p = await h.make.patient(d);
  return { ...d, patientId: p.id };
}

beforeAll(async () => {
  h = await createHarness();
  doctor = await h.make.doctor({ name: 'Nodira Yusupova', locale: 'ru' });
  a = await as(doctor);
  patientId = (await h.make.patient(doctor)).id;
});
afterAll(async () => {
  await h.services.analyses.events.stop();
  await h.close();
});

describe('analysis.create', () => {
  it('stores a queued analysis with the patient’s sex and age copied in, takes a unit and enqueues its job', async () => {
    const before = await used(doctor.workspaceId);
    const created = await a.caller.analysis.create(
      entry({ patient: { weightKg: 70, heightCm: 175 } }),
    );
    expect(created.status).toBe('queued');
    expect(created.report).toBeNull();
    // The factory's patient: a man born 1980-05-17; the doctor's locale decides the report's.
    expect(created.input.patient).toMatchObject({ sex: 'male', weightKg: 70, heightCm: 175 });
    expect(created.input.patient.ageYears).toBeGreaterThanOrEqual(45);
    expect(created.input.locale).toBe('ru');
    expect(created.createdBy).toEqual({ id: doctor.userId, name: 'Nodira Yusupova' });
    expect(await jobsFor(created.id)).toBe(1);
    expect(await used(doctor.workspaceId)).toBe(Number(before) + 1);
  });

  it('ignores a sex, age or workspace sent with the entries', async () => {
    const created = await a.caller.analysis.create({
      ...entry(),
      patient: { sex: 'female', ageYears: 3 },
      workspaceId: randomUUID(),
    } as unknown as CreateAnalysisInput);
    expect(created.input.patient.sex).toBe('male');
    expect(created.input.patient.ageYears).toBeGreaterThan(18);
  });

  it('answers the same analysis for the same idempotency key and never counts twice', async () => {
    const k = key();
    const first = await a.caller.analysis.create(entry({ idempotencyKey: k }));
    const units = await used(doctor.workspaceId);
    const again = await a.caller.analysis.create(entry({ idempotencyKey: k }));
    expect(again.id).toBe(first.id);
    // Concurrent repeats of one key: one analysis, one unit, one job.
    const k2 = key();
    const racing = await Promise.all(
      Array.from({ length: 5 }, () => a.caller.analysis.create(entry({ idempotencyKey: k2 }))),
    );
    expect(new Set(racing.map((r) => r.id)).size).toBe(1);
    expect(await used(doctor.workspaceId)).toBe(Number(units) + 1);
    expect(await jobsFor(racing[0]!.id)).toBe(1);
  });

  it('with one unit left, exactly one of 20 concurrent creates succeeds', async () => {
    const d = await doctorWithLimit(3);
    const agent = await as(d);
    for (let i = 0; i < 2; i++)
      await agent.caller.analysis.create(entry({ patientId: d.patientId }));
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, () =>
        agent.caller.analysis.create(entry({ patientId: d.patientId })),
      ),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(await used(d.workspaceId)).toBe(3);
    const rows = await h.t.db
      .selectFrom('analyses')
      .select('id')
      .where('workspace_id', '=', d.workspaceId)
      .execute();
    expect(rows).toHaveLength(3);
    const refused = await failure(agent.caller.analysis.create(entry({ patientId: d.patientId })));
    expect(refused).toMatchObject({ code: 'FORBIDDEN', appCode: 'USAGE_LIMIT_REACHED' });
    expect(refused.usage).toMatchObject({ used: 3, limit: 3 });
    // The reset is the start of next month in Tashkent (UTC+5): 19:00 UTC the day before.
    expect(refused.usage!.resetsAt).toMatch(/T19:00:00\.000Z$/);
  });

  it('an unlimited plan never refuses', async () => {
    const d = await doctorWithLimit(null);
    const agent = await as(d);
    for (let i = 0; i < 3; i++)
      await agent.caller.analysis.create(entry({ patientId: d.patientId }));
    expect(await used(d.workspaceId)).toBe(3);
  });

  it('refuses an expired or ended subscription and writes nothing', async () => {
    for (const subscription of ['expired', 'trial_ended'] as const) {
      const d = await h.make.doctor({ subscription });
      const p = await h.make.patient(d);
      const jobs = await allJobs();
      expect(
        await failure((await as(d)).caller.analysis.create(entry({ patientId: p.id }))),
      ).toMatchObject({ code: 'FORBIDDEN', appCode: 'SUBSCRIPTION_INACTIVE' });
      expect(await used(d.workspaceId)).toBe(0);
      expect(await allJobs()).toBe(jobs);
    }
  });

  it('rolls back everything — row, unit and job — when a step fails late', async () => {
    const d = await doctorWithLimit(5);
    const agent = await as(d);
    const foreignFile = randomUUID();
    const jobs = await allJobs();
    expect(
      await failure(
        agent.caller.analysis.create(
          entry({ patientId: d.patientId, attachmentIds: [foreignFile] }),
        ),
      ),
    ).toMatchObject({ code: 'NOT_FOUND' });
    expect(await used(d.workspaceId)).toBe(0);
    expect(await allJobs()).toBe(jobs);
    const rows = await h.t.db
      .selectFrom('analyses')
      .select('id')
      .where('workspace_id', '=', d.workspaceId)
      .execute();
    expect(rows).toEqual([]);
  });

  it('refuses an empty entry and bad values with field errors', async () => {
    expect(
      await failure(a.caller.analysis.create(entry({ complaints: '  ', labs: [] }))),
    ).toMatchObject({
      appCode: 'VALIDATION_FAILED',
      fieldErrors: { complaints: ['analysis.empty'] },
    });
    const bad = await failure(
      a.caller.analysis.create(
        entry({
          idempotencyKey: 'short',
          labs: [{ code: 'Bad Code!', value: -1, unit: 'g/L' }],
          vitals: { systolicBp: 80, diastolicBp: 120 },
        }),
      ),
    );
    expect(bad.fieldErrors).toMatchObject({
      idempotencyKey: ['analysis.idempotency_key_invalid'],
      'labs.0.code': ['lab.code_invalid'],
      'labs.0.value': ['too_short'],
      'vitals.diastolicBp': ['vitals.diastolic_not_below_systolic'],
    });
  });

  it('links the patient’s own attachments, and no other file', async () => {
    const file = await h.t.db
      .insertInto('files')
      .values({
        workspace_id: doctor.workspaceId,
        uploaded_by: doctor.userId,
        purpose: 'attachment',
        patient_id: patientId,
        name: 'qon-tahlili.pdf',
        mime: 'application/pdf',
        size: 1234,
        sha256: 'a'.repeat(64),
        storage_key: randomUUID().replace(/-/g, '').repeat(2),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const created = await a.caller.analysis.create(entry({ attachmentIds: [file.id, file.id] }));
    expect(created.attachments.map((f) => f.name)).toEqual(['qon-tahlili.pdf']);
    // Another patient's file (same workspace) is refused like an unknown one.
    const otherPatient = await h.make.patient(doctor, { firstName: 'Zokir', lastName: 'Boboyev' });
    expect(
      await failure(
        a.caller.analysis.create(entry({ patientId: otherPatient.id, attachmentIds: [file.id] })),
      ),
    ).toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('the worker’s run', () => {
  it('stores the engine’s report and completes; a second run changes nothing', async () => {
    const created = await a.caller.analysis.create(entry());
    await h.services.analyses.run(created.id, { number: 1, max: 5 });
    const done = await a.caller.analysis.get({ id: created.id });
    expect(done.status).toBe('completed');
    expect(done.completedAt).toBeInstanceOf(Date);
    expect(done.report!.locale).toBe('ru');
    const flags = Object.fromEntries(done.report!.labs.map((l) => [l.code, l.flag]));
    expect(flags).toMatchObject({ hemoglobin: 'L', mcv: 'L', ferritin: 'L', potassium: 'HH' });
    expect(done.report!.redFlags.length).toBeGreaterThan(0);
    expect(done.report!.differential.some((c) => c.code.startsWith('D50'))).toBe(true);
    const stored = await h.t.db
      .selectFrom('analyses')
      .select(['engine', 'updated_at'])
      .where('id', '=', created.id)
      .executeTakeFirstOrThrow();
    expect(stored.engine).toMatch(/^rules /);
    await h.services.analyses.run(created.id, { number: 2, max: 5 });
    const again = await h.t.db
      .selectFrom('analyses')
      .select(['updated_at'])
      .where('id', '=', created.id)
      .executeTakeFirstOrThrow();
    expect(again.updated_at).toEqual(stored.updated_at);
  });

  it('throws for a retry while attempts remain, then fails for good and gives the unit back', async () => {
    const d = await doctorWithLimit(5);
    const agent = await as(d);
    const created = await agent.caller.analysis.create(entry({ patientId: d.patientId }));
    expect(await used(d.workspaceId)).toBe(1);
    const broken: Engine = () => {
      throw new Error('knowledge base not loaded');
    };
    const services = h.services;
    const failing = new AnalysisService(
      services.db,
      services.audit,
      services.cache,
      pino({ level: 'silent' }),
      broken,
      services.analyses.events,
    );
    await expect(failing.run(created.id, { number: 1, max: 3 })).rejects.toThrow();
    await expect(failing.run(created.id, { number: 2, max: 3 })).rejects.toThrow();
    expect((await agent.caller.analysis.get({ id: created.id })).status).toBe('running');
    expect(await used(d.workspaceId)).toBe(1);
    await failing.run(created.id, { number: 3, max: 3 });
    const failed = await agent.caller.analysis.get({ id: created.id });
    expect(failed).toMatchObject({
      status: 'failed',
      failureReason: 'analysis.failed',
      report: null,
    });
    expect(await used(d.workspaceId)).toBe(0);
    // Once failed, nothing runs or refunds again.
    await failing.run(created.id, { number: 3, max: 3 });
    await h.services.analyses.run(created.id, { number: 1, max: 5 });
    expect(await used(d.workspaceId)).toBe(0);
    expect((await agent.caller.analysis.get({ id: created.id })).status).toBe('failed');
    const audit = await h.t.db
      .selectFrom('audit_log')
      .select(['action', 'outcome', 'actor_role'])
      .where('entity_id', '=', created.id)
      .where('action', '=', 'analysis.fail')
      .execute();
    expect(audit).toEqual([{ action: 'analysis.fail', outcome: 'failure', actor_role: 'system' }]);
    // Every step of the way: created, started three times, failed once; the doctor's views.
    const steps = await h.t.db
      .selectFrom('audit_log')
      .select('action')
      .where('entity_id', '=', created.id)
      .orderBy('id')
      .execute();
    expect(steps.map((r) => r.action)).toEqual([
      'analysis.create',
      'analysis.start',
      'analysis.start',
      'analysis.view',
      'analysis.start',
      'analysis.fail',
      'analysis.view',
      'analysis.view',
    ]);
  });
  it('rules only: one commit stores the report with its start and completion, attempt by attempt', async () => {
    const d = await doctorWithLimit(5);
    const agent = await as(d);
    const created = await agent.caller.analysis.create(entry({ patientId: d.patientId }));
    await h.services.analyses.run(created.id, { number: 2, max: 5 });
    const row = await h.t.db
      .selectFrom('analyses')
      .select(['status', 'started_at', 'completed_at'])
      .where('id', '=', created.id)
      .executeTakeFirstOrThrow();
    expect(row.status).toBe('completed');
    expect(row.started_at).toBeInstanceOf(Date);
    expect(row.completed_at!.getTime()).toBeGreaterThanOrEqual(row.started_at!.getTime());
    const trail = await h.t.db
      .selectFrom('audit_log')
      .select(['action', 'outcome', 'actor_role', 'workspace_id', 'meta', 'at'])
      .where('entity_id', '=', created.id)
      .where('action', 'like', 'analysis.%')
      .orderBy('id')
      .execute();
    // now() is the transaction's start: one transaction wrote the start, the completion and
    // started_at, or these would differ.
    expect(trail.slice(1).map((r) => r.at)).toEqual([row.started_at, row.started_at]);
    expect(trail.slice(1).map(({ at: _, ...r }) => r)).toEqual([
      {
        action: 'analysis.start',
        outcome: 'success',
        actor_role: 'system',
        workspace_id: d.workspaceId,
        meta: { attempt: 2 },
      },
      {
        action: 'analysis.complete',
        outcome: 'success',
        actor_role: 'system',
        workspace_id: d.workspaceId,
        meta: { attempt: 2, enriched: false },
      },
    ]);
    expect(await used(d.workspaceId)).toBe(1);
  });

  it('a failure inside the run’s transaction commits none of it: retryable, unit kept', async () => {
    const d = await doctorWithLimit(5);
    const agent = await as(d);
    const created = await agent.caller.analysis.create(entry({ patientId: d.patientId }));
    const services = h.services;
    // The report is written, then its audit rows fail: the report must roll back with them.
    const recordAll = services.audit.recordAll.bind(services.audit);
    const broken = vi
      .spyOn(services.audit, 'recordAll')
      .mockImplementation((actor, entries, executor) =>
        entries.some((e) => e.action === 'analysis.complete')
          ? Promise.reject(new Error('audit_log unavailable'))
          : recordAll(actor, entries, executor),
      );
    const failing = services.analyses;
    await expect(failing.run(created.id, { number: 1, max: 5 })).rejects.toThrow(
      'audit_log unavailable',
    );
    broken.mockRestore();
    const after = await h.t.db
      .selectFrom('analyses')
      .select(['status', 'report', 'completed_at', 'engine'])
      .where('id', '=', created.id)
      .executeTakeFirstOrThrow();
    // Recorded as a started attempt, as a run in steps leaves it; nothing of the report.
    expect(after).toEqual({ status: 'running', report: null, completed_at: null, engine: null });
    expect(await used(d.workspaceId)).toBe(1);
    await services.analyses.run(created.id, { number: 2, max: 5 });
    expect((await agent.caller.analysis.get({ id: created.id })).status).toBe('completed');
    const trail = await h.t.db
      .selectFrom('audit_log')
      .select(['action', 'meta'])
      .where('entity_id', '=', created.id)
      .where('action', 'in', ['analysis.start', 'analysis.complete'])
      .orderBy('id')
      .execute();
    expect(trail).toEqual([
      { action: 'analysis.start', meta: { attempt: 1 } },
      { action: 'analysis.start', meta: { attempt: 2 } },
      { action: 'analysis.complete', meta: { attempt: 2, enriched: false } },
    ]);
    expect(await used(d.workspaceId)).toBe(1);
  });
});

describe('analysis.onStatus', () => {
  it('streams the status now, then each change until the report is stored', async () => {
    const created = await a.caller.analysis.create(entry());
    const stream = await a.caller.analysis.onStatus({ id: created.id });
    const seen: string[] = [];
    const reading = (async () => {
      for await (const event of stream) seen.push(event.status);
    })();
    // The first frame arrives before the worker starts.
    await expect.poll(() => seen).toEqual(['queued']);
    await h.services.analyses.run(created.id, { number: 1, max: 5 });
    await reading;
    // Rules only, the run is one commit: there is no running in between to show.
    expect(seen).toEqual(['queued', 'completed']);
  });

  it('ends at once for a finished analysis and refuses another workspace’s', async () => {
    const created = await a.caller.analysis.create(entry());
    await h.services.analyses.run(created.id, { number: 1, max: 5 });
    const seen: string[] = [];
    for await (const e of await a.caller.analysis.onStatus({ id: created.id })) seen.push(e.status);
    expect(seen).toEqual(['completed']);
    const b = await as(await h.make.doctor());
    const stream = await b.caller.analysis.onStatus({ id: created.id });
    await expect(
      (async () => {
        for await (const _ of stream) void _;
      })(),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('reading analyses', () => {
  it('lists the workspace’s analyses with patient and author names, newest first, by cursor', async () => {
    const d = await doctorWithLimit(null);
    const agent = await as(d);
    const other = await h.make.patient(d, { firstName: 'Gulnora', lastName: 'Rahimova' });
    const ids: string[] = [];
    for (const p of [d.patientId, other.id, d.patientId])
      ids.push((await agent.caller.analysis.create(entry({ patientId: p }))).id);
    await h.services.analyses.run(ids[2]!, { number: 1, max: 5 });
    const first = await agent.caller.analysis.list({ limit: 2 });
    expect(first.items.map((i) => i.id)).toEqual([ids[2], ids[1]]);
    expect(first.items[0]).toMatchObject({
      status: 'completed',
      patient: { firstName: 'Alisher', lastName: 'Shukurov' },
      createdBy: { id: d.userId },
      labs: 4,
    });
    expect(first.items[0]!.topCondition).not.toBeNull();
    expect(first.items[0]!.redFlags).toBeGreaterThan(0);
    expect(first.items[1]).toMatchObject({ status: 'queued', topCondition: null, redFlags: 0 });
    const second = await agent.caller.analysis.list({ limit: 2, cursor: first.nextCursor! });
    expect(second.items.map((i) => i.id)).toEqual([ids[0]]);
    expect(second.nextCursor).toBeNull();
    const ofPatient = await agent.caller.analysis.list({ patientId: other.id });
    expect(ofPatient.items.map((i) => i.id)).toEqual([ids[1]]);
  });

  it('keeps every analysis, list and stream of one workspace from another', async () => {
    const created = await a.caller.analysis.create(entry());
    const b = await as(await h.make.doctor());
    for (const call of [
      () => b.caller.analysis.get({ id: created.id }),
      () => b.caller.analysis.status({ id: created.id }),
      () => b.caller.analysis.list({ patientId }),
      () =>
        b.caller.analysis.feedback({
          id: created.id,
          conditionCode: 'D50',
          verdict: 'more_likely',
        }),
      () => b.caller.analysis.create(entry()),
    ])
      expect(await failure(call())).toMatchObject({ code: 'NOT_FOUND', appCode: 'NOT_FOUND' });
    expect((await b.caller.analysis.list({})).items).toEqual([]);
    expect((await b.caller.analysis.stats()).total).toBe(0);
  });

  it('feedback is one verdict per doctor and condition, replaced when sent again', async () => {
    const created = await a.caller.analysis.create(entry());
    await h.services.analyses.run(created.id, { number: 1, max: 5 });
    const code = (await a.caller.analysis.get({ id: created.id })).report!.differential[0]!.code;
    await a.caller.analysis.feedback({
      id: created.id,
      conditionCode: code,
      verdict: 'more_likely',
    });
    const after = await a.caller.analysis.feedback({
      id: created.id,
      conditionCode: code,
      verdict: 'needs_review',
      comment: '  Ferritin qayta tekshirilsin  ',
    });
    expect(after.feedback).toEqual([
      expect.objectContaining({
        conditionCode: code,
        verdict: 'needs_review',
        comment: 'Ferritin qayta tekshirilsin',
      }),
    ]);
    expect(
      await failure(
        a.caller.analysis.feedback({
          id: created.id,
          conditionCode: 'J18',
          verdict: 'less_likely',
        }),
      ),
    ).toMatchObject({ fieldErrors: { conditionCode: ['analysis.condition_not_in_report'] } });
  });

  it('stats: totals, this month, usage and top conditions; cached, and fresh after a completion', async () => {
    const d = await doctorWithLimit(10);
    const agent = await as(d);
    const one = await agent.caller.analysis.create(entry({ patientId: d.patientId }));
    await h.services.analyses.events.ready();
    await h.services.analyses.run(one.id, { number: 1, max: 5 });
    await expect
      .poll(async () => (await agent.caller.analysis.stats()).topConditions.length)
      .toBeGreaterThan(0);
    const stats = await agent.caller.analysis.stats();
    expect(stats).toMatchObject({ total: 1, thisMonth: 1, usage: { used: 1, limit: 10 } });
    // A new analysis is counted in usage at once; the cached totals wait for a completion.
    const two = await agent.caller.analysis.create(entry({ patientId: d.patientId }));
    expect(await agent.caller.analysis.stats()).toMatchObject({ total: 1, usage: { used: 2 } });
    await h.services.analyses.run(two.id, { number: 1, max: 5 });
    await expect.poll(async () => (await agent.caller.analysis.stats()).total).toBe(2);
  });
});

describe('language-model enrichment', () => {
  /** A local server speaking the OpenAI chat-completions protocol with a chosen answer. */
  async function provider(answer: (body: string) => { status: number; body: string }) {
    const bodies: string[] = [];
    const server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        bodies.push(body);
        const a = answer(body);
        res.writeHead(a.status, { 'content-type': 'application/json' }).end(a.body);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    return { url: `http://127.0.0.1:${port}/v1`, bodies, close: () => server.close() };
  }
  const completion = (content: unknown) =>
    JSON.stringify({
      choices: [{ message: { role: 'assistant', content: JSON.stringify(content) } }],
    });

  async function runWith(url: string) {
    const config = loadConfig({
      NODE_ENV: 'test',
      TOKEN_SECRET: 'test-secret-that-is-long-enough-for-hs256-0123456789',
      DATABASE_URL: h.t.url,
      LLM_PROVIDER: 'openai-compatible',
      LLM_BASE_URL: url,
      LLM_API_KEY: 'sk-test',
      LLM_MODEL: 'test-model',
      LLM_TIMEOUT_MS: '1000',
    });
    const services = createServices({ config, db: h.t.db, logger: pino({ level: 'silent' }) });
    const created = await a.caller.analysis.create(entry());
    await services.analyses.run(created.id, { number: 1, max: 5 });
    await services.analyses.events.stop();
    return a.caller.analysis.get({ id: created.id });
  }

  it('adds the model’s narrative and hypotheses beside the rules report, sending no identity', async () => {
    const llm = await provider(() => ({
      status: 200,
      body: completion({
        narrative: 'Temir tanqisligi anemiyasi ehtimoli yuqori.',
        hypotheses: [{ code: 'K92.2', name: 'Yashirin qon ketish', rationale: 'Ferritin past' }],
      }),
    }));
    try {
      const done = await runWith(llm.url);
      expect(done.status).toBe('completed');
      expect(done.enrichment).toMatchObject({
        provider: 'openai-compatible',
        model: 'test-model',
        narrative: 'Temir tanqisligi anemiyasi ehtimoli yuqori.',
      });
      expect(done.enrichmentFailure).toBeNull();
      // The rules decide flags and red flags whatever the model says.
      expect(done.report!.labs.find((l) => l.code === 'potassium')!.flag).toBe('HH');
      // The factory's patient: neither the name nor the birth date leaves the server.
      expect(llm.bodies.join('')).not.toMatch(/Shukurov|Alisher|1980-05-17/);
      // A hypothesis of the model can take feedback like the rules' conditions.
      const fb = await a.caller.analysis.feedback({
        id: done.id,
        conditionCode: 'K92.2',
        verdict: 'needs_review',
      });
      expect(fb.feedback.map((f) => f.conditionCode)).toEqual(['K92.2']);
    } finally {
      llm.close();
    }
  });

  it('keeps the rules report, with a note, when the model errs or answers nonsense', async () => {
    for (const [answer, failure] of [
      [{ status: 500, body: '{"error":"overloaded"}' }, 'error'],
      [{ status: 200, body: completion({ narrative: 42 }) }, 'invalid_answer'],
    ] as const) {
      const llm = await provider(() => answer);
      try {
        const done = await runWith(llm.url);
        expect(done).toMatchObject({
          status: 'completed',
          enrichment: null,
          enrichmentFailure: failure,
        });
        expect(done.report!.differential.length).toBeGreaterThan(0);
      } finally {
        llm.close();
      }
    }
  });
});
