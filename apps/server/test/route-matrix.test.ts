import { randomBytes, randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { factories, signInDirectly, type TestDoctor, type TestUser } from '@medora/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeWebDist, rawRequest, serveApp, type ServedApp } from './app-harness';
import { startTestServer, type TestServer } from './start-test-server';

/**
 * Every HTTP route the app answers, called over real HTTP as each kind of caller, with the
 * status it must answer. The route list comes from the app itself (`routesOf`), so a new route
 * without a row fails the completeness check. The tRPC routes have one representative row per
 * method here (the analysis status stream, an update); each procedure has its own rows in
 * packages/api/test/authorization-matrix.test.ts.
 *
 *   200, 201…           the status of a successful answer
 *   '403:APP_CODE'      a refusal, and the error code its body must carry
 *
 * Each cell gets a fresh world: doctor A (the owner of every id a call names) and the caller.
 */
const callers = [
  'anonymous',
  'doctorA',
  'doctorB',
  'expiredDoctor',
  'deactivated',
  'adminNoSecondFactor',
  'admin',
] as const;
type CallerKind = (typeof callers)[number];
type Outcome = number | `${number}:${string}`;

interface Who {
  kind: CallerKind;
  token: string | null;
  user: TestUser | null;
}

/** Doctor A's records, for calls that name one. */
interface World {
  doctorA: TestDoctor;
  patientId: string;
  /** An attachment of A's patient. */
  attachmentId: string;
  /** The receipt of A's pending payment. */
  receiptId: string;
  paymentId: string;
  /** A completed analysis of A's patient (made on first use: only the stream needs one). */
  analysisId: () => Promise<string>;
}

interface Answer {
  status: number;
  /** The error code a refusal's body carries (REST `error.code`, tRPC `appCode`). */
  appCode?: string;
  body: string;
}

interface Row {
  call: (who: Who, w: World) => Promise<Answer>;
  expect: Record<CallerKind, Outcome>;
  /** What a successful answer must show, where it depends on who calls. */
  check?: Partial<Record<CallerKind, (answer: Answer, who: Who, w: World) => unknown>>;
}

const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);
const METRICS_TOKEN = randomBytes(24).toString('base64url');

let server: TestServer;
let app: ServedApp;
let webDir: string;
let make: ReturnType<typeof factories>;

const auth = (who: Pick<Who, 'token'>): Record<string, string> =>
  who.token ? { authorization: `Bearer ${who.token}` } : {};

/** A finished response: its status, its body and the error code in it, if any. */
async function answer(res: Response): Promise<Answer> {
  const body = await res.text();
  let appCode: string | undefined;
  try {
    const json = JSON.parse(body) as {
      error?: { code?: string; json?: { data?: { appCode?: string } } };
    };
    appCode = json.error?.json?.data?.appCode ?? json.error?.code;
  } catch {
    // Not JSON (files, metrics, HTML): no error code to read.
  }
  return { status: res.status, body, ...(appCode && { appCode }) };
}

const get = async (path: string, headers: Record<string, string> = {}) =>
  answer(await fetch(`${app.baseUrl}${path}`, { headers }));

/** A multipart upload of a one-pixel PNG. */
async function upload(who: Pick<Who, 'token'>, fields: Record<string, string>): Promise<Answer> {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  form.append('file', new Blob([PNG], { type: 'image/png' }), 'tahlil.png');
  return answer(
    await fetch(`${app.baseUrl}/api/files`, { method: 'POST', headers: auth(who), body: form }),
  );
}

async function trpcPost(who: Pick<Who, 'token'>, procedure: string, input: unknown) {
  return answer(
    await fetch(`${app.baseUrl}/trpc/${procedure}`, {
      method: 'POST',
      headers: { ...auth(who), 'content-type': 'application/json' },
      body: JSON.stringify({ json: input }),
    }),
  );
}

/**
 * The analysis status stream (server-sent events) read to its end. A refusal arrives as the
 * stream's error event; its code is what the cell checks.
 */
async function statusStream(who: Who, id: string): Promise<Answer> {
  const input = encodeURIComponent(JSON.stringify({ json: { id } }));
  const res = await fetch(`${app.baseUrl}/trpc/analysis.onStatus?input=${input}`, {
    headers: { ...auth(who), accept: 'text/event-stream' },
    signal: AbortSignal.timeout(30_000),
  });
  if (!res.headers.get('content-type')?.startsWith('text/event-stream')) return answer(res);
  const decoder = new TextDecoder();
  let body = '';
  for await (const chunk of res.body!) {
    body += decoder.decode(chunk as Uint8Array, { stream: true });
    if (/"status":"(completed|failed)"/.test(body) || /event: serialized-error/.test(body)) break;
  }
  const appCode = /"appCode":"([A-Z_]+)"/.exec(body)?.[1];
  return { status: res.status, body, ...(appCode && { appCode }) };
}

