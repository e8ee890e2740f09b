import http from 'node:http';
import { Readable } from 'node:stream';
import { AppError } from '@medora/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawRequest, serveApp, type LogLine, type ServedApp } from './app-harness';
import { startTestServer, type TestServer } from './start-test-server';

// Log levels of refusals and faults, and the slow-request clock, over real HTTP.

const INFO_LEVEL = 30;
const ERROR_LEVEL = 50;
const SLOW_MS = 400;
const BIG_BODY_BYTES = 64 * 1024 * 1024;

let server: TestServer;
let app: ServedApp;

beforeAll(async () => {
  server = await startTestServer();
  app = await serveApp(server, {
    config: { slowRequestMs: SLOW_MS },
    routes: (router) => {
      router.get('/api/test/boom', () => {
        throw new Error('kaput: a fault of ours');
      });
      router.get('/api/test/refused', () => {
        throw new AppError('BAD_REQUEST', 'VALIDATION_FAILED');
      });
      router.get('/api/test/thrown-404', (ctx) => ctx.throw(404));
      // A large answer: the socket buffers cannot hold it, so writing it waits for the reader.
      router.get('/api/test/big', (ctx) => {
        const chunk = Buffer.alloc(1024 * 1024, 'x');
        let sent = 0;
        ctx.body = new Readable({
          read() {
            sent += chunk.length;
            this.push(sent > BIG_BODY_BYTES ? null : chunk);
          },
        });
      });
      // Open for a while, like the live status stream.
      router.get('/api/test/stream', (ctx) => {
        ctx.type = 'text/event-stream';
        const body = new Readable({ read() {} });
        body.push('data: 1\n\n');
        setTimeout(() => body.push(null), SLOW_MS + 200);
        ctx.body = body;
      });
      router.post('/api/test/echo', async (ctx) => {
        let bytes = 0;
        for await (const part of ctx.req) bytes += (part as Buffer).length;
        ctx.body = { bytes };
      });
    },
  });
});
afterAll(async () => {
  await app?.close();
  await server?.stop();
});

const linesFor = (path: string) => app.logs.filter((l) => l.path === path);

describe('request log levels', () => {
  it('logs refusals (4xx) at info without a stack, and faults (5xx) at error with one', async () => {
    const refusals: { method: string; path: string; status: number; body?: string }[] = [
      { method: 'GET', path: '/trpc/patient.list', status: 401 },
      { method: 'GET', path: '/trpc/no.such', status: 404 },
      { method: 'POST', path: '/trpc/auth.login', status: 400, body: '{"phone":' },
      { method: 'DELETE', path: '/trpc/auth.me', status: 405 },
      { method: 'GET', path: '/api/test/refused', status: 400 },
      { method: 'GET', path: '/api/test/thrown-404', status: 404 },
      { method: 'GET', path: '/no/such/page', status: 404 },
    ];
    for (const r of refusals) {
      const res = await rawRequest(app.baseUrl, {
        method: r.method,
        path: r.path,
        headers: { 'content-type': 'application/json' },
        body: r.body,
      });
      expect(res.status, `${r.method} ${r.path}`).toBe(r.status);
    }
    const boom = await rawRequest(app.baseUrl, { method: 'GET', path: '/api/test/boom' });
    expect(boom.status).toBe(500);

    // Lines are written once each answer is out: wait for the last of them.
    const refusedLine = (path: string) => linesFor(path).find((l) => l.msg === 'request refused');
    await expect.poll(() => refusals.every((r) => refusedLine(r.path))).toBe(true);
    await expect.poll(() => linesFor('/api/test/boom').length).toBeGreaterThan(0);
    for (const r of refusals) {
      const lines = linesFor(r.path);
      expect(refusedLine(r.path), `${r.method} ${r.path}`).toMatchObject({
        level: INFO_LEVEL,
        status: r.status,
        method: r.method,
      });
      for (const line of lines) {
        expect(line.level, `${r.path}: ${line.msg}`).toBeLessThan(ERROR_LEVEL);
        expect(JSON.stringify(line), `${r.path}: ${line.msg}`).not.toMatch(/stack|"err"/);
      }
    }
    const fault = app.logs.find((l) => l.msg === 'request failed');
    expect(fault).toMatchObject({ level: ERROR_LEVEL, path: '/api/test/boom' });
    expect((fault!.err as { stack?: string }).stack).toContain('kaput: a fault of ours');
  });
});

/** Sends a request whose body arrives in pieces, `gapMs` apart; resolves with the status. */
function trickle(url: string, pieces: string[], gapMs: number): Promise<number> {
  const body = pieces.join('');
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    let i = 0;
    const next = () => {
      req.write(pieces[i]!);
      i += 1;
      if (i < pieces.length) setTimeout(next, gapMs);
      else req.end();
    };
    next();
  });
}

const slowLine = (path: string) =>
  app.logs.find((l) => l.msg === 'slow request' && l.path === path);

describe('slow-request log', () => {
  it('counts the time a client took to send its body', async () => {
    const started = Date.now();
    const status = await trickle(`${app.baseUrl}/api/test/echo`, ['{"a":', '"b"', '}'], 300);
    const waited = Date.now() - started;
    expect(status).toBe(200);
    await expect.poll(() => slowLine('/api/test/echo')).toBeDefined();
    const line = slowLine('/api/test/echo') as LogLine;
    expect(line.ms).toBeGreaterThanOrEqual(550);
    expect(line.ms).toBeLessThanOrEqual(waited + 50);
  });

  it('counts the time a client took to read the answer', async () => {
    const started = Date.now();
    const received = await new Promise<number>((resolve, reject) => {
      const req = http.get(`${app.baseUrl}/api/test/big`, (res) => {
        // Read nothing for a while: the server's write waits on this reader.
        res.pause();
        setTimeout(() => {
          let bytes = 0;
          res.on('data', (c: Buffer) => (bytes += c.length));
          res.on('end', () => resolve(bytes));
          res.resume();
        }, SLOW_MS + 300);
      });
      req.on('error', reject);
    });
    const waited = Date.now() - started;
    expect(received).toBe(BIG_BODY_BYTES);
    await expect.poll(() => slowLine('/api/test/big')).toBeDefined();
    const line = slowLine('/api/test/big') as LogLine;
    expect(line).toMatchObject({ status: 200, abandoned: false });
    expect(line.ms).toBeGreaterThanOrEqual(SLOW_MS + 300);
    expect(line.ms).toBeLessThanOrEqual(waited + 50);
  });

  it('does not count an event stream, open by design, as slow', async () => {
    const res = await fetch(`${app.baseUrl}/api/test/stream`);
    expect(await res.text()).toBe('data: 1\n\n');
    const closed = () =>
      app.logs.find((l) => l.msg === 'event stream closed' && l.path === '/api/test/stream');
    await expect.poll(closed).toBeDefined();
    expect(closed()!.ms).toBeGreaterThanOrEqual(SLOW_MS);
    expect(slowLine('/api/test/stream')).toBeUndefined();
  });
});
