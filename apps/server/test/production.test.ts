import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './start-test-server';

// Production behind a TLS-terminating proxy: the proxy's X-Forwarded-* headers are trusted.
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ env: { NODE_ENV: 'production', TRUST_PROXY: 'true' } });
});
afterAll(() => server?.stop());

describe('production transport', () => {
  it('redirects plain-http requests that came through the proxy to https', async () => {
    const res = await fetch(`${server.baseUrl}/patients?x=1`, {
      headers: { 'x-forwarded-proto': 'http', 'x-forwarded-host': 'medora.example' },
      redirect: 'manual',
    });
    expect(res.status).toBe(308);
    expect(res.headers.get('location')).toBe('https://medora.example/patients?x=1');
  });

  it('serves https requests with HSTS', async () => {
    const res = await fetch(`${server.baseUrl}/health`, {
      headers: { 'x-forwarded-proto': 'https' },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('strict-transport-security')).toMatch(/max-age=\d+; includeSubDomains/);
    expect(res.headers.get('content-security-policy')).toContain('upgrade-insecure-requests');
  });

  it('answers health checks that bypass the proxy without redirecting', async () => {
    const res = await fetch(`${server.baseUrl}/health`, { redirect: 'manual' });
    expect(res.status).toBe(200);
  });

  it('sets the refresh cookie Secure', async () => {
    const res = await fetch(`${server.baseUrl}/trpc/auth.register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-proto': 'https' },
      body: JSON.stringify({
        json: { phone: '+998909998877', name: 'Secure Cookie', password: 'correct-horse-battery' },
      }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('set-cookie')).toMatch(/;\s*secure/i);
  });
});
