/**
 * Memory of the server and the worker, each its own process in production mode
 * (NODE_ENV=production), idle after start and under a mixed load: `auth.me` and `patient.list`
 * over HTTP with autocannon while analyses are created, which the worker runs.
 *
 *   npm run bench:memory -w @medora/bench
 *   BENCH_RUNTIME=built BENCH_SECONDS=5 npm run bench:memory -w @medora/bench
 *
 * BENCH_RUNTIME picks how the code runs: `built` (the esbuild bundles production starts, see
 * scripts/node-build.mjs), `tsx` (the TypeScript sources through tsx, as before) or `both`
 * (default, for the comparison). Budgets (the issue's) apply to `built`: peak RSS under load
 * below 150 MB for the server and 120 MB for the worker.
 *
 * Each process is started with src/memory-probe.mjs preloaded, which answers over the IPC
 * channel with its memory and, last, the number of modules it loaded. RSS is VmRSS from
 * /proc/<pid>/status, sampled every 100 ms during the load. With BENCH_RESULT_FILE set, the
 * rows are written there as { scenario: 'memory', rows, notes }.
 */
import type { ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { scratchDatabase } from './lib/db';
import {
  buildNodeApps,
  builtArgs,
  log as logFor,
  mb as kbToMb,
  procStatus,
  root,
  runMain,
  sampleRss,
  scratchDir,
  sleep,
  startNode,
  UNLIMITED,
  type NodeProcess,
} from './lib/process';

const BUDGETS_MB = { server: 150, worker: 120 } as const;
const DURATION_S = Number(process.env.BENCH_SECONDS ?? 20);
/** Which parts of the mixed load run (all by default): to find which one costs memory. */
const LOAD = new Set((process.env.BENCH_LOAD ?? 'me,list,analyses').split(','));
const probe = path.join(path.dirname(fileURLToPath(import.meta.url)), 'memory-probe.mjs');

type App = 'server' | 'worker';
type Runtime = 'built' | 'tsx';
const runtimes: Runtime[] =
  process.env.BENCH_RUNTIME === 'built' || process.env.BENCH_RUNTIME === 'tsx'
    ? [process.env.BENCH_RUNTIME]
    : ['tsx', 'built'];

interface Reading {
  rssMb: number;
  heapUsedMb: number;
  heapTotalMb: number;
  externalMb: number;
  threads: number;
}
interface Measured {
  runtime: Runtime;
  app: App;
  idle: Reading;
  load: Reading & {
    peakRssMb: number;
    /** The anonymous part (heap, buffers); the rest is mostly the node binary's own pages. */
    peakAnonRssMb: number;
    liveHeapMb: number;
    cpuMsPerRequest?: number;
  };
  modules: { files: number; packages: number; largest: [string, number][] };
}
interface Row {
  name: string;
  metric: string;
  value: number;
  unit: string;
  budget?: { op: '<' | '<=' | '>' | '>='; value: number };
  met?: boolean;
}

const log = logFor('memory');
const mb = (bytes: number) => Math.round((bytes / 1048576) * 10) / 10;

/** CPU seconds (user + system) the process has used so far. */
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime, fields 14 and 15 of proc(5), in clock ticks (100 per second on Linux).
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

function status(pid: number): { rssMb: number; threads: number } {
  const { rssKb, threads } = procStatus(pid);
  return { rssMb: kbToMb(rssKb), threads };
}

/** Sends a probe request and waits for its answer (or the process's exit). */
function ask<T>(child: ChildProcess, type: string, answer: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const onMessage = (m: { type?: string }) => {
      if (m?.type !== answer) return;
      child.off('message', onMessage);
      resolve(m as T);
    };
    child.on('message', onMessage);
    child.once('exit', () => reject(new Error(`process exited before answering ${type}`)));
    child.send({ type });
  });
}

async function reading(child: ChildProcess): Promise<Reading> {
  const answer = await ask<{
    memory: NodeJS.MemoryUsage;
    heap: { used: number; total: number };
  }>(child, 'memory-probe', 'memory');
  return {
    ...status(child.pid!),
    heapUsedMb: mb(answer.heap.used),
    heapTotalMb: mb(answer.heap.total),
    externalMb: mb(answer.memory.external),
  };
}

/** The app with the probe preloaded, on `env` alone; ready over IPC (the probe's channel). */
function start(app: App, runtime: Runtime, env: Record<string, string | undefined>) {
  const args =
    runtime === 'built' ? builtArgs(root, app) : ['--import', 'tsx', `apps/${app}/src/main.ts`];
  return startNode({
    name: app,
    args: ['--import', probe, ...args],
    env,
    inheritEnv: false,
    ready: 'ipc',
    listen: app === 'server',
  });
}