/** Public routes: the same answer whoever calls, a session neither helps nor hurts. */
const everyone = (outcome: Outcome): Record<CallerKind, Outcome> =>
  Object.fromEntries(callers.map((c) => [c, outcome])) as Record<CallerKind, Outcome>;

const matrix: Record<string, Row> = {
  'GET /health': {
    call: () => get('/health'),
    expect: everyone(200),
  },
  'GET /health/detailed': {
    call: () => get('/health/detailed'),
    expect: everyone(200),
  },
  'GET /.well-known/security.txt': {
    call: () => get('/.well-known/security.txt'),
    expect: everyone(200),
  },
  'GET /metrics': {
    // With METRICS_TOKEN set, only that token scrapes: a user's session is not it.
    call: (who) => get('/metrics', auth(who)),
    expect: everyone('401:UNAUTHENTICATED'),
    // While the holder of the metrics token does scrape.
    check: Object.fromEntries(
      callers.map((c) => [
        c,
        async () =>
          expect((await get('/metrics', { authorization: `Bearer ${METRICS_TOKEN}` })).status).toBe(
            200,
          ),
      ]),
    ),
  },
  'GET /api/client-config': {
    // Where browser errors go: public, and a session neither adds nor hides anything.
    call: (who) => get('/api/client-config', auth(who)),
    expect: everyone(200),
    check: Object.fromEntries(
      callers.map((c) => [
        c,
        (a: Answer) =>
          expect(JSON.parse(a.body)).toEqual({ sentryDsn: null, environment: null, release: null }),
      ]),
    ),
  },
  'POST /api/files': {
    // An attachment to doctor A's patient.
    call: (who, w) => upload(who, { purpose: 'attachment', patientId: w.patientId }),
    expect: {
      anonymous: '401:UNAUTHENTICATED',
      doctorA: 201,
      doctorB: '404:NOT_FOUND',
      expiredDoctor: '403:SUBSCRIPTION_INACTIVE',
      deactivated: '401:ACCOUNT_DISABLED',
      adminNoSecondFactor: '403:FORBIDDEN',
      admin: '403:FORBIDDEN',
    },
    check: {
      doctorA: (a) => expect(JSON.parse(a.body)).toMatchObject({ mime: 'image/png' }),
    },
  },
  'GET /api/files/:id': {
    // A's submitted receipt: A's to read, and an administrator's (after the second factor).
    call: (who, w) => get(`/api/files/${w.receiptId}`, auth(who)),
    expect: {
      anonymous: '401:UNAUTHENTICATED',
      doctorA: 200,
      doctorB: '404:NOT_FOUND',
      expiredDoctor: '404:NOT_FOUND',
      deactivated: '401:ACCOUNT_DISABLED',
      adminNoSecondFactor: '403:SECOND_FACTOR_REQUIRED',
      admin: 200,
    },
    check: {
      doctorA: async (_a, who, w) =>
        expect((await get(`/api/files/${w.attachmentId}`, auth(who))).status).toBe(200),
      // A's attachment is no administrator's business: receipts only.
      admin: async (_a, who, w) =>
        expect((await get(`/api/files/${w.attachmentId}`, auth(who))).status).toBe(404),
    },
  },
  'GET /api/admin/payments/:id/receipt': {
    call: (who, w) => get(`/api/admin/payments/${w.paymentId}/receipt`, auth(who)),
    expect: {
      anonymous: '401:UNAUTHENTICATED',
      // The payment's own doctor too: the viewer is the review's, not the doctor's.
      doctorA: '403:FORBIDDEN',
      doctorB: '403:FORBIDDEN',
      expiredDoctor: '403:FORBIDDEN',
      deactivated: '401:ACCOUNT_DISABLED',
      adminNoSecondFactor: '403:SECOND_FACTOR_REQUIRED',
      admin: 200,
    },
  },
  'GET /trpc/:procedure': {
    // The live status stream of A's analysis: server-sent events, refusals as its error event.
    call: async (who, w) => statusStream(who, await w.analysisId()),
    expect: {
      anonymous: '200:UNAUTHENTICATED',
      doctorA: 200,
      doctorB: '200:NOT_FOUND',
      expiredDoctor: '200:NOT_FOUND',
      deactivated: '200:ACCOUNT_DISABLED',
      adminNoSecondFactor: '200:SECOND_FACTOR_REQUIRED',
      admin: '200:FORBIDDEN',
    },
    check: {
      doctorA: (a) => expect(a.body).toMatch(/"status":"completed"/),
    },
  },
  'POST /trpc/:procedure': {
    call: (who, w) => trpcPost(who, 'patient.archive', { id: w.patientId }),
    expect: {
      anonymous: '401:UNAUTHENTICATED',
      doctorA: 200,
      doctorB: '404:NOT_FOUND',
      expiredDoctor: '403:SUBSCRIPTION_INACTIVE',
      deactivated: '401:ACCOUNT_DISABLED',
      adminNoSecondFactor: '403:SECOND_FACTOR_REQUIRED',
      admin: '403:FORBIDDEN',
    },
  },
  'GET /*': {
    // The web app's files and its fallback for app routes: public, the same for everyone.
    // (fetch would send its own fetch metadata: a raw request says it is a page load.)
    call: async (who) => {
      const page = await rawRequest(app.baseUrl, {
        method: 'GET',
        path: '/patients/123',
        headers: { ...auth(who), 'sec-fetch-mode': 'navigate' },
      });
      expect(page.body).toContain('<title>MedoraAI</title>');
      return page;
    },
    expect: everyone(200),
  },
};

