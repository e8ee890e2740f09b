import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { isServiceUnavailable, loadConfig } from '@medora/core';
import { factories, signInDirectly } from '@medora/core/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DETAILED_HEALTH_CACHE_MS } from '../src/routes/health';
import { startServer, type RunningServer } from '../src/server';
import { testEnv } from './start-test-server';
import { startOwnPostgres, type OwnPostgres } from './support/own-postgres';

// A fault test: PostgreSQL restarts while doctors keep writing. It runs on a cluster of its own.
let pg: OwnPostgres;
let server: RunningServer;
let dataDir: string;
let token: string;

beforeAll(async () => {
  pg = await startOwnPostgres('restart');
  dataDir = await mkdtemp(path.join(tmpdir(), 'medora-db-restart-'));
  // startServer migrates the fresh cluster itself.
  server = await startServer({
    config: loadConfig(testEnv({ DATABASE_URL: pg.url, DATA_DIR: dataDir })),
  });
  const doctor = await factories(server.services.db).doctor();
  token = (await signInDirectly(server.services, doctor)).accessToken;
}, 120_000);

afterAll(async () => {
  await server?.close();
  await pg?.destroy();
  await rm(dataDir, { recursive: true, force: true });
});

interface Answer {
  status: number;
  code: string | null;
  id: string | null;
}

async function call(req: Promise<Response>): Promise<Answer> {
  const res = await req;
  const body = (await res.json().catch(() => ({}))) as {
    result?: { data?: { json?: { id?: string } } };
    error?: { json?: { data?: { appCode?: string } } };
  };
  return {
    status: res.status,
    code: body.error?.json?.data?.appCode ?? null,
    id: body.result?.data?.json?.id ?? null,
  };
}

const headers = () => ({ authorization: `Bearer ${token}`, 'content-type': 'application/json' });
/** Letters only: a random last name tells every write apart. */
const randomName = () =>
  'Test' + [...randomBytes(8)].map((b) => String.fromCharCode(97 + (b % 26))).join('');

const createPatient = () =>
  call(
    fetch(`${server.url}/trpc/patient.create`, {
      method: 'POST',
      headers: headers(),
      body: JSON.stringify({
        json: { firstName: 'Restart', lastName: randomName(), sex: 'female', ageYears: 40 },
      }),
      signal: AbortSignal.timeout(30_000),
    }),
  );
const listPatients = () =>
  call(
    fetch(`${server.url}/trpc/patient.list?input=${encodeURIComponent('{"json":{}}')}`, {
      headers: headers(),
      signal: AbortSignal.timeout(30_000),
    }),
  );
const health = async () => {
  const res = await fetch(`${server.url}/health/detailed`, { signal: AbortSignal.timeout(30_000) });
  const body = (await res.json()) as { status: string; checks: { database: { status: string } } };
  return { status: res.status, body };
};

async function until<T>(what: string, fn: () => T | Promise<T>, ok: (v: T) => boolean, ms: number) {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (ok(v)) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

it('answers 503 while PostgreSQL is away, recovers on its own, and loses no acknowledged write', async () => {
  const acknowledged: string[] = [];
  const failures: Answer[] = [];
  let running = true;
  // Two writers and a reader, as steady as the machine allows, for the whole test.
  const loop = async (op: () => Promise<Answer>, write: boolean) => {
    while (running) {
      const a = await op();
      if (a.status === 200) {
        if (write) acknowledged.push(a.id!);
      } else failures.push(a);
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  const load = Promise.all([
    loop(createPatient, true),
    loop(createPatient, true),
    loop(listPatients, false),
  ]);
  try {
    await until(
      'writes before the outage',
      () => acknowledged.length,
      (n) => n >= 5,
      30_000,
    );
    expect(failures).toEqual([]);

    // A transaction of the server's pool holds its connection, idle between two statements, across
    // the stop: losing it must fail that transaction, not crash the process on an 'error' event.
    let resume!: () => void;
    const resumed = new Promise<void>((r) => (resume = r));
    let began!: () => void;
    const begun = new Promise<void>((r) => (began = r));
    const held = server.services.db.transaction().execute(async (trx) => {
      await trx.selectFrom('patients').select('id').limit(1).execute();
      began();
      await resumed;
      await trx.selectFrom('patients').select('id').limit(1).execute();
    });
    const heldOutcome = held.then(
      () => 'committed',
      (err: unknown) => err,
    );
    await begun;

    await pg.stop();
    const down = await until(
      'a 503 from /health/detailed',
      health,
      (h) => h.status !== 200,
      DETAILED_HEALTH_CACHE_MS + 15_000,
    );
    expect(down.status).toBe(503);
    expect(down.body.status).toBe('down');
    expect(down.body.checks.database.status).toBe('down');
    resume();
    expect(isServiceUnavailable(await heldOutcome)).toBe(true);
    // Routes outside tRPC answer the same way.
    const file = await fetch(`${server.url}/api/files/${randomUUID()}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(file.status).toBe(503);
    expect(((await file.json()) as { error: { code: string } }).error.code).toBe(
      'SERVICE_UNAVAILABLE',
    );
    // While away, every request the database would serve is a 503 with a code, never a 500.
    await until(
      'refused requests',
      () => failures.length,
      (n) => n >= 6,
      30_000,
    );

    const ackedWhileDown = acknowledged.length;
    await pg.start();
    // No restart of the server: its pool reconnects once the database is back.
    const up = await until('/health/detailed back', health, (h) => h.status === 200, 30_000);
    expect(up.body.checks.database.status).toBe('ok');
    await until(
      'writes after the outage',
      () => acknowledged.length,
      (n) => n >= ackedWhileDown + 5,
      30_000,
    );
  } finally {
    running = false;
    await load;
  }

  expect(failures.length).toBeGreaterThan(0);
  for (const f of failures)
    expect(f).toEqual({ status: 503, code: 'SERVICE_UNAVAILABLE', id: null });

  // Every write that got a 2xx is in the database.
  const stored = await server.services.db
    .selectFrom('patients')
    .select('id')
    .where('id', 'in', acknowledged)
    .execute();
  expect(stored.map((r) => r.id).sort()).toEqual([...new Set(acknowledged)].sort());
  expect(new Set(acknowledged).size).toBe(acknowledged.length);
}, 150_000);
