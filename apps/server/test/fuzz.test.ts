/**
 * Every procedure of the router, fuzzed over real HTTP with inputs derived from its input schema
 * (see ./fuzz/arbitraries.ts). Each procedure is called as the caller it needs (anonymous for
 * public ones, a doctor, an administrator past the second factor) so the input reaches its schema.
 *
 *   1. Refused input: inputs the schema refuses answer 400 VALIDATION_FAILED with exactly the field
 *      errors the schema gives (a subscription: the same error as its stream's one event), and a
 *      snapshot of the database before and after shows nothing written.
 *   2. Accepted input: valid inputs at the schema's edges, and hostile ones it accepts, never
 *      answer a 5xx; a refusal carries a known app code.
 *   3. The envelope: bodies that break tRPC's own format (superjson annotations, bad JSON) never
 *      answer a 5xx, for every procedure (those without an input too).
 *
 * Bounded in CI (FUZZ_RUNS, 25 by default, with a fixed seed); `FUZZ_RUNS=5000 npm run fuzz`
 * runs the same file longer. FUZZ_SEED replays a failure: fast-check prints the seed and path.
 */
import { dbSnapshot, diffSnapshots, factories, signInDirectly } from '@medora/core/testing';
import { appErrorCodes, fieldErrorCodes, toFieldErrors } from '@medora/schema';
import { appRouter } from '@medora/api';
import fc from 'fast-check';
import superjson from 'superjson';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { anyHostile, boundaryInput, fuzzInput, PROTO_KEYS } from './fuzz/arbitraries';
import { startTestServer, type TestServer } from './start-test-server';

const RUNS = Number(process.env.FUZZ_RUNS ?? 25);
const SEED = Number(process.env.FUZZ_SEED ?? 20261202);
const TIMEOUT = Math.max(120_000, RUNS * 400);

/** Public procedures are called anonymously; `admin.*` as an administrator; the rest as a doctor. */
const PUBLIC = new Set([
  'auth.register',
  'auth.login',
  'auth.verifyTotp',
  'auth.totpEnrolStart',
  'auth.totpEnrolFinish',
  'auth.refresh',
  'auth.logout',
  'subscription.plans',
]);
type CallerKind = 'anonymous' | 'doctor' | 'admin';
const callerOf = (name: string): CallerKind =>
  PUBLIC.has(name) ? 'anonymous' : name.startsWith('admin.') ? 'admin' : 'doctor';

interface ProcedureDef {
  type: 'query' | 'mutation' | 'subscription';
  inputs: z.ZodType[];
}
const procedures = Object.entries(
  appRouter._def.procedures as unknown as Record<string, { _def: ProcedureDef }>,
).map(([name, p]) => ({ name, type: p._def.type, schema: p._def.inputs[0] }));

let server: TestServer;
const users: Partial<Record<CallerKind, { userId: string }>> = {};
const tokens: Partial<Record<CallerKind, string>> = {};

beforeAll(async () => {
  server = await startTestServer();
  const make = factories(server.services.db);
  users.doctor = await make.doctor();
  users.admin = await make.admin();
}, 120_000);
afterAll(() => server?.stop());

/**
 * A fresh session for each test, before its snapshot: a long run outlives an access token. An
 * administrator's session has passed the second factor, as after auth.verifyTotp.
 */
async function signIn(who: CallerKind): Promise<void> {
  const user = users[who];
  if (user) tokens[who] = (await signInDirectly(server.services, user)).accessToken;
}

/** The input exactly as the server will see it: superjson over JSON and back. */
function onTheWire(input: unknown): { body: string; seen: unknown } | null {
  try {
    const body = JSON.stringify(superjson.serialize(input));
    return { body, seen: superjson.deserialize(JSON.parse(body) as never) };
  } catch {
    // superjson refuses some values (a prototype key in a path, a cycle): nothing to send.
    return null;
  }
}

interface Answer {
  status: number;
  /** A server-sent event stream (subscriptions). */
  stream: boolean;
  url: string;
  body: {
    error?: {
      json: {
        message: string;
        code: number;
        data: { code: string; httpStatus: number; appCode: string; fieldErrors: unknown };
      };
    };
  } | null;
}

const valid = (schema: z.ZodType, seen: unknown) => schema.safeParse(seen).success;

