/**
 * Several stateless servers and several workers on one PostgreSQL and one Redis, on this machine:
 *
 *   npm run bench:scale-out -w @medora/bench
 *   BENCH_ANALYSES=100 npm run bench:scale-out -w @medora/bench          # smoke
 *
 * One scratch database; the shared Redis (REDIS_URL, default redis://127.0.0.1:6379) on a
 * database index nobody uses, claimed with a key of its own, so no counter of anyone else is
 * touched (the product's keys have a fixed `medora:` prefix). Shows:
 *
 * 1. Jobs: 2 servers and 2 workers. BENCH_ANALYSES (500) analyses, 10 in flight, created
 *    alternately through server 1 and server 2, each watched on `analysis.onStatus` on the OTHER
 *    server (the completion reaches it through PostgreSQL LISTEN/NOTIFY). Then, from the
 *    database: every analysis completed with a report, its job started and completed exactly once
 *    (the audit trail's `analysis.start` / `analysis.complete`, whose `attempt` is Graphile's
 *    `attempts`), no job left in the queue, one usage unit per analysis, and both workers took
 *    jobs (Graphile's `locked_by`, sampled while it runs).
 * 2. Limits across processes: the 2 servers restarted with the default sign-in limit (5 failures
 *    per phone) and 60 API requests per IP per minute, behind a "load balancer" (TRUST_PROXY,
 *    one X-Forwarded-For per client). Wrong-password sign-ins for one phone and anonymous API
 *    requests from one IP, alternating between the servers: with Redis the total allowed is one
 *    client's limit; then the same without Redis, where each process counts for itself (twice
 *    the limit gets through — reported, not a target).
 *
 * Prints a Markdown table and the JSON summary (BENCH_RESULT_FILE too) and exits 1 when a
 * check fails.
 */
import { Redis } from 'ioredis';
import { sql } from 'kysely';
import { createAnalysis, lanes, login, seedDoctor, watchStatus, type Doctor } from './lib/analyses';
import { report, row, type ResultRow } from './lib/result';
import { distribution } from './lib/percentiles';
import { scratchDatabase, type Scratch } from './lib/db';
import {
  log as logFor,
  onCleanup,
  productEnv,
  runMain,
  scratchDir,
  sleep,
  startProduct,
  UNLIMITED,
  type NodeProcess,
} from './lib/process';

const ANALYSES = Number(process.env.BENCH_ANALYSES ?? 500);
const IN_FLIGHT = 10;
const LOGIN_LIMIT = 5;
const LOGIN_ATTEMPTS = 20;
const IP_LIMIT = 60;
const IP_REQUESTS = 150;
const CLAIM_KEY = 'medora-bench:claim';
const PUSHED_WITHIN_MS = 10_000;
const log = logFor('scale-out');

/** The first Redis database index (1–15) that is empty, claimed with a key until clean-up. */
async function claimRedisDb(base: string): Promise<string> {
  for (let index = 1; index <= 15; index++) {
    const url = new URL(base);
    url.pathname = `/${index}`;
    const redis = new Redis(url.toString(), { lazyConnect: true, maxRetriesPerRequest: 1 });
    await redis.connect();
    const claimed = await redis.set(CLAIM_KEY, String(process.pid), 'EX', 3600, 'NX');
    if (claimed === 'OK' && (await redis.dbsize()) === 1) {
      onCleanup(`redis db ${index}`, async () => {
        // Only what the product wrote (its fixed prefix) and the claim: nothing else was here.
        let cursor = '0';
        do {
          const [next, keys] = await redis.scan(cursor, 'MATCH', 'medora:*', 'COUNT', 500);
          if (keys.length) await redis.del(...keys);
          cursor = next;
        } while (cursor !== '0');
        await redis.del(CLAIM_KEY);
        await redis.quit();
      });
      return url.toString();
    }
    if (claimed === 'OK') await redis.del(CLAIM_KEY);
    await redis.quit();
  }
  throw new Error('no empty Redis database index (1–15) to use');
}

