import { freshPhone } from '@medora/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './start-test-server';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.stop());

interface TrpcError {
  error: {
    json: {
      message: string;
      data: {
        httpStatus: number;
        appCode: string;
        fieldErrors: Record<string, string[]> | null;
        stack?: unknown;
      };
    };
  };
}

const post = (procedure: string, body: string, headers: Record<string, string> = {}) =>
  fetch(`${server.baseUrl}/trpc/${procedure}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });

const mutate = (procedure: string, input: unknown, headers?: Record<string, string>) =>
  post(procedure, JSON.stringify({ json: input }), headers);

const newPhone = freshPhone;

describe('tRPC over HTTP', () => {
  it('registers, then reads the session with the bearer; the refresh cookie is locked down', async () => {
    const res = await mutate('auth.register', {
      phone: newPhone(),
      name: 'Ali Valiyev',
      password: 'correct-horse-battery',
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    // The device cookie may come first; this test is about the refresh cookie.
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('medora_rt=')) ?? '';
    expect(cookie).toMatch(/^medora_rt=/);
    expect(cookie).toMatch(/httponly/i);
    expect(cookie).toMatch(/samesite=strict/i);
    expect(cookie).toMatch(/path=\/trpc/i);
    const body = (await res.json()) as {
      result: { data: { json: { accessToken: string; user: { name: string; role: string } } } };
    };
    const { accessToken, user } = body.result.data.json;
    expect(user).toMatchObject({ name: 'Ali Valiyev', role: 'doctor' });

    const me = await fetch(`${server.baseUrl}/trpc/auth.me`, {
      headers: { authorization: `Bearer ${accessToken}` },
    });
    expect(me.status).toBe(200);
    const meBody = (await me.json()) as {
      result: { data: { json: { user?: { name: string }; name?: string } } };
    };
    expect(JSON.stringify(meBody.result.data.json)).toContain('Ali Valiyev');
  });

  it('refuses auth.me without a bearer as UNAUTHENTICATED', async () => {
    const res = await fetch(`${server.baseUrl}/trpc/auth.me`);
    expect(res.status).toBe(401);
    const body = (await res.json()) as TrpcError;
    expect(body.error.json.data.appCode).toBe('UNAUTHENTICATED');
  });

  it('answers malformed JSON with a 4xx and an app code, never a 500', async () => {
    const res = await post('auth.register', '{"json": {"phone": ');
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    const body = (await res.json()) as TrpcError;
    expect(body.error.json.data.appCode).toBe('VALIDATION_FAILED');
    expect(body.error.json.data.stack).toBeUndefined();
  });

  it('reports wrong types per field', async () => {
    const res = await mutate('auth.register', { phone: 998901234567, name: ['x'], password: true });
    expect(res.status).toBe(400);
    const body = (await res.json()) as TrpcError;
    expect(body.error.json.data.appCode).toBe('VALIDATION_FAILED');
    expect(Object.keys(body.error.json.data.fieldErrors ?? {})).toEqual(
      expect.arrayContaining(['phone', 'name', 'password']),
    );
  });

  it('rejects SQL and HTML in a name as a field error, creating no user', async () => {
    const countUsers = async () =>
      Number(
        (
          await server.services.db
            .selectFrom('users')
            .select((eb) => eb.fn.countAll<string>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    for (const name of ["Robert'); DROP TABLE users;--", '<script>alert(1)</script>']) {
      const before = await countUsers();
      const res = await mutate('auth.register', {
        phone: newPhone(),
        name,
        password: 'correct-horse-battery',
      });
      expect(res.status).toBe(400);
      const body = (await res.json()) as TrpcError;
      expect(body.error.json.data.appCode).toBe('VALIDATION_FAILED');
      expect(body.error.json.data.fieldErrors?.name?.length).toBeGreaterThan(0);
      expect(await countUsers()).toBe(before);
    }
  });

  it('answers a body over 1 MB with 413', async () => {
    const big = JSON.stringify({
      json: { phone: newPhone(), name: 'x'.repeat(1_100_000), password: 'correct-horse-battery' },
    });
    const res = await post('auth.register', big);
    expect(res.status).toBe(413);
    const body = (await res.json()) as TrpcError;
    expect(body.error.json.data.appCode).toBe('PAYLOAD_TOO_LARGE');
  });

  it('answers an unknown procedure with 404 NOT_FOUND', async () => {
    const res = await mutate('nope.nothing', {});
    expect(res.status).toBe(404);
    const body = (await res.json()) as TrpcError;
    expect(body.error.json.data.appCode).toBe('NOT_FOUND');
  });

  it('refuses batched calls outright: one HTTP request carries one procedure call', async () => {
    const phone = newPhone();
    const attempt = { json: { phone, password: 'wrong-password-1' } };
    const res = await post(
      'auth.login,auth.login?batch=1',
      JSON.stringify({ 0: attempt, 1: attempt }),
      { 'x-request-id': 'batched-login-1' },
    );
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    // Not a single attempt reached the sign-in code (each one leaves an audit row).
    const attempts = await server.services.db
      .selectFrom('audit_log')
      .select('id')
      .where('action', '=', 'auth.login')
      .where('request_id', '=', 'batched-login-1')
      .execute();
    expect(attempts).toEqual([]);
  });

  it('sends Retry-After with a sign-in lock-out', async () => {
    const phone = newPhone();
    const login = () => mutate('auth.login', { phone, password: 'wrong-password-1' });
    for (let i = 0; i < 5; i++) {
      const res = await login();
      expect(res.status).toBe(401);
      expect(res.headers.get('retry-after')).toBeNull();
    }
    const locked = await login();
    expect(locked.status).toBe(429);
    const body = (await locked.json()) as TrpcError & {
      error: { json: { data: { retryAfterSeconds: number } } };
    };
    const header = Number(locked.headers.get('retry-after'));
    expect(Number.isInteger(header)).toBe(true);
    expect(header).toBeGreaterThanOrEqual(1);
    expect(header).toBeLessThanOrEqual(900);
    expect(header).toBe(body.error.json.data.retryAfterSeconds);
  });

  it('carries the request id into the audit trail', async () => {
    const res = await mutate(
      'auth.register',
      { phone: newPhone(), name: 'Audit Test', password: 'correct-horse-battery' },
      { 'x-request-id': 'req-audit-1' },
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('x-request-id')).toBe('req-audit-1');
    const row = await server.services.db
      .selectFrom('audit_log')
      .select(['action', 'request_id', 'ip'])
      .where('request_id', '=', 'req-audit-1')
      .executeTakeFirst();
    expect(row).toMatchObject({ action: 'auth.register', request_id: 'req-audit-1' });
    expect(row?.ip).toBeTruthy();
  });
});