/** One call the way the web client makes it: GET for queries and subscriptions, POST for mutations. */
async function call(
  name: string,
  type: ProcedureDef['type'],
  body: string | undefined,
  who: CallerKind,
): Promise<Answer> {
  const headers: Record<string, string> = {};
  const token = tokens[who];
  if (token) headers.authorization = `Bearer ${token}`;
  let url = `${server.baseUrl}/trpc/${name}`;
  let res: Response;
  if (type === 'mutation') {
    headers['content-type'] = 'application/json';
    res = await fetch(url, { method: 'POST', headers, body: body ?? '' });
  } else {
    if (body !== undefined) url += `?input=${encodeURIComponent(body)}`;
    if (type === 'subscription') headers.accept = 'text/event-stream';
    res = await fetch(url, { headers });
  }
  const text = await res.text();
  if (res.status >= 500) throw new Error(`${name} answered ${res.status}: ${text.slice(0, 500)}`);
  const stream = (res.headers.get('content-type') ?? '').startsWith('text/event-stream');
  // A subscription's refusal is the stream's one `serialized-error` event (tRPC's SSE protocol:
  // the event source has already opened with 200), carrying the same error shape.
  const json = stream ? /^event: serialized-error\ndata: (.*)$/m.exec(text)?.[1] : text;
  let parsed: Answer['body'] = null;
  try {
    const value = JSON.parse(json ?? '') as unknown;
    parsed = (stream ? { error: value } : value) as Answer['body'];
  } catch {
    // Not JSON: the assertions below then fail on the missing error shape.
  }
  return { status: res.status, stream, url, body: parsed };
}

/** Node refuses a request line beyond its header limit before any code of ours runs. */
const tooLongForUrl = (a: Answer) => a.status === 431 || a.status === 414;

const params = (numRuns: number) => ({ numRuns, seed: SEED, endOnFailure: true });

