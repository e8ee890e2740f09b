/**
 * Analyses end to end, as a doctor sees them: `analysis.create` over tRPC, then the live status
 * (`analysis.onStatus`, server-sent events) until the report is stored, with the rules engine
 * only (no LLM configured).
 *
 *   npm run bench:jobs -w @medora/bench
 *   BENCH_ANALYSES=100 BENCH_WORKERS=1 npm run bench:jobs -w @medora/bench      # smoke
 *
 * On a scratch database it starts the production server and worker processes as
 * `scripts/start.mjs` does, seeds BENCH_IN_FLIGHT (10) doctors, each in a workspace on a plan
 * that does not run out, signs them in over HTTP and, for 1 and then 2 worker processes
 * (BENCH_WORKERS), runs two passes of BENCH_ANALYSES (1,000) analyses: one at a time (the next
 * is created once the previous report was seen), then one lane per doctor doing the same at once. Each analysis is timed from the moment
 * `create` returned to the moment its `completed` event arrived; the stream is opened right
 * after `create` returns (its first frame is the status at that moment, so nothing is missed).
 * The database's own timestamps split each one into steps: queued → picked by a worker
 * (`started_at`), → report stored (`completed_at`), → event seen by the client. Worker RSS is
 * sampled every 100 ms. Exits 1 when a target is missed.
 */
import { sql } from 'kysely';
import pg from 'pg';
import {
  createAnalysis,
  lanes,
  login,
  nowMs,
  seedDoctor,
  watchStatus,
  type Doctor,
} from './lib/analyses';
import { report, row, type ResultRow } from './lib/result';
import { distribution, round } from './lib/percentiles';
import { scratchDatabase, type Scratch } from './lib/db';
import {
  log as logFor,
  productEnv,
  runMain,
  sampleRss,
  scratchDir,
  startProduct,
  UNLIMITED,
  type NodeProcess,
} from './lib/process';

const TARGETS = {
  /** The budget, client's view through the live status, one analysis at a time. */
  p50Ms: 20,
  p95Ms: 60,
  /** Each worker process's peak RSS. */
  workerRssMb: 120,
};
const ANALYSES = Number(process.env.BENCH_ANALYSES ?? 1_000);
const IN_FLIGHT = Number(process.env.BENCH_IN_FLIGHT ?? 10);
const WORKER_COUNTS = (process.env.BENCH_WORKERS ?? '1,2').split(',').map(Number);
const WARMUP = 30;
const log = logFor('jobs');

interface Pass {
  latencies: number[];
  createMs: number[];
  steps: { picked: number[]; stored: number[]; seen: number[] };
  seconds: number;
  errors: number;
  workerRss: { pid: number; peakMb: number; lastMb: number }[];
}

async function pass(
  scratch: Scratch,
  server: NodeProcess,
  workers: NodeProcess[],
  doctors: { doctor: Doctor; token: string }[],
  n: number,
  inFlight: number,
): Promise<Pass> {
  const seen = new Map<string, { returnedAt: number; finalAt: number }>();
  // When each completion was committed, as near as an outsider can tell: the moment this
  // process hears the worker's NOTIFY (delivered at commit), on a LISTEN connection of its own.
  const committed = new Map<string, number>();
  const listener = new pg.Client({ connectionString: scratch.url });
  await listener.connect();
  listener.on('notification', (msg) => {
    const at = nowMs();
    const notice = JSON.parse(msg.payload ?? '{}') as { id?: string; status?: string };
    if (notice.id && notice.status === 'completed') committed.set(notice.id, at);
  });
  await listener.query('listen analysis_status');
  const latencies: number[] = [];
  const createMs: number[] = [];
  let errors = 0;
  const rss = sampleRss(
    workers.map((w) => w.pid),
    100,
  );
  const started = nowMs();
  await lanes(n, inFlight, async (_, lane) => {
    const { doctor, token } = doctors[lane % doctors.length]!;
    try {
      const sent = nowMs();
      const { id, returnedAt } = await createAnalysis(server.base, token, doctor.patientId);
      createMs.push(returnedAt - sent);
      const w = await watchStatus(server.base, token, id);
      if (w.final !== 'completed') throw new Error(`analysis ${id} ended ${w.final}`);
      latencies.push(w.finalAt - returnedAt);
      seen.set(id, { returnedAt, finalAt: w.finalAt });
    } catch (err) {
      errors++;
      log(`error: ${(err as Error).message}`);
    }
  });
  const seconds = (nowMs() - started) / 1000;
  const workerRss = rss.stop();
  await listener.end();
  // The database's clock is this machine's: its timestamps line up with the client's.
  const ids = [...seen.keys()];
  const rows = ids.length
    ? await scratch.db
        .selectFrom('analyses')
        .select(['id', sql<number>`extract(epoch from started_at) * 1000`.as('started')])
        .where('id', 'in', ids)
        .execute()
    : [];
  const steps: Pass['steps'] = { picked: [], stored: [], seen: [] };
  for (const r of rows) {
    const client = seen.get(r.id)!;
    const stored = committed.get(r.id);
    steps.picked.push(Number(r.started) - client.returnedAt);
    if (stored === undefined) continue;
    steps.stored.push(stored - Number(r.started));
    steps.seen.push(client.finalAt - stored);
  }
  return { latencies, createMs, steps, seconds, errors, workerRss };
}

