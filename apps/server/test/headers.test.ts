import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '@medora/core';
import {
  createTestDatabase,
  factories,
  signInDirectly,
  type TestDatabase,
} from '@medora/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../src/server';
import { makeWebDist, rawRequest, serveApp, type ServedApp } from './app-harness';
import { startTestServer, testEnv, type TestServer } from './start-test-server';

// The browser-facing header set on every kind of answer the server gives: API, health, the web
// app and its static files, revalidations, refusals, server faults, file downloads and event
// streams. The server reaches PostgreSQL through a TCP relay the test owns, so closing the relay
// takes the database away from this server alone.

type Headers = Record<string, string | undefined>;
interface Answer {
  status: number;
  headers: Headers;
}

const APP_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "frame-ancestors 'none'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
];
const FILE_CSP = "default-src 'none'; frame-ancestors 'none'; sandbox";

/** The header set every answer carries; HSTS only in production. */
function expectBrowserHeaders(h: Headers, opts: { production?: boolean; csp?: 'app' | 'file' }) {
  const csp = h['content-security-policy'] ?? '';
  if (opts.csp === 'file') expect(csp).toBe(FILE_CSP);
  else for (const directive of APP_CSP) expect(csp).toContain(directive);
  expect(h['x-frame-options']).toBe('DENY');
  expect(h['x-content-type-options']).toBe('nosniff');
  // Off on purpose: the legacy filter is gone from browsers and could be abused; CSP protects.
  expect(h['x-xss-protection']).toBe('0');
  expect(h['referrer-policy']).toBe('strict-origin-when-cross-origin');
  const permissions = h['permissions-policy'] ?? '';
  for (const feature of ['camera', 'microphone', 'geolocation', 'payment', 'usb'])
    expect(permissions).toContain(`${feature}=()`);
  expect(h['cross-origin-opener-policy']).toBe('same-origin');
  expect(h['cross-origin-resource-policy']).toBe('same-origin');
  expect(h['x-powered-by']).toBeUndefined();
  if (opts.production)
    expect(h['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
  else expect(h['strict-transport-security']).toBeUndefined();
}

const flat = (headers: Record<string, string | string[] | undefined>): Headers =>
  Object.fromEntries(
    Object.entries(headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : v]),
  );

async function raw(
  baseUrl: string,
  req: { method?: string; path: string; headers?: Record<string, string>; body?: string | Buffer },
): Promise<Answer> {
  const res = await rawRequest(baseUrl, { method: 'GET', ...req });
  return { status: res.status, headers: flat(res.headers) };
}

/** Bytes written straight to the socket: requests Node's parser refuses before Koa sees them. */
async function rawBytes(baseUrl: string, bytes: string): Promise<Answer & { body: string }> {
  const { hostname, port } = new URL(baseUrl);
  const socket = net.connect(Number(port), hostname);
  socket.on('connect', () => socket.write(bytes));
  const chunks: Buffer[] = [];
  for await (const chunk of socket) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('latin1');
  const [head = '', body = ''] = text.split('\r\n\r\n');
  const [statusLine = '', ...lines] = head.split('\r\n');
  const headers: Headers = {};
  for (const line of lines) {
    const at = line.indexOf(':');
    headers[line.slice(0, at).toLowerCase()] = line.slice(at + 1).trim();
  }
  return { status: Number(statusLine.split(' ')[1]), headers, body };
}

/** A TCP relay to the shared PostgreSQL that the test can cut. */
async function startRelay(target: { host: string; port: number }) {
  const sockets = new Set<net.Socket>();
  const relay = net.createServer((client) => {
    const upstream = net.connect(target.port, target.host);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
  const { port } = relay.address() as net.AddressInfo;
  let cut = false;
  return {
    port,
    /** No new connections, and the open ones die: the database is unreachable. */
    cut: () => {
      if (cut) return Promise.resolve();
      cut = true;
      for (const s of sockets) s.destroy();
      return new Promise<void>((resolve) => relay.close(() => resolve()));
    },
  };
}

const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);

describe('header set, development mode', () => {
  let database: TestDatabase;
  let relay: Awaited<ReturnType<typeof startRelay>>;
  let server: RunningServer;
  let webDir: string;
  let dataDir: string;
  let token: string;
  let fileId: string;
  let etag: string;
  let lastModified: string;
  let limited: ServedApp;

  const url = () => server.url;
  const bearer = () => ({ authorization: `Bearer ${token}` });

  beforeAll(async () => {
    database = await createTestDatabase();
    const pg = new URL(database.url);
    relay = await startRelay({ host: pg.hostname, port: Number(pg.port || 5432) });
    pg.hostname = '127.0.0.1';
    pg.port = String(relay.port);
    webDir = await makeWebDist();
    dataDir = await mkdtemp(path.join(tmpdir(), 'medora-headers-'));
    server = await startServer({
      config: loadConfig(
        testEnv({ DATABASE_URL: pg.toString(), DATA_DIR: dataDir, WEB_DIST_DIR: webDir }),
      ),
    });
    const make = factories(server.services.db);
    const doctor = await make.doctor();
    token = (await signInDirectly(server.services, doctor)).accessToken;
    const patient = await make.patient(doctor);
    const form = new FormData();
    form.append('purpose', 'attachment');
    form.append('patientId', patient.id);
    form.append('file', new Blob([PNG], { type: 'image/png' }), 'scan.png');
    const uploaded = await fetch(`${url()}/api/files`, {
      method: 'POST',
      headers: bearer(),
      body: form,
    });
    expect(uploaded.status).toBe(201);
    fileId = ((await uploaded.json()) as { id: string }).id;
    const asset = await raw(url(), { path: '/assets/index-Bx3f9a1c.js' });
    etag = asset.headers.etag!;
    const index = await raw(url(), { path: '/', headers: { accept: 'text/html' } });
    lastModified = index.headers['last-modified']!;
    // Its own limit counters, so only this app's requests count towards its 429.
    limited = await serveApp(
      { baseUrl: url(), services: server.services, databaseUrl: '', stop: async () => {} },
      {
        config: { rateLimit: { ipPerMinute: 1, anonPerHour: 1_000_000, userPerHour: 1_000_000 } },
        rateLimitKeyPrefix: `headers-test-${randomUUID()}`,
      },
    );
  });

  afterAll(async () => {
    await limited?.close();
    await server?.close();
    await relay?.cut();
    await database?.drop();
    if (webDir) await rm(webDir, { recursive: true, force: true });
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  const bigBody = JSON.stringify({ json: { phone: '+998901234567', password: 'x'.repeat(2e6) } });
  const rows: {
    name: string;
    status: number;
    request: () => {
      method?: string;
      path: string;
      headers?: Record<string, string>;
      body?: string;
    };
    check?: (h: Headers) => void;
  }[] = [
    {
      name: 'tRPC query',
      status: 200,
      request: () => ({ path: '/trpc/auth.me', headers: bearer() }),
    },
    { name: '/health', status: 200, request: () => ({ path: '/health' }) },
    {
      name: 'index.html',
      status: 200,
      request: () => ({ path: '/', headers: { accept: 'text/html' } }),
      check: (h) => expect(h['content-type']).toMatch(/^text\/html/),
    },
    {
      name: 'SPA fallback',
      status: 200,
      request: () => ({ path: '/patients/42', headers: { 'sec-fetch-mode': 'navigate' } }),
      check: (h) => expect(h['content-type']).toMatch(/^text\/html/),
    },
    { name: 'static file', status: 200, request: () => ({ path: '/manifest.webmanifest' }) },
    {
      name: 'hashed asset',
      status: 200,
      request: () => ({ path: '/assets/index-Bx3f9a1c.js' }),
      check: (h) => expect(h['cache-control']).toContain('immutable'),
    },
    {
      name: 'asset revalidated by If-None-Match',
      status: 304,
      request: () => ({ path: '/assets/index-Bx3f9a1c.js', headers: { 'if-none-match': etag } }),
    },
    {
      name: 'asset revalidated with a stale ETag',
      status: 200,
      request: () => ({
        path: '/assets/index-Bx3f9a1c.js',
        headers: { 'if-none-match': 'W/"0-0"' },
      }),
    },
    {
      name: 'index.html revalidated by If-Modified-Since',
      status: 304,
      request: () => ({
        path: '/',
        headers: { accept: 'text/html', 'if-modified-since': lastModified },
      }),
    },
    {
      name: 'tRPC bad input',
      status: 400,
      request: () => ({
        method: 'POST',
        path: '/trpc/auth.login',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ json: { phone: 'not a phone' } }),
      }),
    },
    { name: 'no token', status: 401, request: () => ({ path: '/trpc/auth.me' }) },
    {
      name: 'cross-site write',
      status: 403,
      request: () => ({
        method: 'POST',
        path: '/trpc/auth.logout',
        headers: { origin: 'https://evil.example', 'content-type': 'application/json' },
        body: '{}',
      }),
    },
    { name: 'unknown API path', status: 404, request: () => ({ path: '/api/nothing' }) },
    { name: 'missing asset', status: 404, request: () => ({ path: '/assets/gone-1234.js' }) },
    { name: 'method', status: 405, request: () => ({ method: 'DELETE', path: '/health' }) },
    {
      name: 'body too large',
      status: 413,
      request: () => ({
        method: 'POST',
        path: '/trpc/auth.login',
        headers: { 'content-type': 'application/json' },
        body: bigBody,
      }),
    },
    {
      name: 'media type',
      status: 415,
      request: () => ({
        method: 'POST',
        path: '/trpc/auth.login',
        headers: { 'content-type': 'text/plain' },
        body: '{}',
      }),
    },
    {
      name: 'preflight from an unlisted origin',
      status: 204,
      request: () => ({
        method: 'OPTIONS',
        path: '/trpc/auth.me',
        headers: { origin: 'https://evil.example', 'access-control-request-method': 'GET' },
      }),
      check: (h) => expect(h['access-control-allow-origin']).toBeUndefined(),
    },
    {
      name: 'file download',
      status: 200,
      request: () => ({ path: `/api/files/${fileId}`, headers: bearer() }),
      check: (h) => {
        expect(h['content-disposition']).toMatch(/^attachment; filename="scan.png"/);
        expect(h['cache-control']).toBe('private, no-store');
      },
    },
  ];

  it.each(rows)('$status $name', async (row) => {
    const res = await raw(url(), row.request());
    expect(res.status).toBe(row.status);
    expectBrowserHeaders(res.headers, { csp: row.name === 'file download' ? 'file' : 'app' });
    row.check?.(res.headers);
  });

  // Node's parser answers these before any middleware runs; they carry the set all the same.
  it('431 headers too large and 400 malformed, refused by the HTTP parser', async () => {
    const big = await rawBytes(
      url(),
      `GET /health HTTP/1.1\r\nHost: localhost\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
    );
    expect(big.status).toBe(431);
    expect(JSON.parse(big.body)).toEqual({ error: { code: 'PAYLOAD_TOO_LARGE' } });
    expectBrowserHeaders(big.headers, { csp: 'file' });
    const broken = await rawBytes(url(), 'NOT A REQUEST\r\n\r\n');
    expect(broken.status).toBe(400);
    expect(JSON.parse(broken.body)).toEqual({ error: { code: 'VALIDATION_FAILED' } });
    expectBrowserHeaders(broken.headers, { csp: 'file' });
  });

  it('429 rate limited', async () => {
    await raw(limited.baseUrl, { path: '/trpc/auth.me' });
    const res = await raw(limited.baseUrl, { path: '/trpc/auth.me' });
    expect(res.status).toBe(429);
    expectBrowserHeaders(res.headers, {});
  });

  it('200 event stream', async () => {
    const input = encodeURIComponent(JSON.stringify({ json: { id: randomUUID() } }));
    const abort = new AbortController();
    const res = await fetch(`${url()}/trpc/analysis.onStatus?input=${input}`, {
      headers: { ...bearer(), accept: 'text/event-stream' },
      signal: abort.signal,
    });
    abort.abort();
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expectBrowserHeaders(Object.fromEntries(res.headers), {});
  });

  // Last: it takes the database away for good.
  it('5xx with the database unreachable', async () => {
    await relay.cut();
    let health: Answer;
    const deadline = Date.now() + 30_000;
    // The last good answer may be reused for one cache period; then the probe gives up.
    do health = await raw(url(), { path: '/health/detailed' });
    while (health.status === 200 && Date.now() < deadline && (await pause(100)));
    expect(health.status).toBe(503);
    expectBrowserHeaders(health.headers, {});
    const query = await raw(url(), { path: '/trpc/auth.me', headers: bearer() });
    expect(query.status).toBeGreaterThanOrEqual(500);
    expectBrowserHeaders(query.headers, {});
  });
});

const pause = (ms: number) => new Promise<true>((resolve) => setTimeout(() => resolve(true), ms));

describe('header set, production behind a TLS proxy', () => {
  let server: TestServer;
  let webDir: string;
  const https = { 'x-forwarded-proto': 'https', host: 'medora.example' };

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

  it('sends one year of HSTS with the full set on https answers', async () => {
    for (const req of [
      { path: '/health' },
      { path: '/', headers: { ...https, accept: 'text/html' } },
      { path: '/trpc/auth.me' },
      { path: '/api/nothing' },
    ]) {
      const res = await raw(server.baseUrl, { headers: https, ...req });
      expectBrowserHeaders(res.headers, { production: true });
    }
  });

  it('sends HSTS on answers the HTTP parser refused', async () => {
    const broken = await rawBytes(server.baseUrl, 'NOT A REQUEST\r\n\r\n');
    expect(broken.status).toBe(400);
    expectBrowserHeaders(broken.headers, { production: true, csp: 'file' });
  });

  it('redirects plain http to https, with the set on the redirect too', async () => {
    const res = await raw(server.baseUrl, {
      path: '/patients',
      headers: { host: 'medora.example', 'x-forwarded-proto': 'http' },
    });
    expect(res.status).toBe(308);
    expect(res.headers.location).toBe('https://medora.example/patients');
    expectBrowserHeaders(res.headers, { production: true });
  });

  it('keeps the auth cookies under the __Host- prefix, and refreshes with it', async () => {
    const reg = await fetch(`${server.baseUrl}/trpc/auth.register`, {
      method: 'POST',
      headers: { 'x-forwarded-proto': 'https', 'content-type': 'application/json' },
      body: JSON.stringify({
        json: { phone: '+998907770011', name: 'Host Cookie', password: 'correct-horse-battery' },
      }),
    });
    expect(reg.status).toBe(200);
    const cookies = reg.headers.getSetCookie();
    for (const name of ['__Host-medora_rt', '__Host-medora_dev']) {
      const cookie = cookies.find((c) => c.startsWith(`${name}=`));
      expect(cookie, name).toBeDefined();
      // What the browser requires of a __Host- cookie, and what we require of an auth cookie.
      expect(cookie).toMatch(/; path=\/(;|$)/i);
      expect(cookie).toMatch(/; secure(;|$)/i);
      expect(cookie).toMatch(/; httponly(;|$)/i);
      expect(cookie).toMatch(/; samesite=strict(;|$)/i);
      expect(cookie).not.toMatch(/; domain=/i);
    }
    expect(cookies.some((c) => /^medora_(rt|dev)=/.test(c))).toBe(false);
    const refreshCookie = /^__Host-medora_rt=[^;]+/.exec(
      cookies.find((c) => c.startsWith('__Host-medora_rt='))!,
    )![0];
    const refreshed = await fetch(`${server.baseUrl}/trpc/auth.refresh`, {
      method: 'POST',
      headers: {
        'x-forwarded-proto': 'https',
        'content-type': 'application/json',
        cookie: refreshCookie,
      },
      body: '{}',
    });
    expect(refreshed.status).toBe(200);
    expect(refreshed.headers.getSetCookie().some((c) => c.startsWith('__Host-medora_rt='))).toBe(
      true,
    );
  });
});