async function trpc<T>(base: string, procedure: string, input: unknown, token?: string) {
  const res = await fetch(`${base}/trpc/${procedure}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify({ json: input }),
  });
  const body = (await res.json()) as { result?: { data: { json: T } }; error?: unknown };
  return { status: res.status, data: body.result?.data.json, error: body.error };
}

function load(opts: autocannon.Options): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    autocannon(opts, (err: Error | null, result) => (err ? reject(err) : resolve(result)));
  });
}

async function measure(runtime: Runtime, databaseUrl: string): Promise<Measured[]> {
  const { dir: dataDir, remove } = await scratchDir('memory');
  const env = {
    PATH: process.env.PATH,
    NODE_ENV: 'production',
    DATA_DIR: dataDir,
    DATABASE_URL: databaseUrl,
    ...(process.env.REDIS_URL ? { REDIS_URL: process.env.REDIS_URL } : {}),
    ...(process.env.LOG_DIR ? { LOG_DIR: path.join(dataDir, 'logs') } : {}),
    TOKEN_SECRET: randomBytes(36).toString('base64url'),
    ...UNLIMITED,
  };
  const started: NodeProcess[] = [];
  try {
    log(`${runtime}: starting the server and the worker`);
    const serverProcess = await start('server', runtime, env);
    started.push(serverProcess);
    const { child: server, base } = serverProcess;
    const workerProcess = await start('worker', runtime, env);
    started.push(workerProcess);
    const worker = workerProcess.child;
    await sleep(3000);
    const idle = { server: await reading(server), worker: await reading(worker) };

    const reg = await trpc<{ accessToken: string }>(base, 'auth.register', {
      phone: `+99890${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`,
      name: 'Xotira Shifokor',
      password: 'Bench-parol-2026',
      locale: 'uz',
    });
    if (!reg.data) throw new Error(`auth.register: ${reg.status} ${JSON.stringify(reg.error)}`);
    const token = reg.data.accessToken;
    const patientIds: string[] = [];
    const firstNames = ['Aziz', 'Dilnoza', 'Jasur', 'Malika', 'Rustam', 'Nodira'];
    const lastNames = ['Karimov', 'Yusupova', 'Rahimov', 'Tosheva', 'Aliyev'];
    for (let i = 0; i < 30; i++) {
      const p = await trpc<{ id: string }>(
        base,
        'patient.create',
        {
          firstName: firstNames[i % firstNames.length],
          lastName: lastNames[i % lastNames.length],
          sex: i % 2 ? 'male' : 'female',
          ageYears: 30 + i,
        },
        token,
      );
      if (!p.data) throw new Error(`patient.create: ${p.status} ${JSON.stringify(p.error)}`);
      patientIds.push(p.data.id);
    }

    log(`${runtime}: ${DURATION_S} s of auth.me + patient.list while analyses are created`);
    const sampler = sampleRss([server.pid!, worker.pid!], 100);
    const headers = { authorization: `Bearer ${token}` };
    // CPU time per request: what a V8 memory setting costs, unlike req/s not skewed by other
    // work on the machine.
    const cpuBefore = cpuSeconds(server.pid!);
    const listInput = encodeURIComponent(JSON.stringify({ json: { limit: 20 } }));
    let running = true;
    const analyses = { created: 0, refused: 0 };
    const creating = (async () => {
      for (let i = 0; running && LOAD.has('analyses'); i++) {
        const a = await trpc(
          base,
          'analysis.create',
          {
            patientId: patientIds[i % patientIds.length],
            complaints: 'Holsizlik, tez charchash.',
            labs: [
              { code: 'hemoglobin', value: 95, unit: 'g/L' },
              { code: 'potassium', value: 6.9, unit: 'mmol/L' },
            ],
            idempotencyKey: randomUUID(),
          },
          token,
        );
        if (a.status === 200) analyses.created++;
        else analyses.refused++;
        await sleep(200);
      }
    })();
    const idleLoad = () => sleep(DURATION_S * 1000).then(() => null);
    const [me, list] = await Promise.all([
      LOAD.has('me')
        ? load({ url: `${base}/trpc/auth.me`, connections: 5, duration: DURATION_S, headers })
        : idleLoad(),
      !LOAD.has('list')
        ? idleLoad()
        : load({
            url: `${base}/trpc/patient.list?input=${listInput}`,
            connections: 5,
            duration: DURATION_S,
            headers,
          }),
    ]);
    const cpuUsed = cpuSeconds(server.pid!) - cpuBefore;
    const served = (me?.requests.total ?? 0) + (list?.requests.total ?? 0);
    const underLoad = { server: await reading(server), worker: await reading(worker) };
    running = false;
    await creating;
    const [serverRss, workerRss] = sampler.stop();
    const peak = { server: serverRss!.peakMb, worker: workerRss!.peakMb };
    const peakAnon = { server: serverRss!.peakAnonMb, worker: workerRss!.peakAnonMb };
    for (const [name, r] of [
      ['auth.me', me],
      ['patient.list', list],
    ] as const) {
      if (!r) continue;
      log(`${runtime}: ${name} ${Math.round(r.requests.average)} req/s, ${r.non2xx} non-2xx`);
      if (r.non2xx + r.errors > 0)
        throw new Error(`${name}: ${r.non2xx} non-2xx, ${r.errors} errors`);
    }
    log(`${runtime}: analyses created ${analyses.created}, refused ${analyses.refused}`);

    const results: Measured[] = [];
    for (const [app, child] of [
      ['server', server],
      ['worker', worker],
    ] as const) {
      const live = await ask<{ heapUsed: number }>(child, 'gc-probe', 'gc');
      const modules = await ask<Measured['modules']>(child, 'modules-probe', 'modules');
      results.push({
        runtime,
        app,
        idle: idle[app],
        load: {
          ...underLoad[app],
          peakRssMb: Math.max(peak[app], underLoad[app].rssMb),
          peakAnonRssMb: peakAnon[app],
          liveHeapMb: mb(live.heapUsed),
          ...(app === 'server' &&
            served > 0 && {
              cpuMsPerRequest: Math.round((cpuUsed / served) * 1000 * 100) / 100,
            }),
        },
        modules: { files: modules.files, packages: modules.packages, largest: modules.largest },
      });
    }
    return results;
  } finally {
    for (const p of started.reverse()) await p.stop();
    await remove();
  }
}

function rows(measured: Measured[]): Row[] {
  return measured.flatMap((m) => {
    const name = `${m.app} (${m.runtime})`;
    const budget = m.runtime === 'built' ? BUDGETS_MB[m.app] : undefined;
    return [
      { name, metric: 'idle RSS', value: m.idle.rssMb, unit: 'MB' },
      { name, metric: 'idle heap used', value: m.idle.heapUsedMb, unit: 'MB' },
      { name, metric: 'idle heap total', value: m.idle.heapTotalMb, unit: 'MB' },
      { name, metric: 'idle external', value: m.idle.externalMb, unit: 'MB' },
      { name, metric: 'idle threads', value: m.idle.threads, unit: 'threads' },
      {
        name,
        metric: 'peak RSS under load',
        value: m.load.peakRssMb,
        unit: 'MB',
        ...(budget !== undefined && {
          budget: { op: '<' as const, value: budget },
          met: m.load.peakRssMb < budget,
        }),
      },
      { name, metric: 'peak anonymous RSS under load', value: m.load.peakAnonRssMb, unit: 'MB' },
      { name, metric: 'heap used under load', value: m.load.heapUsedMb, unit: 'MB' },
      { name, metric: 'heap total under load', value: m.load.heapTotalMb, unit: 'MB' },
      // After a full collection: what the load left alive (a leak shows here).
      { name, metric: 'live heap after load', value: m.load.liveHeapMb, unit: 'MB' },
      { name, metric: 'external under load', value: m.load.externalMb, unit: 'MB' },
      { name, metric: 'threads under load', value: m.load.threads, unit: 'threads' },
      ...(m.load.cpuMsPerRequest === undefined
        ? []
        : [{ name, metric: 'CPU per request', value: m.load.cpuMsPerRequest, unit: 'ms' }]),
      { name, metric: 'loaded module files', value: m.modules.files, unit: 'files' },
      { name, metric: 'loaded packages', value: m.modules.packages, unit: 'packages' },
    ];
  });
}

async function main(): Promise<void> {
  if (runtimes.includes('built')) {
    log('building the server and the worker');
    await buildNodeApps(root);
  }
  // Not migrated here: the server migrates it on its first start, as in production.
  const scratch = await scratchDatabase('memory', { migrate: false });
  const measured: Measured[] = [];
  try {
    for (const runtime of runtimes) measured.push(...(await measure(runtime, scratch.url)));
  } finally {
    await scratch.drop();
  }
  const result = {
    scenario: 'memory',
    rows: rows(measured),
    notes: [
      `NODE_ENV=production, ${DURATION_S} s of auth.me and patient.list (5 connections each) while analyses are created every 200 ms; cache: ${process.env.REDIS_URL ? 'Redis' : 'in memory'}`,
      ...measured.map(
        (m) =>
          `${m.app} (${m.runtime}) loads most files from: ${m.modules.largest.map(([p, n]) => `${p} ${n}`).join(', ')}`,
      ),
    ],
  };
  if (process.env.BENCH_RESULT_FILE)
    writeFileSync(process.env.BENCH_RESULT_FILE, JSON.stringify(result, null, 2));
  console.log(JSON.stringify(result, null, 2));
  const misses = result.rows.filter((r) => r.met === false);
  for (const r of misses) log(`missed: ${r.name} ${r.metric} ${r.value} MB ≥ ${r.budget!.value}`);
  process.exitCode = misses.length ? 1 : 0;
}

runMain(main);
