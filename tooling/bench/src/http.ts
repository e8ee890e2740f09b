/**
 * The HTTP hot paths under load, each next to the ceiling of this stack measured in the same run:
 *
 *   npm run bench:http -w @medora/bench
 *   BENCH_PATIENTS=5000 BENCH_WORKSPACES=50 BENCH_ANALYSES=5000 BENCH_SECONDS=3 npm run bench:http -w @medora/bench
 *
 * Generated data (lib/data.ts: 100,000 patients in one workspace, 1,000 workspaces of 100, and
 * 200,000 completed analyses carrying the engine's real report) in a scratch database; the real
 * server as its own process; autocannon over loopback at BENCH_CONNECTIONS (50) for
 * BENCH_SECONDS (20) per run: `auth.me`, `patient.list` page 1, a rotating name/phone search,
 * `patient.get` over 100 patients, `analysis.get` over 100 full reports, and `/health`. The
 * baselines (src/baseline.ts, its own process) answer the same JSON from the same token check and
 * the same SQL through a bare Koa route and pg, and a one-procedure tRPC router gives the cost of
 * the tRPC layer itself. Absolute numbers drift with the machine's load; the ratios, measured
 * minutes apart on the same machine, are what the budgets judge. The server's RSS is sampled
 * every second through all of its runs.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { createCaller, createInnerContext } from '@medora/api';
import { prepareApp, sizes, type App } from './lib/app';
import { load, type LoadRun } from './lib/load';
import {
  log as logFor,
  onCleanup,
  productNodeFlags,
  runMain,
  sampleRss,
  startNode,
} from './lib/process';
import { loadRow, report, round, row, type ResultRow } from './lib/result';
import type { BaselineSpec } from './baseline';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const BUDGETS = {
  /** auth.me's throughput over a bare Koa route with the same token check and SQL. */
  meVsBare: 0.5,
  /** patient.list page 1's throughput over a bare Koa route with the same SQL. */
  listVsBare: 0.5,
  listP99Ms: 50,
  serverRssMb: 150,
};
const log = logFor('http');

/** The SQL a procedure sends for one HTTP call, token check included, and the server's answer. */
async function recorded(
  app: App,
  httpPath: string,
  call: (caller: ReturnType<typeof createCaller>) => Promise<unknown>,
): Promise<BaselineSpec['routes'][string]> {
  const { queries } = await app.recorder.during(async () => {
    const session = await app.services.sessions.authenticate(app.token);
    return call(createCaller(createInnerContext({ services: app.services, session })));
  });
  const res = await fetch(app.server.base + httpPath, {
    headers: { authorization: `Bearer ${app.token}` },
  });
  if (!res.ok) throw new Error(`${httpPath}: ${res.status}`);
  return { queries, body: await res.text() };
}

