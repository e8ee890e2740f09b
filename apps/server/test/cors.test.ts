import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawRequest, serveApp, type RawResponse, type ServedApp } from './app-harness';
import { startTestServer, type TestServer } from './start-test-server';

// CORS over real HTTP: same-origin by default, and an allow-list from ALLOWED_ORIGINS.

const LISTED = 'https://admin.example.uz';
const OTHER = 'https://evil.example';

let server: TestServer;
let listed: ServedApp;
beforeAll(async () => {
  server = await startTestServer();
  // Written as an operator might: upper case, default port, a trailing slash.
  listed = await serveApp(server, {
    config: { allowedOrigins: ['https://Admin.Example.uz:443/'] },
  });
});
afterAll(async () => {
  await listed?.close();
  await server?.stop();
});

const preflight = (
  baseUrl: string,
  origin: string,
  method = 'POST',
  headers = 'content-type, authorization',
) =>
  rawRequest(baseUrl, {
    method: 'OPTIONS',
    path: '/trpc/auth.logout',
    headers: {
      origin,
      'access-control-request-method': method,
      'access-control-request-headers': headers,
    },
  });

const logout = (baseUrl: string, origin: string) =>
  rawRequest(baseUrl, {
    method: 'POST',
    path: '/trpc/auth.logout',
    headers: { origin, 'content-type': 'application/json' },
    body: '{}',
  });

function expectNoCors(res: RawResponse) {
  for (const name of [
    'access-control-allow-origin',
    'access-control-allow-credentials',
    'access-control-allow-methods',
    'access-control-allow-headers',
  ])
    expect(res.headers[name], name).toBeUndefined();
}

const varyOrigin = (res: RawResponse) =>
  String(res.headers.vary ?? '')
    .toLowerCase()
    .split(/\s*,\s*/)
    .includes('origin');

describe('CORS by default (no allow-list)', () => {
  it('grants no origin anything, preflight or request', async () => {
    for (const origin of [LISTED, OTHER, 'null']) {
      const pre = await preflight(server.baseUrl, origin);
      expect(pre.status).toBe(204);
      expectNoCors(pre);
      const get = await rawRequest(server.baseUrl, {
        method: 'GET',
        path: '/trpc/auth.me',
        headers: { origin },
      });
      expect(get.status).toBe(401);
      expectNoCors(get);
      expect(varyOrigin(get)).toBe(true);
    }
  });
});

describe('CORS with ALLOWED_ORIGINS', () => {
  it('answers a listed origin’s preflight with credentials, methods and headers', async () => {
    const res = await preflight(listed.baseUrl, LISTED);
    expect(res.status).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe(LISTED);
    expect(res.headers['access-control-allow-credentials']).toBe('true');
    expect(res.headers['access-control-allow-methods']).toBe('GET, POST');
    expect(res.headers['access-control-allow-headers']).toBe('authorization, content-type');
    expect(Number(res.headers['access-control-max-age'])).toBeGreaterThan(0);
    expect(varyOrigin(res)).toBe(true);
  });

  it('grants nothing to other origins, other methods or other headers', async () => {
    for (const res of [
      await preflight(listed.baseUrl, OTHER),
      await preflight(listed.baseUrl, 'null'),
      await preflight(listed.baseUrl, 'https://admin.example.uz.evil.example'),
      await preflight(listed.baseUrl, 'http://admin.example.uz'),
      await preflight(listed.baseUrl, LISTED, 'PUT'),
      await preflight(listed.baseUrl, LISTED, 'POST', 'content-type, x-forwarded-for'),
    ]) {
      expectNoCors(res);
      expect(varyOrigin(res)).toBe(true);
    }
  });

  it('lets a listed origin read and write; another origin is refused without CORS headers', async () => {
    const ok = await logout(listed.baseUrl, LISTED);
    expect(ok.status).toBe(200);
    expect(ok.headers['access-control-allow-origin']).toBe(LISTED);
    expect(ok.headers['access-control-allow-credentials']).toBe('true');
    expect(ok.headers['access-control-expose-headers']).toContain('Retry-After');
    expect(varyOrigin(ok)).toBe(true);

    const refused = await logout(listed.baseUrl, OTHER);
    expect(refused.status).toBe(403);
    expectNoCors(refused);
    expect(varyOrigin(refused)).toBe(true);
  });

  it('offers only the API cross-origin, not health checks or the web app', async () => {
    const res = await rawRequest(listed.baseUrl, {
      method: 'GET',
      path: '/health',
      headers: { origin: LISTED },
    });
    expect(res.status).toBe(200);
    expectNoCors(res);
  });
});
