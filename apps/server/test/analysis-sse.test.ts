import { randomUUID } from 'node:crypto';
import { factories, signInDirectly, type TestDoctor } from '@medora/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './start-test-server';

// The live analysis status over real HTTP: tRPC's server-sent events through the Koa host, fed
// by PostgreSQL NOTIFY from a second server instance's point of view (the run commits on its
// own connection; this server hears it through LISTEN).

let server: TestServer;
let doctor: TestDoctor & { token: string };
let other: { token: string };
let patientId: string;

beforeAll(async () => {
  server = await startTestServer();
  const make = factories(server.services.db);
  const d = await make.doctor();
  doctor = { ...d, token: (await signInDirectly(server.services, d)).accessToken };
  other = { token: (await signInDirectly(server.services, await make.doctor())).accessToken };
  patientId = (await make.patient(d)).id;
});
afterAll(() => server?.stop());

async function createAnalysis(): Promise<string> {
  const res = await fetch(`${server.baseUrl}/trpc/analysis.create`, {
    method: 'POST',
    headers: { authorization: `Bearer ${doctor.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      json: {
        patientId,
        complaints: 'Holsizlik',
        labs: [{ code: 'potassium', value: 7.1, unit: 'mmol/L' }],
        idempotencyKey: randomUUID(),
      },
    }),
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { result: { data: { json: { id: string } } } }).result.data.json.id;
}

/** Opens the stream and reads it until a final status or an error; `onOpen` runs at the first status. */
async function stream(id: string, token: string, onOpen?: () => Promise<void>) {
  const input = encodeURIComponent(JSON.stringify({ json: { id } }));
  const res = await fetch(`${server.baseUrl}/trpc/analysis.onStatus?input=${input}`, {
    headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' },
    signal: AbortSignal.timeout(20_000),
  });
  const frames: string[] = [];
  const decoder = new TextDecoder();
  let text = '';
  let opened = false;
  for await (const chunk of res.body!) {
    text += decoder.decode(chunk as Uint8Array, { stream: true });
    // tRPC's first event says the stream is connected; the first status frame follows it.
    if (!opened && text.includes('"status":')) {
      opened = true;
      await onOpen?.();
    }
    if (/"status":"(completed|failed)"/.test(text) || /event: serialized-error/.test(text)) break;
  }
  for (const line of text.split('\n')) if (line.startsWith('data:')) frames.push(line.slice(5));
  return { res, frames, text };
}

describe('GET /trpc/analysis.onStatus (server-sent events)', () => {
  it('streams queued, then completed when the worker stores the report', async () => {
    const id = await createAnalysis();
    const { res, text } = await stream(id, doctor.token, () =>
      server.services.analyses.run(id, { number: 1, max: 5 }),
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    // No buffering proxy hint needed, but nothing may cache a stream of health data.
    expect(res.headers.get('cache-control')).toMatch(/no-cache|no-store/);
    const statuses = [...text.matchAll(/"status":"(\w+)"/g)].map((m) => m[1]);
    expect(statuses[0]).toBe('queued');
    expect(statuses.at(-1)).toBe('completed');
  });

  it('another workspace gets a NOT_FOUND error event, never a status', async () => {
    const id = await createAnalysis();
    const { text } = await stream(id, other.token);
    expect(text).not.toMatch(/"status":"queued"/);
    expect(text).toMatch(/NOT_FOUND/);
  });
});