async function tokenFor(user: TestUser, opts: { secondFactor?: boolean } = {}) {
  return (await signInDirectly(server.services, user, undefined, opts)).accessToken;
}

async function world(kind: CallerKind): Promise<{ who: Who; w: World }> {
  const doctorA = await make.doctor({ name: 'Alisher Shukurov' });
  const a: Who = { kind: 'doctorA', user: doctorA, token: await tokenFor(doctorA) };
  const patientId = (await make.patient(doctorA)).id;
  const attachment = await upload(a, { purpose: 'attachment', patientId });
  const receipt = await upload(a, { purpose: 'receipt' });
  expect([attachment.status, receipt.status]).toEqual([201, 201]);
  const receiptId = (JSON.parse(receipt.body) as { id: string }).id;
  const plan = await server.services.db
    .selectFrom('plans')
    .select(['id', 'price_tiyin'])
    .where('code', '=', 'doctor_monthly')
    .executeTakeFirstOrThrow();
  const payment = await server.services.db
    .insertInto('payments')
    .values({
      workspace_id: doctorA.workspaceId,
      plan_id: plan.id,
      amount_tiyin: plan.price_tiyin,
      receipt_file_id: receiptId,
      submitted_by: doctorA.userId,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const analysisId = async () => {
    const created = await trpcPost(a, 'analysis.create', {
      patientId,
      complaints: 'Holsizlik',
      labs: [{ code: 'hemoglobin', value: 95, unit: 'g/L' }],
      idempotencyKey: randomUUID(),
    });
    const id = (JSON.parse(created.body) as { result: { data: { json: { id: string } } } }).result
      .data.json.id;
    await server.services.analyses.run(id, { number: 1, max: 1 });
    return id;
  };
  const w: World = {
    doctorA,
    patientId,
    attachmentId: (JSON.parse(attachment.body) as { id: string }).id,
    receiptId,
    paymentId: payment.id,
    analysisId,
  };
  const as = async (user: TestUser, opts: { secondFactor?: boolean } = {}): Promise<Who> => ({
    kind,
    user,
    token: await tokenFor(user, opts),
  });
  switch (kind) {
    case 'anonymous':
      return { who: { kind, user: null, token: null }, w };
    case 'doctorA':
      return { who: a, w };
    case 'doctorB':
      return { who: await as(await make.doctor({ name: 'Gulnora Tosheva' })), w };
    case 'expiredDoctor':
      return { who: await as(await make.doctor({ subscription: 'expired' })), w };
    case 'deactivated':
      return { who: await as(await make.deactivated()), w };
    case 'adminNoSecondFactor':
      return { who: await as(await make.admin(), { secondFactor: false }), w };
    case 'admin':
      return { who: await as(await make.admin()), w };
  }
}

beforeAll(async () => {
  server = await startTestServer();
  make = factories(server.services.db);
  webDir = await makeWebDist();
  app = await serveApp(server, { webDistDir: webDir, config: { metricsToken: METRICS_TOKEN } });
}, 60_000);
afterAll(async () => {
  await app?.close();
  await server?.stop();
  if (webDir) await rm(webDir, { recursive: true, force: true });
});

describe('HTTP route matrix', () => {
  it('has a row for every route the app answers and no row for a route it does not', () => {
    expect(Object.keys(matrix).sort()).toEqual([...app.routes].sort());
  });

  for (const [route, row] of Object.entries(matrix)) {
    for (const kind of callers) {
      it(`${route} as ${kind} → ${row.expect[kind]}`, { timeout: 30_000 }, async () => {
        const { who, w } = await world(kind);
        const got = await row.call(who, w);
        const [status, appCode] = String(row.expect[kind]).split(':');
        expect({ status: got.status, appCode: got.appCode }).toEqual({
          status: Number(status),
          appCode,
        });
        await row.check?.[kind]?.(got, who, w);
      });
    }
  }
});
