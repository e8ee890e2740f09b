import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './start-test-server';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({
    // These tests change what the checks see and look again at once: no reuse of answers.
    healthCacheMs: 0,
    routes: (router) =>
      router.get('/api/test-boom', () => {
        throw new Error('secret internal detail');
      }),
  });
});
afterAll(() => server?.stop());

interface Detailed {
  status: string;
  version: string;
  uptimeSeconds: number;
  checkedAt: string;
  checks: {
    database: { status: string; latencyMs: number };
    cache: { status: string; backend: string; latencyMs: number };
    worker: { status: string; lastHeartbeatAt: string | null; ageSeconds: number | null };
    migrations: { status: string; pending: string[] };
  };
}

describe('health routes', () => {
  it('GET /health answers ok with version and uptime', async () => {
    const res = await fetch(`${server.baseUrl}/health`);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body = (await res.json()) as { status: string; version: string; uptimeSeconds: number };
    expect(Object.keys(body).sort()).toEqual(['status', 'uptimeSeconds', 'version']);
    expect(body.status).toBe('ok');
    expect(typeof body.version).toBe('string');
    expect(body.uptimeSeconds).toBeGreaterThanOrEqual(0);
  });

  it('GET /health/detailed reports each dependency; the worker is stale until it beats', async () => {
    const res = await fetch(`${server.baseUrl}/health/detailed`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as Detailed;
    expect(body.checks.database.status).toBe('ok');
    expect(body.checks.cache).toMatchObject({ status: 'ok', backend: 'memory' });
    expect(body.checks.migrations).toEqual({ status: 'ok', pending: [] });
    expect(body.checks.worker).toEqual({
      status: 'stale',
      lastHeartbeatAt: null,
      ageSeconds: null,
    });
    expect(body.status).toBe('degraded');

    await server.services.db
      .insertInto('worker_heartbeats')
      .values({ worker_id: 'test:1', version: 'test' })
      .execute();
    const after = (await (await fetch(`${server.baseUrl}/health/detailed`)).json()) as Detailed;
    expect(after.checks.worker.status).toBe('ok');
    expect(after.checks.worker.ageSeconds).toBeLessThan(5);
    expect(after.status).toBe('ok');
  });

  it('an old heartbeat counts as stale', async () => {
    await server.services.db
      .updateTable('worker_heartbeats')
      .set({ beat_at: new Date(Date.now() - 10 * 60_000) })
      .execute();
    const body = (await (await fetch(`${server.baseUrl}/health/detailed`)).json()) as Detailed;
    expect(body.checks.worker.status).toBe('stale');
    expect(body.checks.worker.ageSeconds).toBeGreaterThan(500);
  });
});

describe('GET /health/detailed under load', () => {
  let cached: TestServer;
  beforeAll(async () => {
    // A period far longer than the test, so nothing here depends on timing.
    cached = await startTestServer({ healthCacheMs: 60_000 });
  });
  afterAll(() => cached?.stop());

  it('reuses one check for callers within the period instead of querying again', async () => {
    const get = async () => {
      const res = await fetch(`${cached.baseUrl}/health/detailed`);
      expect(res.status).toBe(200);
      return (await res.json()) as Detailed;
    };
    const first = await get();
    expect(first.checks.worker.status).toBe('stale');
    expect(Date.parse(first.checkedAt)).not.toBeNaN();
    // A change the database would show at once...
    await cached.services.db
      .insertInto('worker_heartbeats')
      .values({ worker_id: 'test:memo', version: 'test' })
      .execute();
    // ...is not seen: these answers come from the first check, not from new queries.
    const [second, third] = await Promise.all([get(), get()]);
    for (const later of [second, third]) {
      expect(later.checkedAt).toBe(first.checkedAt);
      expect(later.checks).toEqual(first.checks);
    }
  });
});

describe('cross-cutting HTTP behaviour', () => {
  it('sends the security headers', async () => {
    const res = await fetch(`${server.baseUrl}/health`);
    const csp = res.headers.get('content-security-policy') ?? '';
    for (const directive of [
      "default-src 'self'",
      "script-src 'self'",
      "frame-ancestors 'none'",
      "object-src 'none'",
      "base-uri 'self'",
      "form-action 'self'",
    ]) {
      expect(csp).toContain(directive);
    }
    expect(csp).not.toContain('unsafe-inline');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
    expect(res.headers.get('x-xss-protection')).toBe('0');
    // HSTS only in production (this server runs in test mode over plain http).
    expect(res.headers.get('strict-transport-security')).toBeNull();
  });

  it('echoes a sane X-Request-Id and replaces an unsafe one', async () => {
    const kept = await fetch(`${server.baseUrl}/health`, {
      headers: { 'X-Request-Id': 'abc-123_XYZ' },
    });
    expect(kept.headers.get('x-request-id')).toBe('abc-123_XYZ');
    const replaced = await fetch(`${server.baseUrl}/health`, {
      headers: { 'X-Request-Id': 'bad id<script>' },
    });
    expect(replaced.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const tooLong = await fetch(`${server.baseUrl}/health`, {
      headers: { 'X-Request-Id': 'a'.repeat(65) },
    });
    expect(tooLong.headers.get('x-request-id')).not.toBe('a'.repeat(65));
  });

  it('answers unknown API paths with a generic JSON 404', async () => {
    const res = await fetch(`${server.baseUrl}/api/nope`, {
      headers: { Accept: 'application/json' },
    });
    expect(res.status).toBe(404);
    const body = (await res.json()) as { error: { code: string; requestId: string } };
    expect(body.error.code).toBe('NOT_FOUND');
    expect(body.error.requestId).toBe(res.headers.get('x-request-id'));
  });

  it('answers an unexpected error with a generic 500: no message, no stack', async () => {
    const res = await fetch(`${server.baseUrl}/api/test-boom`);
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(JSON.parse(text)).toEqual({
      error: { code: 'INTERNAL', requestId: res.headers.get('x-request-id') },
    });
    expect(text).not.toContain('secret');
    // Security headers survive the error path.
    expect(res.headers.get('x-frame-options')).toBe('DENY');
  });

  it('exposes Prometheus metrics with the request histogram', async () => {
    await fetch(`${server.baseUrl}/health`);
    const res = await fetch(`${server.baseUrl}/metrics`);
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toContain('process_cpu_user_seconds_total');
    expect(text).toMatch(
      /http_request_duration_seconds_count\{method="GET",route="\/health",status="200"\} \d+/,
    );
  });
});

describe('security.txt', () => {
  it('names the contact and an expiry under a year ahead (RFC 9116)', async () => {
    const res = await fetch(`${server.baseUrl}/.well-known/security.txt`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    const fields = Object.fromEntries(
      (await res.text())
        .trim()
        .split('\n')
        .map((line) => line.split(/: (.*)/s).slice(0, 2)),
    ) as Record<string, string>;
    expect(fields.Contact).toBe('mailto:security@medora.uz');
    const daysAhead = (Date.parse(fields.Expires!) - Date.now()) / (24 * 3600 * 1000);
    expect(daysAhead).toBeGreaterThan(30);
    expect(daysAhead).toBeLessThan(365);
    expect(fields.Expires).toMatch(/^\d{4}-\d\d-\d\dT00:00:00\.000Z$/);
    // Counted under its own route, not as an unmatched request.
    const metrics = await (await fetch(`${server.baseUrl}/metrics`)).text();
    expect(metrics).toContain('route="GET /.well-known/security.txt",status="200"');
  });
});
