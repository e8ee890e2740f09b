import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freshPhone } from '@medora/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generalLogLines, logBytes } from './log-files';
import { startTestServer, type TestServer } from './start-test-server';

// A flood of rejected requests against the real server logging to files at the production
// level: the log grows by a bounded amount, and every refusal is still accounted for.

const FLOOD = 10_000;
const CONCURRENCY = 32;
const FAILED_LOGINS = 3;
const MAX_GROWTH_BYTES = 1024 * 1024;

let server: TestServer | undefined;
let logDir: string;

beforeAll(async () => {
  logDir = await mkdtemp(path.join(tmpdir(), 'medora-log-flood-'));
  server = await startTestServer({
    env: { LOG_DIR: logDir, LOG_LEVEL: 'info', LOG_FORMAT: 'json' },
  });
});
afterAll(async () => {
  await server?.stop();
  await rm(logDir, { recursive: true, force: true });
});

/** The i-th rejected request: a mix of what scanners and broken clients send. */
function rejected(base: string, i: number): { url: string; init: RequestInit; status: number } {
  const json = { 'content-type': 'application/json' };
  switch (i % 6) {
    case 0: // no token
      return {
        url: `${base}/trpc/patient.list?input=${encodeURIComponent('{"json":{}}')}`,
        init: {},
        status: 401,
      };
    case 1: // malformed JSON
      return {
        url: `${base}/trpc/auth.login`,
        init: { method: 'POST', headers: json, body: '{"json":{"phone":' },
        status: 400,
      };
    case 2: // unknown route, a different path each time
      return { url: `${base}/wp-admin/setup-${i}.php`, init: {}, status: 404 };
    case 3: // a method the route does not take
      return { url: `${base}/trpc/auth.me`, init: { method: 'DELETE' }, status: 405 };
    case 4: // a form post, which only a browser form would send
      return {
        url: `${base}/trpc/auth.logout`,
        init: { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'x' },
        status: 415,
      };
    default: // another site's page
      return {
        url: `${base}/trpc/auth.logout`,
        init: { method: 'POST', headers: { ...json, origin: 'https://evil.example' }, body: '{}' },
        status: 403,
      };
  }
}

/** Sums the refusals the log accounts for: full lines, plus the counts in summary lines. */
const accounted = (lines: Awaited<ReturnType<typeof generalLogLines>>) =>
  lines.reduce(
    (n, l) =>
      n +
      (l.msg === 'request refused' ? 1 : 0) +
      (l.msg === 'requests refused (summary)' ? (l.suppressed as number) : 0),
    0,
  );

describe('a flood of rejected requests', () => {
  it(`adds less than 1 MB of log for ${FLOOD.toLocaleString('en')} of them, and counts them all`, async () => {
    const base = server!.baseUrl;
    await expect.poll(() => logBytes(logDir), { timeout: 10_000 }).toBeGreaterThan(0);
    const before = await logBytes(logDir);

    // Failed sign-ins are refusals too, and the audit trail must keep every one of them.
    const phone = freshPhone();
    for (let i = 0; i < FAILED_LOGINS; i++) {
      const res = await fetch(`${base}/trpc/auth.login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ json: { phone, password: 'not-the-password-1' } }),
      });
      expect(res.status).toBe(401);
    }

    let next = 0;
    const wrong: string[] = [];
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < FLOOD) {
          const r = rejected(base, next++);
          const res = await fetch(r.url, r.init);
          await res.arrayBuffer();
          if (res.status !== r.status) wrong.push(`${r.url}: ${res.status}`);
        }
      }),
    );
    expect(wrong.slice(0, 5)).toEqual([]);

    const audited = await server!.services.db
      .selectFrom('audit_log')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('action', '=', 'auth.login')
      .where('outcome', '=', 'failure')
      .executeTakeFirstOrThrow();
    expect(Number(audited.n)).toBe(FAILED_LOGINS);

    // Stopping writes the summaries of what was only counted.
    await server!.stop();
    server = undefined;
    const expected = FLOOD + FAILED_LOGINS;
    await expect
      .poll(async () => accounted(await generalLogLines(logDir)), { timeout: 20_000 })
      .toBe(expected);
    const growth = (await logBytes(logDir)) - before;
    expect(growth).toBeLessThan(MAX_GROWTH_BYTES);
    // Nothing about a refusal is an error.
    const lines = await generalLogLines(logDir);
    expect(lines.filter((l) => l.level >= 50).map((l) => l.msg)).toEqual([]);
  }, 120_000);
});
