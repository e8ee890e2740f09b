import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ERROR_LEVEL,
  makeWebDist,
  rawRequest,
  serveApp,
  type RawResponse,
  type ServedApp,
} from './app-harness';
import { startTestServer, type TestServer } from './start-test-server';

let server: TestServer;
let app: ServedApp;
let webDir: string;
beforeAll(async () => {
  server = await startTestServer();
  webDir = await makeWebDist();
  app = await serveApp(server, {
    webDistDir: webDir,
    routes: (router) => router.post('/api/echo', (ctx) => void (ctx.body = { ok: true })),
  });
});
afterAll(async () => {
  await app?.close();
  await server?.stop();
  if (webDir) await rm(webDir, { recursive: true, force: true });
});

const send = (method: string, path: string, headers: Record<string, string> = {}) =>
  rawRequest(app.baseUrl, { method, path, headers });

interface Refusal {
  error: {
    code: string;
    json?: { message: string; code: number; data: { code: string; httpStatus: number } };
  };
}

function expect405(res: RawResponse, allow: string, label: string) {
  expect(res.status, label).toBe(405);
  expect(res.headers.allow, label).toBe(allow);
}

const UNSUPPORTED = ['TRACE', 'PROPFIND', 'PUT', 'DELETE', 'PATCH', 'MKCOL', 'LOCK'];
const TRPC_PATHS = ['/trpc/auth.me', '/trpc/auth.logout', '/trpc/nope.nothing'];
const READ_ONLY_PATHS = [
  '/',
  '/patients',
  '/index.html',
  '/assets/index-Bx3f9a1c.js',
  '/assets/missing.js',
  '/favicon.ico',
  '/sw.js',
  '/health',
  '/health/detailed',
  '/metrics',
];

describe('unsupported HTTP methods', () => {
  it('on /trpc answer 405 with Allow: GET, POST, in the shape the tRPC client reads', async () => {
    for (const path of TRPC_PATHS) {
      for (const method of UNSUPPORTED) {
        const res = await send(method, path);
        expect405(res, 'GET, POST', `${method} ${path}`);
        const body = JSON.parse(res.body) as Refusal;
        expect(body.error.json).toMatchObject({
          message: 'VALIDATION_FAILED',
          code: -32005,
          data: { code: 'METHOD_NOT_SUPPORTED', httpStatus: 405, appCode: 'VALIDATION_FAILED' },
        });
      }
      // HEAD would run a query only to drop its answer.
      expect405(await send('HEAD', path), 'GET, POST', `HEAD ${path}`);
    }
  });

  it('on /trpc, a query sent as POST or a mutation as GET also says what is allowed', async () => {
    const query = await rawRequest(app.baseUrl, {
      method: 'POST',
      path: '/trpc/auth.me',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect405(query, 'GET, POST', 'POST auth.me');
    expect405(await send('GET', '/trpc/auth.logout'), 'GET, POST', 'GET auth.logout');
  });

  it('on the web app, health and metrics answer 405 with Allow: GET, HEAD', async () => {
    for (const path of READ_ONLY_PATHS) {
      for (const method of [...UNSUPPORTED, 'POST']) {
        const res = await send(method, path);
        expect405(res, 'GET, HEAD', `${method} ${path}`);
        expect((JSON.parse(res.body) as Refusal).error.code, `${method} ${path}`).toBe(
          'VALIDATION_FAILED',
        );
      }
    }
    for (const path of ['/', '/favicon.ico', '/health'])
      expect((await send('HEAD', path)).status, `HEAD ${path}`).toBe(200);
  });

  it('answer OPTIONS with 204 and Allow, granting no cross-origin access', async () => {
    const cases: [string, string][] = [
      ['/trpc/auth.logout', 'GET, POST'],
      ['/health', 'GET, HEAD'],
      ['/patients', 'GET, HEAD'],
      ['/api/echo', 'POST'],
    ];
    for (const [path, allow] of cases) {
      const res = await send('OPTIONS', path, {
        origin: 'https://evil.example',
        'access-control-request-method': 'POST',
      });
      expect(res.status, path).toBe(204);
      expect(res.headers.allow, path).toBe(allow);
      expect(res.headers['access-control-allow-origin'], path).toBeUndefined();
    }
  });

  it('on extra routes, follow what the route registered', async () => {
    expect405(await send('PUT', '/api/echo'), 'POST', 'PUT /api/echo');
    expect405(await send('TRACE', '/api/echo'), 'POST', 'TRACE /api/echo');
    // No route claims it: a plain 404, whatever the method.
    expect((await send('PROPFIND', '/api/nothing-here')).status).toBe(404);
  });

  it('are never logged as errors', async () => {
    app.logs.length = 0;
    for (const method of UNSUPPORTED) {
      for (const path of [...TRPC_PATHS, ...READ_ONLY_PATHS]) {
        const res = await send(method, path);
        expect(res.status, `${method} ${path}`).toBeLessThan(500);
      }
    }
    // The capture works: each refusal left its line.
    expect(app.logs.some((l) => l.reason === 'method not allowed')).toBe(true);
    expect(app.logs.filter((l) => l.level >= ERROR_LEVEL)).toEqual([]);
  });
});
