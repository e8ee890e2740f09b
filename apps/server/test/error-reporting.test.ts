import { randomUUID } from 'node:crypto';
import { AppError, isErrorReportingOn } from '@medora/core';
import {
  factories,
  failInserts,
  signInDirectly,
  startSentrySink,
  type SentrySink,
} from '@medora/core/testing';
import { SAFE_REPORT_HEADERS } from '@medora/schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerAppOptions } from '../src/server';
import { serveApp } from './app-harness';
import { startTestServer, type TestServer } from './start-test-server';

// Faults reach the error tracker (a local sink speaking Sentry's envelope protocol) scrubbed;
// refusals never do, and without SENTRY_DSN nothing is sent at all.

const testRoutes: ServerAppOptions['routes'] = (router) => {
  // A fault of ours whose message quotes a phone number, as a careless one might. (Defined
  // above the test's values: the report carries source lines around the throw.)
  router.post('/api/test/boom', () => {
    throw new Error(`lookup failed for ${'+998' + '935557213'}`);
  });
  router.post('/api/test/refused', () => {
    throw new AppError('BAD_REQUEST', 'VALIDATION_FAILED');
  });
};

const PATIENT = { firstName: 'Gulnora', lastName: 'Tursunbayeva' };
const PHONE = '+998935557213';
const PHONE_SPELLINGS = [PHONE, '998935557213', '935557213', '93 555 72 13'];
const COMPLAINT = 'Qovurg‘a ostida sanchiq og‘riq';
const NOTE = 'Penitsillinga allergiyasi bor';
const LAB_VALUE = 118.4;

let sink: SentrySink;

beforeAll(async () => {
  sink = await startSentrySink();
});
afterAll(async () => {
  await sink?.close();
});

interface Caller {
  token: string;
  refreshToken: string;
  patientId: string;
}

async function caller(server: TestServer): Promise<Caller> {
  const make = factories(server.services.db);
  const doctor = await make.doctor();
  const { accessToken, refreshToken } = await signInDirectly(server.services, doctor);
  const patientId = (await make.patient(doctor, PATIENT)).id;
  return { token: accessToken, refreshToken, patientId };
}

/** The request carries all a scrubber must keep in: token, cookies, names, clinical data. */
function post(server: TestServer, who: Caller, path: string, body: unknown) {
  const query = new URLSearchParams({ name: PATIENT.lastName, phone: PHONE });
  return fetch(`${server.baseUrl}${path}?${query.toString()}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${who.token}`,
      cookie: `medora_rt=${who.refreshToken}; medora_dev=${who.refreshToken}`,
      referer: `${server.baseUrl}/patients?q=${PATIENT.lastName}`,
    },
    body: JSON.stringify(body),
  });
}

const trpc = (server: TestServer, who: Caller, procedure: string, input: unknown) =>
  post(server, who, `/trpc/${procedure}`, { json: input });

const patientInput = { ...PATIENT, sex: 'female', ageYears: 41, phone: PHONE, notes: NOTE };

const analysisInput = (who: Caller) => ({
  patientId: who.patientId,
  complaints: COMPLAINT,
  labs: [{ code: 'hemoglobin', value: LAB_VALUE, unit: 'g/L' }],
  idempotencyKey: randomUUID(),
});

/** Writes of patients and analyses fail as a database fault would (quoting the row's phone). */
async function breakWrites(server: TestServer): Promise<void> {
  await failInserts(server.services.db, 'patients', 'simulated fault writing %', 'phone');
  await failInserts(server.services.db, 'analyses', 'simulated fault writing an analysis');
}

describe('without SENTRY_DSN', () => {
  it('sends nothing, even for faults', async () => {
    const server = await startTestServer({ routes: testRoutes });
    try {
      expect(isErrorReportingOn()).toBe(false);
      const who = await caller(server);
      expect((await post(server, who, '/api/test/boom', { notes: NOTE })).status).toBe(500);
      // Give a report that should not exist time to arrive.
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(sink.envelopes).toEqual([]);
    } finally {
      await server.stop();
    }
  });
});

