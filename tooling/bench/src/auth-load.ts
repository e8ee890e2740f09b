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
import { randomBytes } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { freePort } from '@medora/db';
import { load } from './lib/load';
import { mb, onCleanup, rssKb, root, runMain, startNode, UNLIMITED } from './lib/process';
import { loadRow, row, writeResult } from './lib/result';

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

async function main(): Promise<boolean> {
  // Under the repository's .data (not a 0700 temp dir): as root the embedded PostgreSQL runs as
  // its own system user, which must be able to reach its data directory.
  const dataDir = path.join(root, '.data', `bench-${process.pid}`);
  await mkdir(dataDir, { recursive: true });
  // Registered first, so it goes last: the server stops its embedded PostgreSQL on SIGTERM.
  onCleanup('data dir', () => rm(dataDir, { recursive: true, force: true }));
  const server = await startNode({
    name: 'server',
    entry: 'apps/server/src/main.ts',
    ready: 'health',
    env: {
      NODE_ENV: 'development',
      DATA_DIR: dataDir,
      EMBEDDED_PG_PORT: String(await freePort()),
      TOKEN_SECRET: randomBytes(36).toString('base64url'),
      LOG_LEVEL: 'warn',
      ...UNLIMITED,
      MAX_SESSIONS_PER_USER: '50',
    },
  });
  const { base } = server;
  const phone = freshPhone();
  const password = 'Bench-parol-2026';
  const reg = await trpc<{ accessToken: string }>(base, 'auth.register', {
    phone,
    name: 'Bench Shifokor',
    password,
    locale: 'uz',
  });

  const me = await load({
    base,
    paths: ['/trpc/auth.me'],
    connections: 10,
    seconds: DURATION_S,
    headers: { authorization: `Bearer ${reg.accessToken}` },
  });
  const login = await load({
    base,
    requests: [
      {
        method: 'POST',
        path: '/trpc/auth.login',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ json: { phone, password } }),
      },
    ],
    connections: 4,
    seconds: DURATION_S,
  });
  const serverRssMb = Math.round(mb(rssKb(server.pid)));
  const summary = { me, login, serverRssMb, targets: TARGETS };
  writeResult({
    scenario: 'auth',
    rows: [
      loadRow('auth.me @10 (embedded PostgreSQL)', me, {
        budget: { op: '>=', value: TARGETS.meRequestsPerSecond },
      }),
      row({
        name: 'auth.me p99 @10',
        metric: 'p99',
        value: me.p99,
        unit: 'ms',
        budget: { op: '<=', value: TARGETS.meP99Ms },
      }),
      loadRow('auth.login @4 (argon2id)', login, {
        budget: { op: '>=', value: TARGETS.loginRequestsPerSecond },
      }),
      row({
        name: 'auth.login p99 @4',
        metric: 'p99',
        value: login.p99,
        unit: 'ms',
        budget: { op: '<=', value: TARGETS.loginP99Ms },
      }),
      row({
        name: 'server RSS after the runs',
        metric: 'rss',
        value: serverRssMb,
        unit: 'MB',
        budget: { op: '<=', value: TARGETS.serverRssMb },
      }),
    ],
    notes: [`${DURATION_S} s per run; the server in development mode on its embedded PostgreSQL`],
  });
  const misses = [
    me.errors > 0 && 'auth.me had errors',
    login.errors > 0 && 'auth.login had errors',
    me.p99 > TARGETS.meP99Ms && `auth.me p99 ${me.p99} ms > ${TARGETS.meP99Ms}`,
    me.reqPerSec < TARGETS.meRequestsPerSecond &&
      `auth.me ${me.reqPerSec} req/s < ${TARGETS.meRequestsPerSecond}`,
    login.reqPerSec < TARGETS.loginRequestsPerSecond &&
      `auth.login ${login.reqPerSec} req/s < ${TARGETS.loginRequestsPerSecond}`,
    login.p99 > TARGETS.loginP99Ms && `auth.login p99 ${login.p99} ms > ${TARGETS.loginP99Ms}`,
    serverRssMb > TARGETS.serverRssMb && `server RSS ${serverRssMb} MB > ${TARGETS.serverRssMb}`,
  ].filter(Boolean);
  console.log(JSON.stringify({ ...summary, misses }, null, 2));
  return misses.length === 0;
}

runMain(main);
