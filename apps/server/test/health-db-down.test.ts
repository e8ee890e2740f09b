import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '@medora/core';
import { freePort, startEmbeddedPostgres, type EmbeddedDatabase } from '@medora/core/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DETAILED_HEALTH_CACHE_MS } from '../src/routes/health';
import { startServer, type RunningServer } from '../src/server';
import { testEnv } from './start-test-server';

// A fault test: it stops its own PostgreSQL, so it never disturbs the shared test cluster.
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
let pg: EmbeddedDatabase;
let server: RunningServer;
let dataDir: string;

beforeAll(async () => {
  const port = await freePort();
  pg = await startEmbeddedPostgres({
    dir: path.join(repoRoot, '.data', `test-pg-down-${port}`),
    port,
    persistent: false,
  });
  dataDir = await mkdtemp(path.join(tmpdir(), 'medora-db-down-'));
  // startServer migrates the fresh cluster itself.
  server = await startServer({
    config: loadConfig(testEnv({ DATABASE_URL: pg.url, DATA_DIR: dataDir })),
  });
});

afterAll(async () => {
  await server?.close();
  await pg?.stop().catch(() => undefined);
  await rm(dataDir, { recursive: true, force: true });
});

it('answers 503 "down" from /health/detailed when the database is gone, while /health stays up', async () => {
  const before = await fetch(`${server.url}/health/detailed`);
  expect(before.status).toBe(200);

  await pg.stop();
  // The answer before the outage may be reused for one cache period (default length here), no
  // longer: then a check runs, and its probe gives up on the database within its deadline.
  const stopped = Date.now();
  let res: Response;
  for (;;) {
    res = await fetch(`${server.url}/health/detailed`);
    if (res.status !== 200 || Date.now() - stopped > DETAILED_HEALTH_CACHE_MS + 10_000) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  expect(res.status).toBe(503);
  const body = (await res.json()) as {
    status: string;
    checks: { database: { status: string }; cache: { status: string } };
  };
  expect(body.status).toBe('down');
  expect(body.checks.database.status).toBe('down');
  expect(body.checks.cache.status).toBe('ok');

  const basic = await fetch(`${server.url}/health`);
  expect(basic.status).toBe(200);
});