async function main(): Promise<boolean> {
  const loadBefore = loadavg();
  const app = await prepareApp('http', log);
  const specFile = path.join(tmpdir(), `medora-bench-baseline-${process.pid}.json`);
  onCleanup('baseline spec', () => rmSync(specFile, { force: true }));
  const me = await recorded(app, app.paths.me[0]!, (c) => c.auth.me());
  const list = await recorded(app, app.paths.list[0]!, (c) => c.patient.list({}));
  // An empty recording would make the baselines answer without touching PostgreSQL.
  if (!me.queries.some((q) => /\bfrom "users"/.test(q.text)))
    throw new Error('recorded no session lookup for auth.me');
  if (!list.queries.some((q) => /\bfrom "patients"/.test(q.text)))
    throw new Error('recorded no patients query for patient.list');
  log(`recorded SQL: auth.me ${me.queries.length} statements, patient.list ${list.queries.length}`);
  const spec: BaselineSpec = {
    routes: { 'auth.me': me, 'patient.list': list },
    ping: (JSON.parse(me.body) as { result: { data: { json: unknown } } }).result.data.json,
  };
  writeFileSync(specFile, JSON.stringify(spec));
  const baseline = await startNode({
    name: 'baseline',
    // The same V8 heap settings as the server (its young generation and heap growth trade CPU
    // for memory): the ratio then measures the layers, not the heap sizing.
    args: [...productNodeFlags('server'), '--import', 'tsx', 'tooling/bench/src/baseline.ts'],
    ready: 'health',
    env: {
      NODE_ENV: 'production',
      DATABASE_URL: app.scratch.url,
      TOKEN_SECRET: app.tokenSecret,
      // The server's pool size (DATABASE_POOL_MAX, default 10).
      DATABASE_POOL_MAX: process.env.DATABASE_POOL_MAX ?? '10',
      BENCH_BASELINE_SPEC: specFile,
    },
  });
  for (const p of [
    '/bare/auth.me',
    '/bare/patient.list',
    '/trpc/ping',
    '/trpc-adapter/ping',
    '/bare/ping',
  ]) {
    const res = await fetch(baseline.base + p, {
      headers: { authorization: `Bearer ${app.token}` },
    });
    if (!res.ok) throw new Error(`baseline ${p}: ${res.status} ${await res.text()}`);
  }

  const headers = { authorization: `Bearer ${app.token}` };
  const run = async (name: string, base: string, paths: string[]) => {
    const r = await load({ base, paths, connections: CONNECTIONS, seconds: SECONDS, headers });
    log(`${name}: ${r.reqPerSec} req/s, p50 ${r.p50} p99 ${r.p99} ms, ${r.errors} errors`);
    return r;
  };
  // Warm-up (JIT, pools, PostgreSQL's caches) on both processes, not measured.
  const warm = Math.min(3, SECONDS);
  for (const [base, paths] of [
    [app.server.base, [...app.paths.me, ...app.paths.list, ...app.paths.analysis]],
    [baseline.base, ['/bare/auth.me', '/bare/patient.list', '/trpc/ping', '/trpc-adapter/ping']],
  ] as const)
    await load({ base, paths: [...paths], connections: 10, seconds: warm, headers });

  const rss = sampleRss([app.server.pid], 1000);
  const runs: Record<string, LoadRun> = {};
  const server = app.server.base;
  // Each procedure right before its baseline: the machine's load changes less in between.
  runs['/health'] = await run('/health', server, app.paths.health);
  runs['auth.me'] = await run('auth.me', server, app.paths.me);
  runs['bare auth.me'] = await run('bare auth.me', baseline.base, ['/bare/auth.me']);
  runs['patient.list page 1'] = await run('patient.list page 1', server, app.paths.list);
  runs['bare patient.list'] = await run('bare patient.list', baseline.base, ['/bare/patient.list']);
  runs['patient.list search'] = await run('patient.list search', server, app.paths.search);
  runs['patient.get'] = await run('patient.get', server, app.paths.get);
  runs['analysis.get'] = await run('analysis.get', server, app.paths.analysis);
  const serverMemory = rss.stop()[0]!;
  const serverRss = serverMemory.samples;
  runs['trivial tRPC procedure'] = await run('trivial tRPC procedure', baseline.base, [
    '/trpc/ping',
  ]);
  runs["trivial procedure, tRPC's Fetch adapter"] = await run(
    "trivial procedure, tRPC's Fetch adapter",
    baseline.base,
    ['/trpc-adapter/ping'],
  );
  runs['bare ping'] = await run('bare ping', baseline.base, ['/bare/ping']);

  const baselineOf: Record<string, string> = {
    'auth.me': 'bare auth.me',
    'patient.list page 1': 'bare patient.list',
    'trivial tRPC procedure': 'bare ping',
    "trivial procedure, tRPC's Fetch adapter": 'bare ping',
  };
  const ratio = (name: string) =>
    round(runs[name]!.reqPerSec / Math.max(1, runs[baselineOf[name]!]!.reqPerSec), 2);
  const loadRows: ResultRow[] = Object.entries(runs).map(([name, r]) =>
    loadRow(`${name} @${r.connections}`, r, {
      ...(baselineOf[name] && { baseline: baselineOf[name], ratio: ratio(name) }),
    }),
  );
  const rssPeak = Math.max(...serverRss.map((s) => s.mb));
  const budgetRows: ResultRow[] = [
    row({
      name: 'auth.me throughput / bare Koa + pg',
      metric: 'ratio',
      value: ratio('auth.me'),
      unit: '×',
      baseline: 'bare auth.me',
      ratio: ratio('auth.me'),
      budget: { op: '>=', value: BUDGETS.meVsBare },
    }),
    row({
      name: 'patient.list throughput / bare Koa + pg',
      metric: 'ratio',
      value: ratio('patient.list page 1'),
      unit: '×',
      baseline: 'bare patient.list',
      ratio: ratio('patient.list page 1'),
      budget: { op: '>=', value: BUDGETS.listVsBare },
    }),
    row({
      name: `patient.list page 1 p99 @${CONNECTIONS}`,
      metric: 'p99',
      value: runs['patient.list page 1'].p99,
      unit: 'ms',
      budget: { op: '<=', value: BUDGETS.listP99Ms },
    }),
    row({
      name: `bare patient.list p99 @${CONNECTIONS} (the ceiling, reported)`,
      metric: 'p99',
      value: runs['bare patient.list'].p99,
      unit: 'ms',
    }),
    row({
      name: 'tRPC layer: trivial procedure / bare route',
      metric: 'ratio',
      value: ratio('trivial tRPC procedure'),
      unit: '×',
      baseline: 'bare ping',
      ratio: ratio('trivial tRPC procedure'),
    }),
    row({
      name: "the same through tRPC's Fetch adapter / bare route",
      metric: 'ratio',
      value: ratio("trivial procedure, tRPC's Fetch adapter"),
      unit: '×',
      baseline: 'bare ping',
      ratio: ratio("trivial procedure, tRPC's Fetch adapter"),
    }),
    row({
      name: 'server RSS under load (peak)',
      metric: 'rss',
      value: rssPeak,
      unit: 'MB',
      budget: { op: '<=', value: BUDGETS.serverRssMb },
    }),
    row({
      name: 'server RSS under load (peak): its anonymous part (heap, buffers)',
      metric: 'rss',
      value: serverMemory.peakAnonMb,
      unit: 'MB',
    }),
  ];
  const loadAfter = loadavg();
  const size = sizes();
  const result = {
    scenario: 'http',
    rows: [...loadRows, ...budgetRows],
    notes: [
      `${CONNECTIONS} connections × ${SECONDS} s per run, autocannon on loopback`,
      `data: ${size.mainPatients} patients in the measured workspace, ${size.otherWorkspaces} more workspaces of 100, ${size.analyses} analyses (report ~${app.reportBytes} bytes of JSON)`,
      `server RSS ${serverRss[0]?.mb} MB before the runs, peak ${rssPeak} MB (sampled every second): ${serverMemory.peak?.anonMb} MB anonymous, ${serverMemory.peak?.fileMb} MB file-backed (the node binary's pages, shared by every Node process on the host)`,
      `load average ${loadBefore.map((l) => l.toFixed(1)).join(' ')} before, ${loadAfter.map((l) => l.toFixed(1)).join(' ')} after (1/5/15 min)`,
      `baselines replay ${me.queries.length} (auth.me) and ${list.queries.length} (patient.list) recorded statements`,
      // At a fixed number of connections a latency is set by the throughput (Little's law):
      // what the ceiling itself reaches says whether the p99 budget can be met on this machine.
      `at ${CONNECTIONS} connections the mean latency is ${CONNECTIONS} / throughput: ${round((CONNECTIONS / Math.max(1, runs['patient.list page 1'].reqPerSec)) * 1000, 1)} ms for patient.list, ${round((CONNECTIONS / Math.max(1, runs['bare patient.list'].reqPerSec)) * 1000, 1)} ms for its bare route (p99 ${runs['bare patient.list'].p99} ms)`,
    ],
  };
  return report(result);
}

runMain(main);
