/**
 * Load benchmark for the patients list and for file uploads, at scale, over real HTTP:
 *
 *   npm run bench:patients -w @medora/bench
 *   DATABASE_URL=postgres://… BENCH_PATIENTS=5000 BENCH_SECONDS=3 npm run bench:patients -w @medora/bench
 *
 * On DATABASE_URL's server it creates a scratch database (`medora_bench_patients_<pid>`), migrates
 * it and fills it from a seed: one doctor with BENCH_PATIENTS (100,000) patients and BENCH_WORKSPACES
 * (1,000) other doctors with 100 patients each, so the tenant filter has rows to skip. The server
 * runs as its own process (as in production) so the load generator does not share its event loop.
 *
 * Measured: `patient.list` (page 1, a name search, by name, page 3 by cursor) and `patient.get`
 * at 10 connections (the server-time view) and the list at 50 (throughput); the same lists as
 * plain service calls in this process (no HTTP); the server's RSS during 10 MB uploads; and the
 * query plans at scale. Prints the plans, a JSON summary and a Markdown table, and exits 1 when
 * a target is missed. The scratch database, the data directory and the server are removed at the
 * end, also on failure or Ctrl-C.
 */
import { createLogger, createServices, loadConfig } from '@medora/core';
import type { DoctorScope, PatientService, Services } from '@medora/core';
import { signInDirectly } from '@medora/core/testing';
import { randomBytes } from 'node:crypto';
import { getJson, queryPath } from './lib/app';
import { PATIENTS_PER_OTHER, SEED, searches, seedPatients } from './lib/data';
import { recordQueries, scratchDatabase, type Pool } from './lib/db';
import { load, percentile } from './lib/load';
import {
  gitCommit,
  log as logFor,
  mb,
  onCleanup,
  rssKb,
  runMain,
  scratchDir,
  startServer,
} from './lib/process';
import { row as resultRow, writeResult, type ResultRow } from './lib/result';

const TARGETS = {
  /**
   * The issue's budget, in server time: the list and a name search, 100,000 patients in one
   * workspace, p95 over HTTP with one request at a time (no queueing behind other requests on
   * this 2-core machine, which also runs the load generator and PostgreSQL). The runs at 10 and
   * 50 connections are reported for throughput and queueing.
   */
  listP95Ms: 50,
  searchP95Ms: 50,
  /** The other list shapes and patient.get are held to the same budget. */
  otherP95Ms: 50,
  /** Server peak RSS growth while ten 10 MB uploads arrive at once (the issue's budget). */
  parallelUploadsRssGrowthMb: 30,
  /** One upload, and ten one after another: reported against the same 30 MB, never failing. */
  otherUploadsRssGrowthMb: 30,
};
const DURATION_S = Number(process.env.BENCH_SECONDS ?? 10);
const MAIN_PATIENTS = Number(process.env.BENCH_PATIENTS ?? 100_000);
const OTHER_WORKSPACES = Number(process.env.BENCH_WORKSPACES ?? 1_000);
const SERVICE_CALLS = 300;
const UPLOADS = 10;
const MB = 1024 * 1024;
const UPLOAD_BYTES = 10 * MB;