async function main() {
  const scratch = await scratchDatabase('jobs');
  const { dir: dataDir } = await scratchDir('jobs');
  const env = { ...productEnv(scratch.url, dataDir), REDIS_URL: undefined, ...UNLIMITED };
  log('starting the server');
  const server = await startProduct('server', env);
  const workers: NodeProcess[] = [];
  // One doctor (and workspace) per lane: concurrent creates in one workspace queue on its usage
  // counter row, which is the product's guarantee, not what a clinic of ten doctors sees.
  const doctors: { doctor: Doctor; token: string }[] = [];
  for (let lane = 0; lane < IN_FLIGHT; lane++) {
    const doctor = await seedDoctor(scratch);
    doctors.push({ doctor, token: await login(server.base, doctor.phone) });
  }
  const rows: ResultRow[] = [];
  const notes: string[] = [
    `${ANALYSES} analyses per pass (12 labs, vitals, complaints, history, medications), rules engine only; latency = create returned → completed event seen on analysis.onStatus (SSE opened right after create returns).`,
    `"sequential": one analysis at a time; "${IN_FLIGHT} in flight": ${IN_FLIGHT} lanes, one doctor (workspace) each, each creating its next analysis once the previous report was seen. Budgets are judged on the sequential passes; the in-flight passes measure throughput on this machine.`,
    'steps: picked = create returned → run transaction began (started_at; includes the commit, NOTIFY jobs:insert and Graphile fetching the job; can be negative when the worker is quicker than the HTTP answer); stored = started_at → the completion NOTIFY heard by the bench on its own LISTEN connection (engine, writes, commit); seen = that NOTIFY → the completed event at the client (the server hears the same NOTIFY, re-reads the status, writes the SSE frame).',
  ];
  for (const count of WORKER_COUNTS) {
    while (workers.length < count) {
      log(`starting worker ${workers.length + 1}`);
      workers.push(
        await startProduct('worker', {
          ...env,
          // To try V8 settings on the worker alone (e.g. --max-semi-space-size=2).
          NODE_OPTIONS: process.env.BENCH_WORKER_NODE_OPTIONS ?? process.env.NODE_OPTIONS,
        }),
      );
    }
    while (workers.length > count) await workers.pop()!.stop();
    if (rows.length === 0) {
      log(`warm-up: ${WARMUP} analyses`);
      await pass(scratch, server, workers, doctors, WARMUP, 1);
    }
    for (const inFlight of process.env.BENCH_SEQUENTIAL_ONLY === '1' ? [1] : [1, IN_FLIGHT]) {
      const mode = inFlight === 1 ? 'sequential' : `${inFlight} in flight`;
      const name = `${count} worker${count > 1 ? 's' : ''}, ${mode}`;
      log(`${name}: ${ANALYSES} analyses`);
      const p = await pass(scratch, server, workers, doctors, ANALYSES, inFlight);
      const d = distribution(p.latencies);
      const spread = { p50: d.p50, p95: d.p95, p99: d.p99, errors: p.errors };
      const budgeted = inFlight === 1;
      rows.push(
        row({
          name,
          metric: 'create → report seen, p50',
          value: d.p50,
          unit: 'ms',
          ...(budgeted && { budget: { op: '<=', value: TARGETS.p50Ms } }),
          ...spread,
        }),
        row({
          name,
          metric: 'create → report seen, p95',
          value: d.p95,
          unit: 'ms',
          ...(budgeted && { budget: { op: '<=', value: TARGETS.p95Ms } }),
          ...spread,
        }),
        row({
          name,
          metric: 'throughput end to end',
          value: round(p.latencies.length / p.seconds, 1),
          unit: 'analyses/s',
          errors: p.errors,
        }),
      );
      const c = distribution(p.createMs);
      rows.push(
        row({
          name,
          metric: 'analysis.create call',
          value: c.p50,
          unit: 'ms',
          p50: c.p50,
          p95: c.p95,
          p99: c.p99,
        }),
      );
      for (const [step, samples] of Object.entries(p.steps)) {
        const s = distribution(samples);
        rows.push(
          row({
            name,
            metric: `step: ${step}`,
            value: s.p50,
            unit: 'ms',
            p50: s.p50,
            p95: s.p95,
            p99: s.p99,
          }),
        );
      }
      p.workerRss.forEach((w, i) =>
        rows.push(
          row({
            name,
            metric: `worker ${i + 1} peak RSS`,
            value: w.peakMb,
            unit: 'MB',
            budget: { op: '<=', value: TARGETS.workerRssMb },
          }),
        ),
      );
    }
  }
  const ok = report({ scenario: 'jobs', rows, notes });
  return ok;
}

runMain(main, 2);
