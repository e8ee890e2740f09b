import http from 'node:http';
import { performance } from 'node:perf_hooks';
import {
  backendsWaitingOn,
  factories,
  idleInTransaction,
  isBackendActive,
  lockTable,
  signInDirectly,
} from '@medora/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveApp, ERROR_LEVEL, type ServedApp } from './app-harness';
import { startTestServer, type TestServer } from './start-test-server';

// A client that gives up on a slow list stops the query in PostgreSQL, over real HTTP. The query
// is made slow by a lock another session holds on the table, never by anything in the product.

const CANCEL_WITHIN_MS = 100;

let server: TestServer;
let app: ServedApp;
let tokens: Record<'doctor' | 'admin', string>;
let patientId: string;

beforeAll(async () => {
  server = await startTestServer();
  app = await serveApp(server);
  const make = factories(server.services.db);
  const doctor = await make.doctor();
  const admin = await make.admin();
  patientId = (await make.patient(doctor)).id;
  tokens = {
    doctor: (await signInDirectly(server.services, doctor)).accessToken,
    admin: (await signInDirectly(server.services, admin, undefined, { secondFactor: true }))
      .accessToken,
  };
});
afterAll(async () => {
  await app?.close();
  await server?.stop();
});

const listUrl = (procedure: string, input: unknown) =>
  `${app.baseUrl}/trpc/${procedure}?input=${encodeURIComponent(JSON.stringify({ json: input }))}`;

const statusOf = async (url: string, token: string) => {
  const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  await res.arrayBuffer();
  return res.status;
};

interface Case {
  what: string;
  procedure: string;
  /** The procedure's input, made when the test runs (ids exist only after `beforeAll`). */
  input: () => object;
  /** The table its slow query reads, locked by the test. */
  table: string;
  as: 'doctor' | 'admin';
}

const cases: Case[] = [
  {
    what: 'the patient list',
    procedure: 'patient.list',
    input: () => ({}),
    table: 'patients',
    as: 'doctor',
  },
  {
    what: 'a patient search',
    procedure: 'patient.list',
    input: () => ({ search: '998' }),
    table: 'patients',
    as: 'doctor',
  },
  {
    what: 'the analysis list',
    procedure: 'analysis.list',
    input: () => ({}),
    table: 'analyses',
    as: 'doctor',
  },
  {
    what: "a patient's files",
    procedure: 'file.list',
    input: () => ({ patientId }),
    table: 'files',
    as: 'doctor',
  },
  {
    what: "the doctor's payments",
    procedure: 'payment.list',
    input: () => ({}),
    table: 'payments',
    as: 'doctor',
  },
  {
    what: 'the notifications',
    procedure: 'notification.list',
    input: () => ({}),
    table: 'notifications',
    as: 'doctor',
  },
  {
    what: 'the payment review queue',
    procedure: 'admin.payment.list',
    input: () => ({}),
    table: 'payments',
    as: 'admin',
  },
  {
    what: "a patient's access log",
    procedure: 'patient.accessLog',
    input: () => ({ id: patientId }),
    table: 'audit_log',
    as: 'doctor',
  },
  {
    what: 'the user list',
    procedure: 'admin.user.list',
    input: () => ({}),
    // Not `users`: the session check reads it before the procedure runs.
    table: 'plans',
    as: 'admin',
  },
  {
    what: 'the audit log',
    procedure: 'admin.audit.list',
    input: () => ({}),
    table: 'audit_log',
    as: 'admin',
  },
];

describe.each(cases)('a client hanging up on $what', ({ procedure, input: inputOf, table, as }) => {
  it(`cancels its query in PostgreSQL within ${CANCEL_WITHIN_MS} ms, leaving the pool healthy`, async () => {
    const input = inputOf();
    const db = server.services.db;
    const token = tokens[as];
    const unlock = await lockTable(db, table);
    try {
      app.logs.length = 0;
      const req = http.get(listUrl(procedure, input), {
        headers: { authorization: `Bearer ${token}` },
      });
      req.on('error', () => undefined);
      await expect
        .poll(() => backendsWaitingOn(db, table), { timeout: 10_000, interval: 5 })
        .toHaveLength(1);
      const [pid] = await backendsWaitingOn(db, table);

      req.destroy();
      const hungUpAt = performance.now();
      while ((await isBackendActive(db, pid!)) && performance.now() - hungUpAt < 5_000);
      expect(performance.now() - hungUpAt).toBeLessThan(CANCEL_WITHIN_MS);
    } finally {
      await unlock();
    }

    // The connection went back to the pool clean: no transaction left open, and it serves again.
    // (The rollback follows the cancel by a round trip: wait for it rather than race it.)
    await expect.poll(() => idleInTransaction(db), { timeout: 10_000 }).toEqual([]);
    for (let i = 0; i < 3; i++) expect(await statusOf(listUrl(procedure, input), token)).toBe(200);
    // The client's hang-up is not a fault of ours.
    await expect
      .poll(() => app.logs.some((l) => l.msg === 'request abandoned by the client'))
      .toBe(true);
    expect(app.logs.filter((l) => l.level >= ERROR_LEVEL)).toEqual([]);
  });
});