describe('fuzzing every procedure over HTTP', () => {
  it('covers every procedure of the router', () => {
    expect(procedures.length).toBeGreaterThan(40);
    for (const p of procedures) expect(['query', 'mutation', 'subscription']).toContain(p.type);
    // A renamed public procedure would be called as a doctor and stop testing the anonymous path.
    for (const name of PUBLIC) expect(procedures.map((p) => p.name)).toContain(name);
  });

  for (const { name, type, schema } of procedures.filter((p) => p.schema)) {
    const who = callerOf(name);
    it(
      `${name} (${who}): refused input is a 400 with the schema's field errors, nothing written`,
      async () => {
        const input = schema!;
        await signIn(who);
        const invalid = fuzzInput(input)
          .map(onTheWire)
          .filter(
            (w): w is NonNullable<typeof w> => w !== null && !input.safeParse(w.seen).success,
          );
        const before = await dbSnapshot(server.services.db);
        await fc.assert(
          fc.asyncProperty(invalid, async ({ body, seen }) => {
            const answer = await call(name, type, body, who);
            if (type !== 'mutation' && tooLongForUrl(answer)) {
              expect(answer.url.length).toBeGreaterThan(8000);
              return;
            }
            if (type === 'subscription')
              expect([answer.status, answer.stream]).toEqual([200, true]);
            else expect(answer.status).toBe(400);
            const data = answer.body?.error?.json.data;
            expect(data?.code).toBe('BAD_REQUEST');
            expect(data?.appCode).toBe('VALIDATION_FAILED');
            const issues = input.safeParse(seen).error!.issues;
            expect(data?.fieldErrors).toEqual(toFieldErrors(issues));
            for (const codes of Object.values(data?.fieldErrors as Record<string, string[]>))
              for (const code of codes) expect(fieldErrorCodes).toContain(code);
          }),
          params(RUNS),
        );
        const after = await dbSnapshot(server.services.db);
        expect(diffSnapshots(before, after)).toEqual([]);
      },
      TIMEOUT,
    );

    it(
      `${name} (${who}): accepted input at the edges never answers a 5xx`,
      async () => {
        const input = schema!;
        await signIn(who);
        let sent = 0;
        await fc.assert(
          fc.asyncProperty(
            boundaryInput(input, (v) => valid(input, v)),
            async (value) => {
              const wire = onTheWire(value);
              if (!wire || !valid(input, wire.seen)) return;
              sent += 1;
              const answer = await call(name, type, wire.body, who);
              if (type !== 'mutation' && tooLongForUrl(answer)) return;
              // An answer or a refusal the client can read; never a server error.
              const error = answer.body?.error?.json.data;
              if (answer.status >= 400 || error) {
                expect(appErrorCodes).toContain(error?.appCode);
                expect(error?.appCode).not.toBe('INTERNAL');
              }
            },
          ),
          params(Math.ceil(RUNS / 2)),
        );
        // A property that never sent anything could not have failed.
        expect(sent).toBeGreaterThan(0);
      },
      TIMEOUT,
    );
  }

  // Each 5xx the fuzzing found, pinned as a plain case so it stays fixed whatever the seed.
  it('regression: an audit filter date PostgreSQL cannot store is a field error, not a 500', async () => {
    await signIn('admin');
    for (const from of [new Date(-8.64e15), -8.64e15]) {
      const wire = onTheWire({ from });
      const answer = await call('admin.audit.list', 'query', wire!.body, 'admin');
      expect(answer.status).toBe(400);
      expect(answer.body?.error?.json.data.fieldErrors).toEqual({ from: ['date.invalid'] });
    }
  });

  it('regression: a NUL in an audit text filter is a field error, not a 500', async () => {
    await signIn('admin');
    const wire = onTheWire({ action: 'admin\u0000login', entity: 'user\u0000' });
    const answer = await call('admin.audit.list', 'query', wire!.body, 'admin');
    expect(answer.status).toBe(400);
    expect(answer.body?.error?.json.data.fieldErrors).toEqual({
      action: ['text.invalid'],
      entity: ['text.invalid'],
    });
  });

  it(
    'bodies that break the envelope never answer a 5xx, for any procedure',
    async () => {
      await signIn('doctor');
      await signIn('admin');
      const hostileBody = fc.oneof(
        fc.string({ unit: 'binary', maxLength: 200 }),
        fc.constantFrom(
          '{"json": {"phone": ',
          '{"json": 1, "meta": {"values": ["Date"]}}',
          '{"json": {"a": 1}, "meta": {"values": {"a": ["class", "Foo"]}}}',
          '{"json": {"a": "x"}, "meta": {"values": {"__proto__.polluted": ["Date"]}}}',
          '{"json": {"a": "x"}, "meta": {"values": {"a": [["custom", "nope"]]}}}',
          '{"json": {"a": 1}, "meta": {"referentialEqualities": {"a": ["__proto__"]}}}',
          '{"json": "1", "meta": {"values": ["bigint"]}}',
          '{"json": "x", "meta": {"values": ["bigint"]}}',
          '{"json": "1e999999", "meta": {"values": ["number"]}}',
          '{"json": ["a"], "meta": {"values": ["set"]}}',
          '{"json": [["__proto__", 1]], "meta": {"values": ["map"]}}',
          '{"json": "/a(/", "meta": {"values": ["regexp"]}}',
          '{"json": "not a date", "meta": {"values": ["Date"]}}',
          '{"__proto__": {"polluted": true}, "json": {}}',
          '[]',
          'null',
          '"\\ud800"',
        ),
        anyHostile.map((v) => {
          try {
            return JSON.stringify(v) ?? 'undefined';
          } catch {
            return 'null';
          }
        }),
      );
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...procedures.map(({ name, type }) => ({ name, type }))),
          hostileBody,
          async ({ name, type }, body) => {
            const answer = await call(name, type, body, callerOf(name));
            // A refusal the client can read: a known app code, never the internal one.
            const error = answer.body?.error?.json.data;
            if ((answer.status >= 400 && !tooLongForUrl(answer)) || error) {
              expect(appErrorCodes).toContain(error?.appCode);
              expect(error?.appCode).not.toBe('INTERNAL');
            }
            expect(({} as Record<string, unknown>).polluted).toBeUndefined();
          },
        ),
        params(RUNS * 4),
      );
      for (const key of ['polluted', ...PROTO_KEYS.map((k) => `${k}x`)])
        expect(Object.prototype).not.toHaveProperty(key);
    },
    TIMEOUT,
  );
});