/** The server's V8 heap and off-heap (Buffer) memory, from its own /metrics. */
async function heapOf(base: string, metricsToken: string) {
  const text = await (
    await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${metricsToken}` } })
  ).text();
  const value = (name: string) => {
    const m = new RegExp(`^${name}(?:\\{[^}]*\\})? ([0-9.e+]+)`, 'm').exec(text);
    return m ? Math.round((Number(m[1]) / MB) * 10) / 10 : NaN;
  };
  return {
    heapTotalMb: value('nodejs_heap_size_total_bytes'),
    heapUsedMb: value('nodejs_heap_size_used_bytes'),
    externalMb: value('nodejs_external_memory_bytes'),
  };
}

// ---------------------------------------------------------------------------------------------

const log = logFor('patients');

interface Scenario {
  name: string;
  connections: number;
  requestsPerSecond: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  requests: number;
  errors: number;
  non2xx: number;
}

async function scenario(
  name: string,
  base: string,
  token: string,
  paths: string[],
  connections: number,
): Promise<Scenario> {
  const r = await load({
    base,
    paths,
    connections,
    seconds: DURATION_S,
    headers: { authorization: `Bearer ${token}` },
  });
  const s: Scenario = {
    name,
    connections,
    requestsPerSecond: r.reqPerSec,
    p50Ms: r.p50,
    p95Ms: r.p95,
    p99Ms: r.p99,
    requests: r.requests,
    errors: r.errors - r.non2xx,
    non2xx: r.non2xx,
  };
  log(`${name} @${connections}: ${s.requestsPerSecond} req/s, p95 ${s.p95Ms} ms`);
  return s;
}

interface RssRun {
  uploads: number;
  mode: 'sequential' | 'parallel';
  baselineMb: number;
  peakMb: number;
  growthMb: number;
  samples: number;
  seconds: number;
  statuses: number[];
  /** Sequential runs: the growth while the first upload was received, and each one's peak. */
  firstUploadGrowthMb?: number;
  perUploadPeakMb?: number[];
  /** The server's heap before and right after the run: where the growth is. */
  heapBefore: Awaited<ReturnType<typeof heapOf>>;
  heapAfter: Awaited<ReturnType<typeof heapOf>>;
}

async function uploadRun(
  base: string,
  token: string,
  pid: number,
  patientId: string,
  mode: RssRun['mode'],
  metricsToken: string,
): Promise<RssRun> {
  // The test suite's 1×1 PNG, padded with zeros: the type is read from its first bytes.
  const png = Buffer.from(
    'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
    'base64',
  );
  const blob = new Blob([png, Buffer.alloc(UPLOAD_BYTES - png.length)], { type: 'image/png' });
  const one = async () => {
    const form = new FormData();
    form.append('purpose', 'attachment');
    form.append('patientId', patientId);
    form.append('file', blob, 'rentgen.png');
    const res = await fetch(`${base}/api/files`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      body: form,
    });
    await res.arrayBuffer();
    return res.status;
  };
  await new Promise((r) => setTimeout(r, 500)); // let the previous step's work settle
  const heapBefore = await heapOf(base, metricsToken);
  const baseline = rssKb(pid);
  let peak = baseline;
  let windowPeak = baseline;
  let samples = 0;
  const timer = setInterval(() => {
    try {
      const now = rssKb(pid);
      peak = Math.max(peak, now);
      windowPeak = Math.max(windowPeak, now);
      samples++;
    } catch {
      // the process is gone; the statuses will say so
    }
  }, 20);
  const started = Date.now();
  const perUploadPeakMb: number[] = [];
  let statuses: number[];
  try {
    if (mode === 'sequential') {
      statuses = [];
      for (let i = 0; i < UPLOADS; i++) {
        windowPeak = rssKb(pid);
        statuses.push(await one());
        windowPeak = Math.max(windowPeak, rssKb(pid));
        perUploadPeakMb.push(mb(windowPeak));
      }
    } else {
      statuses = await Promise.all(Array.from({ length: UPLOADS }, one));
    }
    await new Promise((r) => setTimeout(r, 100)); // a last sample after the answers
  } finally {
    clearInterval(timer);
  }
  peak = Math.max(peak, rssKb(pid));
  const heapAfter = await heapOf(base, metricsToken);
  const run: RssRun = {
    uploads: UPLOADS,
    mode,
    baselineMb: mb(baseline),
    peakMb: mb(peak),
    growthMb: mb(peak - baseline),
    samples,
    seconds: Math.round((Date.now() - started) / 100) / 10,
    statuses: [...new Set(statuses)],
    ...(perUploadPeakMb.length && {
      firstUploadGrowthMb: Math.round((perUploadPeakMb[0]! - mb(baseline)) * 10) / 10,
      perUploadPeakMb,
    }),
    heapBefore,
    heapAfter,
  };
  log(`${mode} uploads: RSS ${run.baselineMb} → ${run.peakMb} MB (+${run.growthMb})`);
  return run;
}

interface Timing {
  name: string;
  calls: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
}

async function serviceTiming(
  name: string,
  service: PatientService,
  scope: DoctorScope,
  inputs: ListInput[],
): Promise<Timing & { byInput?: Timing[] }> {
  for (let i = 0; i < 20; i++) await service.list(scope, inputs[i % inputs.length]!);
  const all: number[] = [];
  const per = inputs.map(() => [] as number[]);
  for (let i = 0; i < SERVICE_CALLS; i++) {
    const k = i % inputs.length;
    const t0 = performance.now();
    await service.list(scope, inputs[k]!);
    const ms = performance.now() - t0;
    all.push(ms);
    per[k]!.push(ms);
  }
  const stats = (n: string, xs: number[]): Timing => ({
    name: n,
    calls: xs.length,
    p50Ms: percentile(xs, 50),
    p95Ms: percentile(xs, 95),
    maxMs: percentile(xs, 100),
  });
  const out = stats(name, all);
  log(`service ${name}: p50 ${out.p50Ms} ms, p95 ${out.p95Ms} ms`);
  return inputs.length > 1
    ? { ...out, byInput: per.map((xs, k) => stats(inputs[k]!.search ?? name, xs)) }
    : out;
}

type ListInput = Parameters<PatientService['list']>[1];

interface PlanNode {
  'Node Type': string;
  'Index Name'?: string;
  'Relation Name'?: string;
  'Actual Rows'?: number;
  'Heap Fetches'?: number;
  'Shared Hit Blocks'?: number;
  'Shared Read Blocks'?: number;
  Plans?: PlanNode[];
}

interface Explained {
  name: string;
  query: 'page' | 'count';
  topNode: string;
  nodes: string;
  indexes: string[];
  executionMs: number;
  sharedHit: number;
  sharedRead: number;
  text: string;
}

/** Every node, depth first: "Limit > Index Scan [patients_workspace_recent_idx]". */
function describe(node: PlanNode, out: string[] = [], indexes: string[] = []) {
  const idx = node['Index Name'];
  if (idx) indexes.push(idx);
  out.push(
    `${node['Node Type']}${idx ? ` [${idx}]` : node['Relation Name'] ? ` on ${node['Relation Name']}` : ''}` +
      (node['Heap Fetches'] !== undefined ? ` (heap fetches ${node['Heap Fetches']})` : ''),
  );
  for (const child of node.Plans ?? []) describe(child, out, indexes);
  return { nodes: out.join(' > '), indexes };
}

async function explainList(
  services: Services,
  pool: Pool,
  capture: { on: boolean; queries: { text: string; values: unknown[] }[] },
  scope: DoctorScope,
  name: string,
  input: ListInput,
): Promise<Explained[]> {
  capture.queries = [];
  capture.on = true;
  try {
    await services.patients.list(scope, input);
  } finally {
    capture.on = false;
  }
  const reads = capture.queries.filter((q) => /^select\b.*\bfrom "patients"/is.test(q.text));
  const out: Explained[] = [];
  for (const q of reads) {
    const json = await pool.query<{ 'QUERY PLAN': [{ Plan: PlanNode; 'Execution Time': number }] }>(
      `explain (analyze, buffers, format json) ${q.text}`,
      q.values,
    );
    const text = await pool.query<{ 'QUERY PLAN': string }>(
      `explain (analyze, buffers) ${q.text}`,
      q.values,
    );
    const [{ Plan: plan, 'Execution Time': executionMs }] = json.rows[0]!['QUERY PLAN'];
    const d = describe(plan);
    const top = plan['Index Name']
      ? `${plan['Node Type']} [${plan['Index Name']}]`
      : plan['Node Type'];
    out.push({
      name,
      query: /count\(\*\)/i.test(q.text) ? 'count' : 'page',
      topNode: top,
      nodes: d.nodes,
      indexes: [...new Set(d.indexes)],
      executionMs: Math.round(executionMs * 100) / 100,
      sharedHit: plan['Shared Hit Blocks'] ?? 0,
      sharedRead: plan['Shared Read Blocks'] ?? 0,
      text: text.rows.map((r) => r['QUERY PLAN']).join('\n'),
    });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const tokenSecret = randomBytes(36).toString('base64url');
  const startedAt = new Date();

  const { name: database, url, db, pool } = await scratchDatabase('patients');
  const { dir: dataDir } = await scratchDir('patients');
  log(`scratch database ${database}, data dir ${dataDir}`);

  // The exact SQL and parameters the service sent, for EXPLAIN.
  const { capture } = recordQueries(pool);

  const { doctor, sample } = await seedPatients(pool, {
    mainPatients: MAIN_PATIENTS,
    otherWorkspaces: OTHER_WORKSPACES,
    log,
  });

  // The bench process's own services sign the doctor in and time the service: same secret as
  // the server, so the server accepts the token. No REDIS_URL: nothing here needs a shared cache.
  const config = loadConfig({
    NODE_ENV: 'production',
    DATABASE_URL: url,
    DATA_DIR: dataDir,
    TOKEN_SECRET: tokenSecret,
    ACCESS_TOKEN_TTL_SECONDS: '3600',
    LOG_LEVEL: 'warn',
    METRICS_TOKEN: randomBytes(16).toString('hex'),
  });
  const services = createServices({ config, db, logger: createLogger(config, 'bench') });
  onCleanup('cache', () => services.cache.close());
  const session = await signInDirectly(services, doctor);
  const token = session.accessToken;
  const scope: DoctorScope = {
    userId: doctor.userId,
    role: 'doctor',
    sessionId: session.sessionId,
    workspaceId: doctor.workspaceId,
    ip: null,
    userAgent: null,
    requestId: null,
  };

  const metricsToken = config.metricsToken!;
  const serverEnv = { url, dataDir, tokenSecret, metricsToken };
  let server = await startServer(serverEnv);
  let { base } = server;

  // The inputs, checked once: every scenario must answer 200 with what it is meant to show.
  const terms = searches(sample);
  const listPath = (input: Record<string, unknown>) => queryPath('patient.list', input);
  type Page = {
    items: { id: string }[];
    total: number;
    totalCapped: boolean;
    nextCursor: string | null;
  };
  const page1 = await getJson<Page>(base, token, listPath({}));
  const expected = Number(
    (
      await pool.query<{ n: string }>(
        'select count(*) as n from patients where workspace_id = $1 and archived_at is null',
        [doctor.workspaceId],
      )
    ).rows[0]!.n,
  );
  if (page1.total !== expected) throw new Error(`list total ${page1.total}, expected ${expected}`);
  const cursorOf = async (input: Record<string, unknown>, pages: number) => {
    let cursor: string | null = null;
    for (let i = 1; i < pages; i++) {
      const page: Page = await getJson<Page>(
        base,
        token,
        listPath({ ...input, ...(cursor && { cursor }) }),
      );
      cursor = page.nextCursor;
      if (!cursor) throw new Error('no next page');
    }
    return cursor!;
  };
  const recentPage3 = listPath({ cursor: await cursorOf({}, 3) });
  const namePage3 = listPath({ sort: 'name', cursor: await cursorOf({ sort: 'name' }, 3) });
  // A search counts up to 1,000 matches: "1000+" when it found more.
  const searchTotals: Record<string, number | string> = {};
  for (const [kind, search] of Object.entries(terms)) {
    const page = await getJson<Page>(base, token, listPath({ search }));
    searchTotals[kind] = page.totalCapped ? `${page.total}+` : page.total;
    if (page.total === 0) throw new Error(`search ${kind} (${search}) found nothing`);
  }
  const searchPaths = Object.values(terms).map((search) => listPath({ search }));
  const getPaths = sample.slice(0, 100).map((s) => queryPath('patient.get', { id: s.id }));
  await getJson(base, token, getPaths[0]!);
  log(`searches: ${JSON.stringify(Object.values(terms))} → ${JSON.stringify(searchTotals)}`);

  // Upload memory first, each mode on a server that has not yet received a large upload nor been
  // through the load runs: growth then shows rather than disappearing into already-grown space
  // (RSS rarely shrinks). One small upload first loads the upload code path (a 415: not a PNG).
  const attachTo = sample[0]!.id;
  const warmUpload = async () => {
    const small = new FormData();
    small.append('purpose', 'attachment');
    small.append('patientId', attachTo);
    small.append('file', new Blob([Buffer.alloc(1024)]), 'x.png');
    const res = await fetch(`${base}/api/files`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      body: small,
    });
    await res.arrayBuffer();
  };
  await warmUpload();
  const sequential = await uploadRun(base, token, server.pid, attachTo, 'sequential', metricsToken);
  await server.stop();
  server = await startServer(serverEnv);
  ({ base } = server);
  await getJson(base, token, listPath({}));
  await warmUpload();
  const parallel = await uploadRun(base, token, server.pid, attachTo, 'parallel', metricsToken);

  // Warm-up (JIT, pools, caches), then the measured runs.
  await load({
    base,
    paths: [listPath({})],
    connections: 10,
    seconds: Math.min(3, DURATION_S),
    headers: { authorization: `Bearer ${token}` },
  });
  const scenarios: Scenario[] = [];
  const runs: [string, string[]][] = [
    ['list', [listPath({})]],
    ['search', searchPaths],
    ['list by name', [listPath({ sort: 'name' })]],
    ['list page 3', [recentPage3]],
    ['list by name page 3', [namePage3]],
    ['get', getPaths],
  ];
  // Server time: one request at a time; then under concurrency: throughput, and latency
  // including the wait for a core.
  for (const connections of [1, 10])
    for (const [name, paths] of runs)
      scenarios.push(await scenario(name, base, token, paths, connections));
  scenarios.push(await scenario('list', base, token, [listPath({})], 50));
  const serverRssMb = mb(rssKb(server.pid));

  // The service alone, sequentially, in this process: no HTTP, no concurrency.
  const listInput: ListInput = { sort: 'recent', archived: false, limit: 20 };
  const service = [
    await serviceTiming('list', services.patients, scope, [listInput]),
    await serviceTiming(
      'search',
      services.patients,
      scope,
      Object.values(terms).map((search) => ({ ...listInput, search })),
    ),
    await serviceTiming('list by name', services.patients, scope, [{ ...listInput, sort: 'name' }]),
  ];

  const plans = [
    ...(await explainList(services, pool, capture, scope, 'list', listInput)),
    ...(await explainList(services, pool, capture, scope, 'list by name', {
      ...listInput,
      sort: 'name',
    })),
  ];
  for (const [kind, search] of Object.entries(terms))
    plans.push(
      ...(await explainList(services, pool, capture, scope, `search ${kind}`, {
        ...listInput,
        search,
      })),
    );
  if (process.env.BENCH_PLANS !== '0') {
    for (const p of plans) {
      console.log(`\n### EXPLAIN (ANALYZE, BUFFERS): ${p.name}, ${p.query} query\n`);
      console.log(p.text);
    }
  }

  const commit = await gitCommit();
  const check = (s: Scenario) => s.connections === 1;
  const byName = (n: string) => scenarios.find((s) => s.name === n && check(s))!;
  const misses = [
    ...scenarios
      .filter((s) => s.requests === 0)
      .map((s) => `${s.name} @${s.connections}: no response within ${DURATION_S} s`),
    ...scenarios
      .filter((s) => s.errors + s.non2xx > 0)
      .map((s) => `${s.name} @${s.connections}: ${s.errors} errors, ${s.non2xx} non-2xx`),
    byName('list').p95Ms > TARGETS.listP95Ms &&
      `list p95 ${byName('list').p95Ms} ms > ${TARGETS.listP95Ms}`,
    byName('search').p95Ms > TARGETS.searchP95Ms &&
      `search p95 ${byName('search').p95Ms} ms > ${TARGETS.searchP95Ms}`,
    ...scenarios
      .filter((s) => check(s) && !['list', 'search'].includes(s.name))
      .filter((s) => s.p95Ms > TARGETS.otherP95Ms)
      .map((s) => `${s.name} p95 ${s.p95Ms} ms > ${TARGETS.otherP95Ms}`),
    ...[sequential, parallel]
      .filter((r) => r.statuses.some((st) => st !== 201))
      .map((r) => `${r.mode} uploads answered ${r.statuses.join(', ')} (expected 201)`),
    parallel.growthMb > TARGETS.parallelUploadsRssGrowthMb &&
      `ten 10 MB uploads at once grew RSS by ${parallel.growthMb} MB > ${TARGETS.parallelUploadsRssGrowthMb}`,
  ].filter((m): m is string => typeof m === 'string');
  const notes = [
    `one 10 MB upload grew RSS by ${sequential.firstUploadGrowthMb} MB (reported)`,
    `ten 10 MB uploads in a row grew RSS by ${sequential.growthMb} MB (reported)`,
  ];
  const summary = {
    date: startedAt.toISOString(),
    commit,
    data: {
      seed: SEED,
      mainWorkspacePatients: MAIN_PATIENTS,
      otherWorkspaces: OTHER_WORKSPACES,
      patientsPerOtherWorkspace: PATIENTS_PER_OTHER,
      listed: expected,
    },
    searches: Object.fromEntries(
      Object.entries(terms).map(([k, v]) => [k, { search: v, total: searchTotals[k] }]),
    ),
    durationSeconds: DURATION_S,
    scenarios,
    service,
    uploads: { fileMb: UPLOAD_BYTES / MB, sequential, parallel },
    plans: plans.map(({ text: _text, ...p }) => p),
    serverRssMb,
    targets: TARGETS,
    misses,
    notes,
  };
  console.log(`\n${JSON.stringify(summary, null, 2)}`);
  const label = (s: Scenario) =>
    s.name === 'get' ? 'patient.get' : `patient.list ${s.name.replace(/^list ?/, '')}`.trim();
  const rows: ResultRow[] = [
    ...scenarios.map((s) =>
      resultRow({
        name: `${label(s)} @${s.connections}`,
        // One request at a time: server time, judged on p95; under concurrency: throughput.
        ...(check(s)
          ? {
              metric: 'p95',
              value: s.p95Ms,
              unit: 'ms',
              budget: {
                op: '<=' as const,
                value:
                  s.name === 'list'
                    ? TARGETS.listP95Ms
                    : s.name === 'search'
                      ? TARGETS.searchP95Ms
                      : TARGETS.otherP95Ms,
              },
            }
          : { metric: 'req/s', value: s.requestsPerSecond, unit: 'req/s' }),
        reqPerSec: s.requestsPerSecond,
        p50: s.p50Ms,
        p95: s.p95Ms,
        p99: s.p99Ms,
        errors: s.errors + s.non2xx,
      }),
    ),
    ...service.flatMap((t) =>
      [t, ...(t.byInput ?? [])].map((b) =>
        resultRow({
          name: `service ${t === b ? t.name : `search ${b.name}`} (in process, ${b.calls} calls)`,
          metric: 'p95',
          value: b.p95Ms,
          unit: 'ms',
          p50: b.p50Ms,
          p95: b.p95Ms,
        }),
      ),
    ),
    resultRow({
      name: `${parallel.uploads} uploads of 10 MB at once: peak RSS growth`,
      metric: 'rss growth',
      value: parallel.growthMb,
      unit: 'MB',
      budget: { op: '<=', value: TARGETS.parallelUploadsRssGrowthMb },
    }),
    ...[parallel, sequential].map((r) =>
      resultRow({
        name: `${r.uploads} uploads of 10 MB ${r.mode === 'parallel' ? 'at once' : 'in a row'}: throughput`,
        metric: 'throughput',
        value: Math.round(((r.uploads * UPLOAD_BYTES) / MB / r.seconds) * 10) / 10,
        unit: 'MB/s',
      }),
    ),
    resultRow({
      name: `${sequential.uploads} uploads in a row: peak RSS growth (reported)`,
      metric: 'rss growth',
      value: sequential.growthMb,
      unit: 'MB',
    }),
    resultRow({
      name: 'one 10 MB upload: RSS growth (reported)',
      metric: 'rss growth',
      value: sequential.firstUploadGrowthMb ?? NaN,
      unit: 'MB',
    }),
  ];
  writeResult({
    scenario: 'patients',
    rows,
    notes: [
      `${MAIN_PATIENTS} patients in the measured workspace, ${OTHER_WORKSPACES} × ${PATIENTS_PER_OTHER} in others, seed ${SEED}, ${DURATION_S} s per run`,
      `searches: ${Object.entries(summary.searches)
        .map(([, v]) => `${v.search} (${v.total})`)
        .join(', ')}`,
      ...plans.map((p) => `plan ${p.name} (${p.query}): ${p.nodes}, ${p.executionMs} ms`),
      ...[sequential, parallel].map(
        (r) =>
          `${r.mode} uploads: answered ${r.statuses.join(', ')}; RSS ${r.baselineMb} → ${r.peakMb} MB`,
      ),
      // Row budgets are in the rows; what else failed the run is said here.
      ...misses.filter((m) => !/ p95 /.test(m)),
      ...notes,
    ],
  });

  const row = (cells: (string | number)[]) => `| ${cells.join(' | ')} |`;
  const table = [
    row(['scenario', 'conns', 'req/s', 'p50 ms', 'p95 ms', 'p99 ms', 'errors']),
    row(['---', '--:', '--:', '--:', '--:', '--:', '--:']),
    ...scenarios.map((s) =>
      row([
        `patient.${s.name === 'get' ? 'get' : `list ${s.name.replace(/^list ?/, '')}`.trim()}`,
        s.connections,
        s.requestsPerSecond,
        s.p50Ms,
        s.p95Ms,
        s.p99Ms,
        s.errors + s.non2xx,
      ]),
    ),
    '',
    row(['service call (in process, sequential)', 'calls', 'p50 ms', 'p95 ms', 'max ms']),
    row(['---', '--:', '--:', '--:', '--:']),
    ...service.flatMap((t) => [
      row([t.name, t.calls, t.p50Ms, t.p95Ms, t.maxMs]),
      ...(t.byInput ?? []).map((b) => row([`  ↳ ${b.name}`, b.calls, b.p50Ms, b.p95Ms, b.maxMs])),
    ]),
    '',
    row([
      '10 MB uploads',
      'baseline RSS MB',
      'peak RSS MB',
      'growth MB',
      'first upload MB',
      'status',
    ]),
    row(['---', '--:', '--:', '--:', '--:', '---']),
    ...[sequential, parallel].map((r) =>
      row([
        `${r.uploads} ${r.mode}`,
        r.baselineMb,
        r.peakMb,
        r.growthMb,
        r.firstUploadGrowthMb ?? '–',
        r.statuses.join(', '),
      ]),
    ),
    '',
    row(['plan', 'query', 'nodes', 'execution ms']),
    row(['---', '---', '---', '--:']),
    ...plans.map((p) => row([p.name, p.query, p.nodes, p.executionMs])),
  ];
  console.log(`\n${table.join('\n')}\n`);
  for (const n of notes) console.log(`note: ${n}`);
  if (misses.length) console.log(`MISSED: ${misses.join('; ')}`);
  else console.log('all targets met');
  process.exitCode = misses.length ? 1 : 0;
}

runMain(main);