/** Graphile's `locked_by` values seen while jobs run: which worker pools took jobs. */
function sampleLockers(scratch: Scratch) {
  const seen = new Set<string>();
  let running = true;
  const done = (async () => {
    while (running) {
      const { rows } = await sql<{ locked_by: string }>`
        select distinct locked_by from graphile_worker._private_jobs
        where locked_by is not null`.execute(scratch.db);
      for (const r of rows) seen.add(r.locked_by);
      await sleep(20);
    }
  })();
  return async () => {
    running = false;
    await done;
    return seen;
  };
}

async function jobsAcrossProcesses(
  scratch: Scratch,
  servers: NodeProcess[],
  token: string,
  doctor: Doctor,
): Promise<ResultRow[]> {
  const name = '2 servers + 2 workers';
  const latencies: number[] = [];
  let errors = 0;
  let crossSeen = 0;
  const stopSampling = sampleLockers(scratch);
  await lanes(ANALYSES, IN_FLIGHT, async (i) => {
    const via = servers[i % 2]!;
    const watcher = servers[(i + 1) % 2]!;
    try {
      const { id, returnedAt } = await createAnalysis(via.base, token, doctor.patientId);
      // Under the live view's 15 s re-read: only a completion pushed by NOTIFY counts as seen.
      const w = await watchStatus(watcher.base, token, id, PUSHED_WITHIN_MS);
      if (w.final !== 'completed') throw new Error(`analysis ${id} ended ${w.final}`);
      crossSeen++;
      latencies.push(w.finalAt - returnedAt);
    } catch (err) {
      errors++;
      log(`error: ${(err as Error).message}`);
    }
  });
  const lockers = await stopSampling();
  // A job's row goes a moment after its report commits (Graphile deletes it once the task
  // returns): let the queue drain before counting what is left in it.
  for (let waited = 0; waited < 10_000; waited += 100) {
    const { rows } = await sql<{ n: number }>`
      select count(*)::int as n from graphile_worker.jobs
      where task_identifier = 'analysis__run'`.execute(scratch.db);
    if (rows[0]!.n === 0) break;
    await sleep(100);
  }

  const { rows: analyses } = await sql<{ total: number; with_report: number }>`
    select count(*)::int as total,
      count(*) filter (where status = 'completed' and report is not null)::int as with_report
    from analyses where workspace_id = ${doctor.workspaceId}`.execute(scratch.db);
  const { rows: runs } = await sql<{
    action: string;
    analyses: number;
    rows: number;
    retried: number;
  }>`
    select action, count(distinct entity_id)::int as analyses, count(*)::int as rows,
      count(*) filter (where (meta->>'attempt')::int <> 1)::int as retried
    from audit_log where action in ('analysis.start', 'analysis.complete')
      and workspace_id = ${doctor.workspaceId}
    group by action`.execute(scratch.db);
  const { rows: queue } = await sql<{ left: number }>`
    select count(*)::int as left from graphile_worker.jobs
    where task_identifier = 'analysis__run'`.execute(scratch.db);
  const { rows: usage } = await sql<{ used: number }>`
    select coalesce(sum(analyses_used), 0)::int as used from usage_counters
    where workspace_id = ${doctor.workspaceId}`.execute(scratch.db);
  const by = (action: string) =>
    runs.find((r) => r.action === action) ?? { analyses: 0, rows: 0, retried: 0 };
  const start = by('analysis.start');
  const complete = by('analysis.complete');
  const total = analyses[0]!.total;
  const d = distribution(latencies);
  const zero = { op: '<=', value: 0 } as const;
  return [
    row({
      name,
      metric: 'analyses created',
      value: total,
      unit: 'count',
      budget: { op: '>=', value: ANALYSES },
      errors,
    }),
    row({
      name,
      metric: 'analyses without a stored report',
      value: total - analyses[0]!.with_report,
      unit: 'count',
      budget: zero,
    }),
    row({
      name,
      metric: 'job started more than once (extra start records)',
      value: start.rows - start.analyses,
      unit: 'count',
      budget: zero,
    }),
    row({
      name,
      metric: 'job completed more than once (extra completion records)',
      value: complete.rows - complete.analyses,
      unit: 'count',
      budget: zero,
    }),
    row({
      name,
      metric: 'analyses never started or completed',
      value: 2 * total - start.analyses - complete.analyses,
      unit: 'count',
      budget: zero,
    }),
    row({
      name,
      metric: 'runs on a retry (Graphile attempts > 1)',
      value: start.retried,
      unit: 'count',
      budget: zero,
    }),
    row({
      name,
      metric: 'analysis jobs left in the queue',
      value: queue[0]!.left,
      unit: 'count',
      budget: zero,
    }),
    row({
      name,
      metric: 'usage units counted − analyses',
      value: Math.abs(usage[0]!.used - total),
      unit: 'count',
      budget: zero,
    }),
    row({
      name,
      metric: 'worker pools that took jobs',
      value: lockers.size,
      unit: 'count',
      budget: { op: '>=', value: 2 },
    }),
    row({
      name,
      metric: 'completions seen on the other server’s live status',
      value: crossSeen,
      unit: 'count',
      budget: { op: '>=', value: ANALYSES },
    }),
    row({
      name,
      metric: 'create → report seen (other server), p50',
      value: d.p50,
      unit: 'ms',
      p50: d.p50,
      p95: d.p95,
      p99: d.p99,
      errors,
    }),
  ];
}

