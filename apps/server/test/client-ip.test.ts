import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './start-test-server';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
});

let phoneSeq = 3000000;

/** A failed sign-in with the given X-Forwarded-For; returns the IP its audit row recorded. */
async function auditedIp(forwardedFor: string): Promise<string | null> {
  const requestId = `client-ip-${randomUUID()}`;
  const res = await fetch(`${server!.baseUrl}/trpc/auth.login`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-forwarded-for': forwardedFor,
      'x-request-id': requestId,
    },
    body: JSON.stringify({ json: { phone: `+99891${phoneSeq++}`, password: 'wrong-password-1' } }),
  });
  expect(res.status).toBe(401);
  const row = await server!.services.db
    .selectFrom('audit_log')
    .select('ip')
    .where('action', '=', 'auth.login')
    .where('request_id', '=', requestId)
    .executeTakeFirstOrThrow();
  return row.ip;
}

describe('client IP', () => {
  it('behind one trusted proxy, is the address that proxy appended, not what the client wrote', async () => {
    server = await startTestServer({ env: { TRUST_PROXY: 'true' } });
    expect(await auditedIp('6.6.6.6, 203.0.113.9')).toBe('203.0.113.9');
    expect(await auditedIp('203.0.113.10')).toBe('203.0.113.10');
  });

  it('counts TRUST_PROXY_HOPS proxies from the right', async () => {
    server = await startTestServer({ env: { TRUST_PROXY: 'true', TRUST_PROXY_HOPS: '2' } });
    expect(await auditedIp('6.6.6.6, 203.0.113.9, 10.0.0.2')).toBe('203.0.113.9');
  });

  it('ignores X-Forwarded-For entirely without TRUST_PROXY', async () => {
    server = await startTestServer({ env: { TRUST_PROXY: 'false' } });
    expect(await auditedIp('6.6.6.6, 203.0.113.9')).toBe('127.0.0.1');
  });

  it('per-IP limits follow the trusted address, so a client cannot rotate its way past them', async () => {
    server = await startTestServer({ env: { TRUST_PROXY: 'true', RATE_LIMIT_IP_PER_MINUTE: '2' } });
    const me = (forwardedFor: string) =>
      fetch(`${server!.baseUrl}/trpc/auth.me`, { headers: { 'x-forwarded-for': forwardedFor } });
    expect((await me('1.1.1.1, 203.0.113.9')).status).toBe(401);
    expect((await me('2.2.2.2, 203.0.113.9')).status).toBe(401);
    expect((await me('3.3.3.3, 203.0.113.9')).status).toBe(429);
    // Another client behind the same proxy has its own budget.
    expect((await me('3.3.3.3, 203.0.113.10')).status).toBe(401);
  });
});
