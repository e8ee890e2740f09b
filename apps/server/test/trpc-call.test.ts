import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { loadConfig } from '@medora/core';
import { factories, signInDirectly } from '@medora/core/testing';
import * as NodeHttp from '@trpc/server/adapters/node-http';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startServer, type RunningServer } from '../src/server';
import { startTestServer, testEnv, type TestServer } from './start-test-server';

/**
 * Single queries and mutations are answered without tRPC's Fetch adapter (src/routes/trpc-call.ts).
 * Two servers on one database, one answering directly and one through the adapter alone, must
 * give every request the same status, headers and body: success, every kind of refusal, and the
 * requests the direct path hands back to the adapter.
 */

// Counts the calls that reach tRPC's adapter, to tell which path answered.
vi.mock('@trpc/server/adapters/node-http', async (original) => {
  const actual = await original<typeof NodeHttp>();
  return { ...actual, nodeHTTPRequestHandler: vi.fn(actual.nodeHTTPRequestHandler) };
});
const adapterCalls = () => vi.mocked(NodeHttp.nodeHTTPRequestHandler).mock.calls.length;

let direct: TestServer;
let adapter: RunningServer;
let dataDir: string;
let token: string;
let patientId: string;

beforeAll(async () => {
  const secret = randomBytes(36).toString('base64url');
  direct = await startTestServer({ env: { TOKEN_SECRET: secret } });
  dataDir = await mkdtemp(path.join(tmpdir(), 'medora-trpc-call-'));
  adapter = await startServer({
    config: loadConfig(
      testEnv({ TOKEN_SECRET: secret, DATA_DIR: dataDir, DATABASE_URL: direct.databaseUrl }),
    ),
    trpcFetchAdapterOnly: true,
  });
  const f = factories(direct.services.db);
  const doctor = await f.doctor({ name: 'Dilnoza Karimova' });
  patientId = (await f.patient(doctor, { firstName: 'Jasur', lastName: 'Tursunov' })).id;
  await f.patient(doctor, { firstName: 'Малика', lastName: 'Юсупова', phone: '+998901112233' });
  token = (await signInDirectly(direct.services, doctor)).accessToken;
});
afterAll(async () => {
  await adapter?.close();
  await direct?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

interface Case {
  name: string;
  method: 'GET' | 'POST' | 'PUT' | 'HEAD';
  path: string;
  body?: string;
  headers?: Record<string, string>;
  signedIn?: boolean;
  /** The direct path answers it (else both servers hand it to tRPC's adapter). */
  answeredDirectly: boolean;
}

const input = (v: unknown) => `?input=${encodeURIComponent(JSON.stringify({ json: v }))}`;
const json = { 'content-type': 'application/json' };

const cases = (): Case[] => [
  { name: 'a query', method: 'GET', path: '/trpc/auth.me', signedIn: true, answeredDirectly: true },
  {
    name: 'a query with input',
    method: 'GET',
    path: `/trpc/patient.list${input({ search: 'jasur' })}`,
    signedIn: true,
    answeredDirectly: true,
  },
  {
    name: 'a query with dates in its answer',
    method: 'GET',
    path: `/trpc/patient.get${input({ id: patientId })}`,
    signedIn: true,
    answeredDirectly: true,
  },
  {
    name: 'a foreign id',
    method: 'GET',
    path: `/trpc/patient.get${input({ id: '00000000-0000-4000-8000-000000000000' })}`,
    signedIn: true,
    answeredDirectly: true,
  },
  {
    name: 'input the schema refuses',
    method: 'GET',
    path: `/trpc/patient.get${input({ id: 'nope' })}`,
    signedIn: true,
    answeredDirectly: true,
  },
  {
    name: 'input that is not JSON',
    method: 'GET',
    path: '/trpc/patient.get?input=%7Bnot-json',
    signedIn: true,
    answeredDirectly: true,
  },
  {
    name: 'bad input without a session (authentication answers first)',
    method: 'GET',
    path: '/trpc/patient.get?input=%7Bnot-json',
    answeredDirectly: true,
  },
  {
    name: 'no session',
    method: 'GET',
    path: '/trpc/patient.list',
    answeredDirectly: true,
  },
  {
    name: 'a forged bearer',
    method: 'GET',
    path: '/trpc/auth.me',
    headers: { authorization: 'Bearer eyJhbGciOiJIUzI1NiJ9.e30.c2lnbmF0dXJl' },
    answeredDirectly: true,
  },
  {
    name: 'a mutation',
    method: 'POST',
    path: '/trpc/auth.updateProfile',
    body: JSON.stringify({ json: { name: 'Dilnoza Karimova' } }),
    headers: json,
    signedIn: true,
    answeredDirectly: true,
  },
  {
    name: 'a mutation with field errors',
    method: 'POST',
    path: '/trpc/patient.create',
    body: JSON.stringify({ json: { firstName: '', lastName: 'x'.repeat(500), sex: 'other' } }),
    headers: json,
    signedIn: true,
    answeredDirectly: true,
  },
  {
    name: 'an unknown key (mass assignment)',
    method: 'POST',
    path: '/trpc/auth.updateProfile',
    body: JSON.stringify({ json: { name: 'Dilnoza Karimova', role: 'admin' } }),
    headers: json,
    signedIn: true,
    answeredDirectly: true,
  },
  {
    name: 'a body that is not JSON',
    method: 'POST',
    path: '/trpc/auth.updateProfile',
    body: '{"json":',
    headers: json,
    signedIn: true,
    answeredDirectly: true,
  },
  {
    name: 'an empty body',
    method: 'POST',
    path: '/trpc/auth.updateProfile',
    body: '',
    headers: json,
    signedIn: true,
    answeredDirectly: true,
  },
  {
    name: 'a body over 1 MB',
    method: 'POST',
    path: '/trpc/auth.updateProfile',
    body: JSON.stringify({ json: { name: 'x'.repeat(1_100_000) } }),
    headers: json,
    signedIn: true,
    answeredDirectly: true,
  },
  {
    name: 'a superjson envelope the transformer refuses',
    method: 'POST',
    path: '/trpc/auth.updateProfile',
    body: JSON.stringify({ json: { name: 'A' }, meta: { values: { name: ['bogus-type'] } } }),
    headers: json,
    signedIn: true,
    answeredDirectly: true,
  },
  // What the direct path leaves to the adapter: both servers give tRPC's own answers.
  { name: 'a mutation by GET', method: 'GET', path: '/trpc/auth.logout', answeredDirectly: false },
  {
    name: 'a query by POST',
    method: 'POST',
    path: '/trpc/auth.me',
    body: '{}',
    headers: json,
    signedIn: true,
    answeredDirectly: false,
  },
  {
    name: 'an unknown procedure',
    method: 'GET',
    path: '/trpc/patient.nope',
    signedIn: true,
    answeredDirectly: false,
  },
  {
    name: 'a prototype key as the procedure',
    method: 'GET',
    path: '/trpc/constructor',
    answeredDirectly: false,
  },
  {
    name: 'a batch',
    method: 'GET',
    path: '/trpc/auth.me,auth.me?batch=1',
    signedIn: true,
    answeredDirectly: false,
  },
  {
    name: 'a streamed call',
    method: 'GET',
    path: '/trpc/auth.me',
    headers: { 'trpc-accept': 'application/jsonl' },
    signedIn: true,
    answeredDirectly: false,
  },
];

/** Headers that differ between any two answers, or by how the body was framed. */
const VOLATILE = new Set([
  'date',
  'connection',
  'keep-alive',
  'content-length',
  'transfer-encoding',
  'x-request-id',
  'ratelimit-remaining',
  'x-ratelimit-remaining',
  'ratelimit-reset',
  'x-ratelimit-reset',
]);

async function send(base: string, c: Case) {
  const res = await fetch(base + c.path, {
    method: c.method,
    body: c.body,
    headers: {
      ...c.headers,
      ...(c.signedIn ? { authorization: `Bearer ${token}` } : {}),
    },
  });
  const headers: Record<string, string> = {};
  res.headers.forEach((value, name) => {
    if (!VOLATILE.has(name)) headers[name] = value;
  });
  const text = await res.text();
  return {
    status: res.status,
    headers,
    // The request id is per request; everything else must match.
    body: text.replace(/"requestId":"[^"]*"/g, '"requestId":"…"'),
  };
}

describe('a call answered directly gives what tRPC’s own adapter gives', () => {
  it.each(cases().map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const before = adapterCalls();
    const a = await send(direct.baseUrl, c);
    expect(adapterCalls() - before).toBe(c.answeredDirectly ? 0 : 1);
    const b = await send(adapter.url, c);
    expect(adapterCalls() - before).toBe(c.answeredDirectly ? 1 : 2);
    expect(a).toEqual(b);
    expect(a.body.length).toBeGreaterThan(0);
  });
});
