/**
 * Load benchmark for the auth hot paths over real HTTP: `auth.me` (every page load: token check,
 * session state read with the user + workspace queries) and `auth.login` (argon2id-bound).
 *
 *   npm run bench:auth -w @medora/bench             # embedded PostgreSQL, in-memory cache
 *   DATABASE_URL=… REDIS_URL=… npm run bench:auth -w @medora/bench
 *
 * The server runs as its own process (as in production) so the load generator does not share
 * its event loop. Prints a JSON summary and exits 1 when a target is missed. Targets are for
 * this project's reference machine (2 cores); they live here, never in timed unit tests.
 */
import { freshPhone } from '@medora/core/testing';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '@medora/db';
import autocannon from 'autocannon';

const TARGETS = {
  /** 10 concurrent page loads. */
  meP99Ms: 100,
  meRequestsPerSecond: 400,
  /** argon2id (19 MiB, t=2) dominates; 4 concurrent sign-ins. */
  loginRequestsPerSecond: 15,
  loginP99Ms: 500,
  serverRssMb: 300,
};
const DURATION_S = Number(process.env.BENCH_SECONDS ?? 10);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

async function trpc<T>(base: string, procedure: string, input: unknown): Promise<T> {
  const res = await fetch(`${base}/trpc/${procedure}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ json: input }),
  });
  const body = (await res.json()) as { result?: { data: { json: T } }; error?: unknown };
  if (!res.ok || !body.result)
    throw new Error(`${procedure} failed: ${res.status} ${JSON.stringify(body.error)}`);
  return body.result.data.json;
}

function load(opts: autocannon.Options): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    autocannon(opts, (err: Error | null, result) => (err ? reject(err) : resolve(result)));
  });
}

async function waitForHealth(base: string, deadline: number): Promise<void> {
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`${base}/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error('server did not become healthy');
}

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Math.round(Number(m[1]) / 1024) : NaN;
}

async function main(): Promise<void> {
  // Under the repository's .data (not a 0700 temp dir): as root the embedded PostgreSQL runs as
  // its own system user, which must be able to reach its data directory.
  const dataDir = path.join(root, '.data', `bench-${process.pid}`);
  await mkdir(dataDir, { recursive: true });
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, ['--import', 'tsx', 'apps/server/src/main.ts'], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: {
      ...process.env,
      NODE_ENV: 'development',
      HOST: '127.0.0.1',
      PORT: String(port),
      DATA_DIR: dataDir,
      EMBEDDED_PG_PORT: String(await freePort()),
      TOKEN_SECRET: randomBytes(36).toString('base64url'),
      LOG_LEVEL: 'warn',
      RATE_LIMIT_IP_PER_MINUTE: '1000000',
      RATE_LIMIT_ANON_PER_HOUR: '1000000',
      RATE_LIMIT_USER_PER_HOUR: '1000000',
      MAX_SESSIONS_PER_USER: '50',
    },
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    await waitForHealth(base, Date.now() + 60_000);
    const phone = freshPhone();
    const password = 'Bench-parol-2026';
    const reg = await trpc<{ accessToken: string }>(base, 'auth.register', {
      phone,
      name: 'Bench Shifokor',
      password,
      locale: 'uz',
    });

    const me = await load({
      url: `${base}/trpc/auth.me`,
      connections: 10,
      duration: DURATION_S,
      headers: { authorization: `Bearer ${reg.accessToken}` },
    });
    const login = await load({
      url: `${base}/trpc/auth.login`,
      method: 'POST',
      connections: 4,
      duration: DURATION_S,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ json: { phone, password } }),
    });
    const serverRssMb = rssMb(child.pid!);
    const summary = {
      me: {
        connections: 10,
        requestsPerSecond: Math.round(me.requests.average),
        p50Ms: me.latency.p50,
        p99Ms: me.latency.p99,
        errors: me.errors,
        non2xx: me.non2xx,
      },
      login: {
        connections: 4,
        requestsPerSecond: Math.round(login.requests.average),
        p50Ms: login.latency.p50,
        p99Ms: login.latency.p99,
        errors: login.errors,
        non2xx: login.non2xx,
      },
      serverRssMb,
      targets: TARGETS,
    };
    const misses = [
      summary.me.non2xx + summary.me.errors > 0 && 'auth.me had errors',
      summary.login.non2xx + summary.login.errors > 0 && 'auth.login had errors',
      summary.me.p99Ms > TARGETS.meP99Ms &&
        `auth.me p99 ${summary.me.p99Ms} ms > ${TARGETS.meP99Ms}`,
      summary.me.requestsPerSecond < TARGETS.meRequestsPerSecond &&
        `auth.me ${summary.me.requestsPerSecond} req/s < ${TARGETS.meRequestsPerSecond}`,
      summary.login.requestsPerSecond < TARGETS.loginRequestsPerSecond &&
        `auth.login ${summary.login.requestsPerSecond} req/s < ${TARGETS.loginRequestsPerSecond}`,
      summary.login.p99Ms > TARGETS.loginP99Ms &&
        `auth.login p99 ${summary.login.p99Ms} ms > ${TARGETS.loginP99Ms}`,
      serverRssMb > TARGETS.serverRssMb && `server RSS ${serverRssMb} MB > ${TARGETS.serverRssMb}`,
    ].filter(Boolean);
    console.log(JSON.stringify({ ...summary, misses }, null, 2));
    process.exitCode = misses.length ? 1 : 0;
  } finally {
    child.kill('SIGTERM');
    await exited;
    await rm(dataDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
