/**
 * Analyses through the API as the web app makes them: a doctor with a plan that does not run
 * out, `analysis.create` over tRPC (POST, superjson envelope), and the live status read from
 * `analysis.onStatus` (tRPC over server-sent events, fed by PostgreSQL LISTEN/NOTIFY).
 */
import { factories, TEST_PASSWORD } from '@medora/core/testing';
import type { Scratch } from './db';
import { visitInput } from './input';

/** Wall-clock milliseconds with sub-millisecond precision (PostgreSQL's now() is in µs). */
export const nowMs = () => performance.timeOrigin + performance.now();

export interface Doctor {
  userId: string;
  workspaceId: string;
  phone: string;
  patientId: string;
}

/**
 * A doctor on an active plan of `limit` analyses a month, with one patient. The plan is the
 * bench's own: the seeded plans' limits are the product's and would run out mid-run.
 */
export async function seedDoctor(scratch: Scratch, limit = 1_000_000): Promise<Doctor> {
  const make = factories(scratch.db);
  const d = await make.doctor({ subscription: 'active', locale: 'ru' });
  const plan = await scratch.db
    .insertInto('plans')
    .values({
      code: `bench_${Math.floor(Math.random() * 1e9)}`,
      name_uz: 'Bench',
      name_ru: 'Bench',
      name_en: 'Bench',
      price_tiyin: 0,
      duration_days: 30,
      max_analyses_per_month: limit,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await scratch.db
    .updateTable('workspaces')
    .set({ plan_id: plan.id })
    .where('id', '=', d.workspaceId)
    .execute();
  const patient = await make.patient(d, { firstName: 'Rustam', lastName: 'Karimov' });
  return { userId: d.userId, workspaceId: d.workspaceId, phone: d.phone, patientId: patient.id };
}

async function trpcPost<T>(
  base: string,
  procedure: string,
  input: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; data?: T; error?: unknown }> {
  const res = await fetch(`${base}/trpc/${procedure}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ json: input }),
  });
  const body = (await res.json()) as { result?: { data: { json: T } }; error?: unknown };
  return { status: res.status, data: body.result?.data.json, error: body.error };
}

/** Signs in over HTTP (argon2 once) and returns the access token. */
export async function login(base: string, phone: string): Promise<string> {
  const r = await trpcPost<{ accessToken?: string }>(base, 'auth.login', {
    phone,
    password: TEST_PASSWORD,
  });
  if (!r.data?.accessToken) throw new Error(`login failed: ${r.status} ${JSON.stringify(r.error)}`);
  return r.data.accessToken;
}

/** `analysis.create`; resolves with the new id and the moment the answer arrived. */
export async function createAnalysis(
  base: string,
  token: string,
  patientId: string,
): Promise<{ id: string; returnedAt: number }> {
  const r = await trpcPost<{ id: string; status: string }>(
    base,
    'analysis.create',
    visitInput(patientId),
    { authorization: `Bearer ${token}` },
  );
  const returnedAt = nowMs();
  if (!r.data) throw new Error(`analysis.create: ${r.status} ${JSON.stringify(r.error)}`);
  return { id: r.data.id, returnedAt };
}

export interface Watched {
  /** The statuses in the order the stream sent them. */
  statuses: string[];
  /** When the final status (completed or failed) arrived. */
  finalAt: number;
  final: string;
}

/**
 * Opens `analysis.onStatus` and reads it until a final status. The stream's first frame is the
 * status at the moment it opened, so opening it right after `create` returns misses nothing.
 */
export async function watchStatus(
  base: string,
  token: string,
  id: string,
  timeoutMs = 60_000,
): Promise<Watched> {
  const input = encodeURIComponent(JSON.stringify({ json: { id } }));
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    const res = await fetch(`${base}/trpc/analysis.onStatus?input=${input}`, {
      headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' },
      signal: controller.signal,
    });
    if (!res.ok || !res.body) throw new Error(`analysis.onStatus: ${res.status}`);
    const decoder = new TextDecoder();
    let text = '';
    for await (const chunk of res.body) {
      text += decoder.decode(chunk as Uint8Array, { stream: true });
      const m = /"status":"(completed|failed)"/.exec(text);
      if (m || /event: serialized-error/.test(text)) {
        const finalAt = nowMs();
        const statuses = [...text.matchAll(/"status":"(\w+)"/g)].map((s) => s[1]!);
        return { statuses, finalAt, final: m?.[1] ?? 'error' };
      }
    }
    throw new Error(`analysis.onStatus ended without a final status: ${text.slice(-200)}`);
  } catch (err) {
    if (controller.signal.aborted)
      throw new Error(`no final status for ${id} within ${timeoutMs} ms`, { cause: err });
    throw err;
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
}

/** Runs `task(i, lane)` for i in [0, n) in `inFlight` lanes, one task at a time in each. */
export async function lanes(
  n: number,
  inFlight: number,
  task: (i: number, lane: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(inFlight, n) }, async (_, lane) => {
      while (next < n) await task(next++, lane);
    }),
  );
}
