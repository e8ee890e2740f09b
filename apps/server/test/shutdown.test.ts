import { spawn } from 'node:child_process';
import { once } from 'node:events';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTestDatabase, freePort, type TestDatabase } from '@medora/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestServer, testEnv, type TestServer } from './start-test-server';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let server: TestServer | undefined;
let database: TestDatabase | undefined;
afterEach(async () => {
  await server?.stop();
  await database?.drop();
  server = undefined;
  database = undefined;
});

describe('graceful shutdown', () => {
  it('lets an in-flight request finish, then refuses new connections', async () => {
    server = await startTestServer({
      routes: (router) =>
        router.get('/slow', async (ctx) => {
          await sleep(800);
          ctx.body = { done: true };
        }),
    });
    const { baseUrl } = server;
    const inFlight = fetch(`${baseUrl}/slow`);
    await sleep(150);
    const closing = server.stop();
    const res = await inFlight;
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ done: true });
    await closing;
    server = undefined;
    await expect(fetch(`${baseUrl}/health`)).rejects.toThrow();
  });

  it('exits 0 on SIGTERM after draining a request (the real main.ts)', async () => {
    database = await createTestDatabase();
    const port = await freePort();
    const child = spawn(process.execPath, ['--import', 'tsx', 'apps/server/src/main.ts'], {
      cwd: repoRoot,
      env: {
        PATH: process.env.PATH ?? '',
        ...testEnv({
          DATABASE_URL: database.url,
          PORT: String(port),
          DATA_DIR: path.join(repoRoot, '.data', `test-main-${port}`),
        }),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
    try {
      const base = `http://127.0.0.1:${port}`;
      const deadline = Date.now() + 30_000;
      for (;;) {
        const ok = await fetch(`${base}/health`).then(
          (r) => r.ok,
          () => false,
        );
        if (ok) break;
        if (Date.now() > deadline || child.exitCode !== null)
          throw new Error(`server did not start:\n${output}`);
        await sleep(100);
      }
      // A request in flight when the signal arrives: its body is still being uploaded, so the
      // server has started on it and must wait for it rather than cut the connection.
      const body = JSON.stringify({
        json: { phone: '+998907776655', name: 'Drain Test', password: 'correct-horse-battery' },
      });
      const req = http.request(`${base}/trpc/auth.register`, {
        method: 'POST',
        agent: false,
        headers: { 'content-type': 'application/json' },
      });
      const response = once(req, 'response') as Promise<[http.IncomingMessage]>;
      req.write(body.slice(0, 10));
      await sleep(300);
      child.kill('SIGTERM');
      await sleep(300);
      req.end(body.slice(10));
      const [res] = await response;
      res.resume();
      expect(res.statusCode).toBe(200);
      expect(res.headers.connection).toBe('close');
      const [code] = await exited;
      expect(code, output).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