type Answer = { status: number; code?: string };

async function answer(res: Response): Promise<Answer> {
  const body = (await res.json().catch(() => null)) as {
    error?: { json?: { data?: { appCode?: string; code?: string } } };
  } | null;
  const data = body?.error?.json?.data;
  return { status: res.status, code: data?.appCode ?? data?.code };
}

/** Wrong-password sign-ins for one phone from one client, alternating servers, one at a time. */
async function wrongPasswords(servers: NodeProcess[], phone: string, ip: string) {
  const answers: Answer[] = [];
  for (let i = 0; i < LOGIN_ATTEMPTS; i++) {
    const res = await fetch(`${servers[i % 2]!.base}/trpc/auth.login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': ip },
      body: JSON.stringify({ json: { phone, password: 'Wrong-password-2026' } }),
    });
    answers.push(await answer(res));
  }
  return answers;
}

/** Anonymous API reads from one client IP, alternating servers. */
async function apiRequests(servers: NodeProcess[], ip: string) {
  const answers: Answer[] = [];
  for (let i = 0; i < IP_REQUESTS; i++) {
    const res = await fetch(`${servers[i % 2]!.base}/trpc/subscription.plans`, {
      headers: { 'x-forwarded-for': ip },
    });
    answers.push(await answer(res));
  }
  return answers;
}

async function limitsAcrossProcesses(
  scratch: Scratch,
  baseEnv: Record<string, string | undefined>,
  redisUrl: string | undefined,
): Promise<ResultRow[]> {
  const shared = redisUrl !== undefined;
  const env = {
    ...baseEnv,
    REDIS_URL: redisUrl,
    TRUST_PROXY: 'true',
    LOGIN_MAX_FAILURES: String(LOGIN_LIMIT),
    RATE_LIMIT_IP_PER_MINUTE: String(IP_LIMIT),
  };
  log(`limits ${shared ? 'with' : 'without'} Redis: starting 2 servers`);
  const servers = [await startProduct('server', env), await startProduct('server', env)];
  // Each server's Redis connection is up before the first counted request (ioredis would queue
  // the commands anyway; this keeps the first request off the memory fallback's path).
  await sleep(1000);
  const doctor = await seedDoctor(scratch);
  // A fresh client per run: documentation addresses (RFC 5737), distinct with and without Redis.
  const octet = shared ? 10 : 20;
  const logins = await wrongPasswords(servers, doctor.phone, `203.0.113.${octet}`);
  const reads = await apiRequests(servers, `203.0.113.${octet + 1}`);
  await Promise.all(servers.map((s) => s.stop()));
  const name = `limits, 2 servers, ${shared ? 'Redis' : 'no Redis (per process)'}`;
  const loginAllowed = logins.filter((a) => a.status !== 429).length;
  const readsAllowed = reads.filter((a) => a.status === 200).length;
  // Anything else than "allowed" or 429 is an error of the run (a 500, a refused request).
  const loginErrors = logins.filter((a) => a.status !== 429 && a.status !== 401).length;
  const readErrors = reads.filter((a) => a.status !== 429 && a.status !== 200).length;
  const budget = (limit: number) => (shared ? { budget: { op: '<=' as const, value: limit } } : {});
  return [
    row({
      name,
      metric: `wrong-password sign-ins answered (limit ${LOGIN_LIMIT} per phone), of ${LOGIN_ATTEMPTS}`,
      value: loginAllowed,
      unit: 'count',
      ...budget(LOGIN_LIMIT),
      errors: loginErrors,
    }),
    row({
      name,
      metric: `API reads allowed (limit ${IP_LIMIT} per IP per minute), of ${IP_REQUESTS}`,
      value: readsAllowed,
      unit: 'count',
      ...budget(IP_LIMIT),
      errors: readErrors,
    }),
    ...(shared
      ? [
          // The limits must also not be stricter than configured: a lower count would mean the
          // requests were refused for some other reason.
          row({
            name,
            metric: 'sign-ins answered − limit',
            value: loginAllowed - LOGIN_LIMIT,
            unit: 'count',
            budget: { op: '>=', value: 0 },
          }),
          row({
            name,
            metric: 'API reads allowed − limit',
            value: readsAllowed - IP_LIMIT,
            unit: 'count',
            budget: { op: '>=', value: 0 },
          }),
        ]
      : []),
  ];
}

async function main() {
  const redisUrl = await claimRedisDb(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  log(`Redis: ${redisUrl}`);
  const scratch = await scratchDatabase('scale');
  const { dir: dataDir } = await scratchDir('scale');
  const baseEnv = productEnv(scratch.url, dataDir);
  const openLimits = { ...baseEnv, REDIS_URL: redisUrl, ...UNLIMITED };
  log('jobs: starting 2 servers and 2 workers');
  const servers = [
    await startProduct('server', openLimits),
    await startProduct('server', openLimits),
  ];
  const workers = [
    await startProduct('worker', openLimits),
    await startProduct('worker', openLimits),
  ];
  const doctor = await seedDoctor(scratch);
  const token = await login(servers[0]!.base, doctor.phone);
  log(`jobs: ${ANALYSES} analyses`);
  const rows = await jobsAcrossProcesses(scratch, servers, token, doctor);
  await Promise.all([...servers, ...workers].map((p) => p.stop()));
  rows.push(...(await limitsAcrossProcesses(scratch, baseEnv, redisUrl)));
  rows.push(...(await limitsAcrossProcesses(scratch, baseEnv, undefined)));
  return report({
    scenario: 'scale-out',
    rows,
    notes: [
      `jobs: ${ANALYSES} analyses, ${IN_FLIGHT} in flight, created alternately through server 1 and 2 and each watched on the other server's analysis.onStatus; one database, one Redis (its own database index).`,
      "each analysis run is recorded in the audit trail (analysis.start / analysis.complete, with Graphile's attempt number); a job that ran twice would leave two records.",
      `limits: TRUST_PROXY with one X-Forwarded-For per client, as behind a load balancer; sign-in limit ${LOGIN_LIMIT} failures per phone, API limit ${IP_LIMIT} requests per IP per minute; requests alternate between the 2 servers.`,
      'without Redis each server counts in its own memory: up to twice the limit gets through with 2 servers (a fact to know, not a target).',
    ],
  });
}

runMain(main, 2);
