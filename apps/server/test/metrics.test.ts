import { bearerToken } from '@medora/core';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../src/app';
import { startTestServer, type TestServer } from './start-test-server';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
});

const TOKEN = 'metrics-token-for-tests-0123456789';
const scrape = (headers: Record<string, string> = {}) =>
  fetch(`${server!.baseUrl}/metrics`, { headers });

describe('GET /metrics', () => {
  it('is disabled in production without METRICS_TOKEN, and says so once at start-up', async () => {
    server = await startTestServer({ env: { NODE_ENV: 'production' } });
    const res = await scrape();
    expect(res.status).toBe(404);
    expect(await res.text()).not.toContain('process_cpu');
    expect((await scrape({ authorization: 'Bearer anything' })).status).toBe(404);

    // The warning comes from building the app, not from each request.
    const lines: string[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(line) });
    createApp({ services: { ...server.services, logger } });
    const warnings = lines.filter((l) => l.includes('METRICS_TOKEN'));
    expect(warnings).toHaveLength(1);
    expect(JSON.parse(warnings[0]!)).toMatchObject({ level: 40 });
  });

  it('in production with METRICS_TOKEN, answers only the bearer of that token', async () => {
    server = await startTestServer({ env: { NODE_ENV: 'production', METRICS_TOKEN: TOKEN } });
    expect((await scrape()).status).toBe(401);
    expect((await scrape({ authorization: `Bearer ${TOKEN}x` })).status).toBe(401);
    expect((await scrape({ authorization: `Bearer ${TOKEN.slice(0, -1)}` })).status).toBe(401);
    expect((await scrape({ authorization: TOKEN })).status).toBe(401);
    // The API's one bearer parser decides here too: what it refuses, /metrics refuses.
    expect(bearerToken(`Bearer\t${TOKEN}`)).toBeNull();
    expect((await scrape({ authorization: `Bearer\t${TOKEN}` })).status).toBe(401);
    const ok = await scrape({ authorization: `Bearer ${TOKEN}` });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain('process_cpu_user_seconds_total');
  });

  it('stays open in development without a token', async () => {
    server = await startTestServer({ env: { NODE_ENV: 'development' } });
    const res = await scrape();
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('process_cpu_user_seconds_total');
  });
});