describe('with SENTRY_DSN', () => {
  let server: TestServer;
  let who: Caller;

  beforeAll(async () => {
    server = await startTestServer({ env: { SENTRY_DSN: sink.dsn }, routes: testRoutes });
    who = await caller(server);
    await breakWrites(server);
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('reports each fault once, scrubbed, and never a refusal', async () => {
    expect(isErrorReportingOn()).toBe(true);
    // Refusals first: had one been reported, its event would arrive before the faults'.
    const refusals = [
      await trpc(server, who, 'patient.create', { ...patientInput, phone: '12' }),
      await post(server, who, '/api/test/refused', { notes: NOTE }),
      await trpc(server, who, 'patient.update', { id: randomUUID(), notes: NOTE }),
      await fetch(`${server.baseUrl}/trpc/patient.list`, { headers: { cookie: 'medora_rt=x' } }),
    ];
    expect(refusals.map((r) => r.status)).toEqual([400, 400, 404, 401]);

    const faults = [
      await post(server, who, '/api/test/boom', { complaints: COMPLAINT, notes: NOTE }),
      await trpc(server, who, 'patient.create', patientInput),
      await trpc(server, who, 'analysis.create', analysisInput(who)),
    ];
    expect(faults.map((r) => r.status)).toEqual([500, 500, 500]);
    const faultIds = faults.map((r) => r.headers.get('x-request-id'));
    const refusalIds = refusals.map((r) => r.headers.get('x-request-id')!);

    const events = await sink.waitForEvents(3);
    // Anything still in flight (a late refusal's report) would land now.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(sink.events()).toHaveLength(3);
    const tags = events.map((e) => e.tags as Record<string, unknown>);
    expect(tags.map((t) => t.requestId)).toEqual(faultIds);
    const raw = sink.envelopes.map((e) => e.raw).join('\n');
    for (const id of refusalIds) expect(raw).not.toContain(id);
    expect(tags.map((t) => t.procedure ?? t.route)).toEqual([
      '/api/test/boom',
      'patient.create',
      'analysis.create',
    ]);
    expect(tags.every((t) => t.service === 'server')).toBe(true);
    const values = events.map(
      (e) => (e.exception as { values: { value: string }[] }).values.at(-1)!.value,
    );
    expect(values[0]).toBe('lookup failed for [phone]');
    expect(values[1]).toBe('simulated fault writing [phone]');

    for (const secret of [
      ...PHONE_SPELLINGS,
      PATIENT.firstName,
      PATIENT.lastName,
      COMPLAINT,
      'sanchiq',
      NOTE,
      String(LAB_VALUE),
      who.token,
      who.refreshToken,
      'medora_rt',
    ]) {
      expect(raw, secret).not.toContain(secret);
    }
    // What the report is read by: the path without its query, and the safe headers only.
    const request = events[0]!.request as { url: string; headers: Record<string, string> };
    expect(request.url).toBe(`${server.baseUrl}/api/test/boom`);
    expect(Object.keys(request.headers)).toContain('user-agent');
    for (const header of Object.keys(request.headers))
      expect(SAFE_REPORT_HEADERS as readonly string[]).toContain(header);
  });

  it('tells the web app its DSN and lets the page reach that origin only when SENTRY_WEB_DSN is set', async () => {
    const csp = (res: Response) => res.headers.get('content-security-policy') ?? '';
    const connectSrc = (res: Response) => /connect-src ([^;]*)/.exec(csp(res))?.[1];

    const off = await fetch(`${server.baseUrl}/api/client-config`);
    expect(off.status).toBe(200);
    expect(await off.json()).toEqual({ sentryDsn: null, environment: null, release: null });
    expect(off.headers.get('cache-control')).toBe('public, max-age=60');
    expect(connectSrc(off)).toBe("'self'");

    const { config } = server.services;
    const webDsn = sink.dsn.replace('/1', '/7');
    const app = await serveApp(server, {
      config: { errorReporting: { ...config.errorReporting, webDsn } },
    });
    try {
      const on = await fetch(`${app.baseUrl}/api/client-config`);
      expect(await on.json()).toEqual({
        sentryDsn: webDsn,
        environment: 'test',
        release: config.version,
      });
      expect(connectSrc(on)).toBe(`'self' ${sink.origin}`);
      // The same header on every answer, the pages included.
      expect(connectSrc(await fetch(`${app.baseUrl}/health`))).toBe(`'self' ${sink.origin}`);
    } finally {
      await app.close();
    }
  });
});
