import { rm } from 'node:fs/promises';
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeWebDist, rawRequest, WEB_FILES } from './app-harness';
import { startTestServer, type TestServer } from './start-test-server';

// Production behind a TLS-terminating proxy: the proxy's X-Forwarded-* headers are trusted.
// The web build it serves still holds a source map, as a build with maps turned on would.
let server: TestServer;
let webDir: string;
beforeAll(async () => {
  webDir = await makeWebDist();
  server = await startTestServer({
    env: { NODE_ENV: 'production', TRUST_PROXY: 'true', WEB_DIST_DIR: webDir },
  });
});
afterAll(async () => {
  await server?.stop();
  if (webDir) await rm(webDir, { recursive: true, force: true });
});

/** A raw request, so the Host header and the request target are exactly what we say. */
function rawGet(
  target: string,
  headers: Record<string, string>,
): Promise<{ status: number; location: string | undefined }> {
  const { hostname, port } = new URL(server.baseUrl);
  return new Promise((resolve, reject) => {
    const req = http.request({ hostname, port, path: target, method: 'GET', headers }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, location: res.headers.location }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('production transport', () => {
  it('redirects plain-http requests that came through the proxy to https on the same host', async () => {
    const res = await rawGet('/patients?x=1', {
      host: 'medora.example',
      'x-forwarded-proto': 'http',
    });
    expect(res.status).toBe(308);
    expect(res.location).toBe('https://medora.example/patients?x=1');
  });

  it('never redirects to X-Forwarded-Host: the Host header names the target', async () => {
    const res = await rawGet('/patients?x=1', {
      host: 'medora.example:8080',
      'x-forwarded-proto': 'http',
      'x-forwarded-host': 'evil.example',
    });
    expect(res.status).toBe(308);
    expect(res.location).toBe('https://medora.example:8080/patients?x=1');
  });

  it('keeps an absolute-form request target from naming another origin', async () => {
    const res = await rawGet('http://evil.example/patients', {
      host: 'medora.example',
      'x-forwarded-proto': 'http',
    });
    expect(res.status).toBe(308);
    expect(res.location).toBe('https://medora.example/patients');
  });

  it('answers 400 instead of redirecting to an implausible Host', async () => {
    for (const host of [
      'evil.example/x',
      'a@evil.example',
      'evil.example?x',
      'medora.example:80:80',
      'medora.example:99999',
      '[::1',
    ]) {
      const res = await rawGet('/patients', { host, 'x-forwarded-proto': 'http' });
      expect(res.status, host).toBe(400);
      expect(res.location, host).toBeUndefined();
    }
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

  it('never serves the source maps the build folder holds', async () => {
    const https = { 'x-forwarded-proto': 'https' };
    const script = await fetch(`${server.baseUrl}/assets/index-Bx3f9a1c.js`, { headers: https });
    expect(script.status).toBe(200);
    expect(await script.text()).toBe(WEB_FILES['assets/index-Bx3f9a1c.js']);
    const map = await fetch(`${server.baseUrl}/assets/index-Bx3f9a1c.js.map`, { headers: https });
    expect(map.status).toBe(404);
    expect(await map.text()).not.toContain('sources');
  });

  it("takes the app's own origin from the proxy: its https pages may sign out, others may not", async () => {
    const logout = (origin: string) =>
      rawRequest(server.baseUrl, {
        method: 'POST',
        path: '/trpc/auth.logout',
        headers: {
          host: 'medora.example',
          'x-forwarded-proto': 'https',
          origin,
          'content-type': 'application/json',
        },
        body: '{}',
      });
    expect((await logout('https://medora.example')).status).toBe(200);
    expect((await logout('http://medora.example')).status).toBe(403);
    expect((await logout('https://evil.example')).status).toBe(403);
  });
});
