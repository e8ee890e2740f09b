import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig, type AdminScope, type Services } from '@medora/core';
import { factories, startRedisServer, type TestRedisServer } from '@medora/core/testing';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../src/server';
import { startTestServer, testEnv, type TestServer } from './start-test-server';

// Two servers over one database and one Redis of this test's own, which the test kills and
// starts again. Losing Redis may cost speed only: every answer stays right, the limits hold
// in memory, nothing answers 500, and once Redis is back both servers use it again. Runs where
// REDIS_URL is set (CI), like every Redis test, but never touches the Redis it names.
const enabled = Boolean(process.env.REDIS_URL);
const LIMIT = 5;
let redis: TestRedisServer;
let probe: Redis;
let a: TestServer;
let b: RunningServer;
let dataDirB: string;
let admin: AdminScope;
let planId: string;
/** Every status any request of this file got, to prove none was a 5xx. */
const statuses: number[] = [];

describe.runIf(enabled)('Redis going away and coming back', () => {
  beforeAll(async () => {
    redis = await startRedisServer();
    probe = testClient(redis.url);
    const env = {
      REDIS_URL: redis.url,
      // The client's IP is taken from X-Forwarded-For, so each step counts on an IP of its own.
      TRUST_PROXY: 'true',
      RATE_LIMIT_IP_PER_MINUTE: String(LIMIT),
    };
    a = await startTestServer({ env, healthCacheMs: 0 });
    dataDirB = await mkdtemp(path.join(tmpdir(), 'medora-server-b-'));
    b = await startServer({
      config: loadConfig(testEnv({ ...env, DATA_DIR: dataDirB, DATABASE_URL: a.databaseUrl })),
      healthCacheMs: 0,
    });
    const user = await factories(a.services.db).admin();
    admin = {
      userId: user.userId,
      role: 'admin',
      workspaceId: null,
      sessionId: '00000000-0000-4000-8000-000000000003',
      ip: null,
      userAgent: null,
      requestId: null,
    };
    planId = (
      await a.services.db
        .selectFrom('plans')
        .select('id')
        .where('code', '=', 'doctor_monthly')
        .executeTakeFirstOrThrow()
    ).id;
    // A live worker, so the health answer depends on the cache alone.
    await a.services.db
      .insertInto('worker_heartbeats')
      .values({ worker_id: 'test:outage', version: 'test' })
      .execute();
  }, 60_000);

  afterAll(async () => {
    await b?.close();
    await rm(dataDirB, { recursive: true, force: true });
    await a?.stop();
    probe?.disconnect();
    await redis?.stop();
  });

  /** This test's own look into Redis; it is killed on purpose, so its errors are expected. */
  function testClient(url: string): Redis {
    const client = new Redis(url, { maxRetriesPerRequest: 1 });
    client.on('error', () => undefined);
    return client;
  }

  let ipCounter = 0;
  const freshIp = () => `198.51.100.${++ipCounter}`;

  async function get(base: string, route: string, ip = freshIp()): Promise<Response> {
    const res = await fetch(`${base}${route}`, { headers: { 'x-forwarded-for': ip } });
    statuses.push(res.status);
    return res;
  }

  async function monthlyPrice(base: string): Promise<number> {
    const res = await get(base, '/trpc/subscription.plans');
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      result: { data: { json: { code: string; priceTiyin: number }[] } };
    };
    return body.result.data.json.find((p) => p.code === 'doctor_monthly')!.priceTiyin;
  }

  const setPrice = (services: Services, priceTiyin: number) =>
    services.plans.update(admin, { id: planId, priceTiyin });

  /** LIMIT answers pass on one IP, the next is refused: the per-IP limit holds. */
  async function expectLimitHolds(base: string, ip: string) {
    for (let i = 0; i < LIMIT; i++) expect((await get(base, '/trpc/auth.me', ip)).status).toBe(401);
    expect((await get(base, '/trpc/auth.me', ip)).status).toBe(429);
  }

  async function health(base: string) {
    const res = await get(base, '/health/detailed');
    const body = (await res.json()) as {
      status: string;
      checks: { cache: { status: string; backend: string } };
    };
    return { http: res.status, status: body.status, cache: body.checks.cache };
  }

  const connected = (s: Services) => s.cache.redis!.status === 'ready';

  it('with Redis: plans are cached in it, and an edit on one server shows on the other at once', async () => {
    expect(connected(a.services) && connected(b.services)).toBe(true);
    expect(await health(a.baseUrl)).toMatchObject({
      http: 200,
      status: 'ok',
      cache: { status: 'ok', backend: 'redis' },
    });
    const before = await monthlyPrice(b.url);
    expect(await probe.exists('medora:plans:purchasable')).toBe(1);
    expect(await monthlyPrice(a.baseUrl)).toBe(before);

    await setPrice(a.services, before + 100);
    expect(await monthlyPrice(b.url)).toBe(before + 100);
    expect(await monthlyPrice(a.baseUrl)).toBe(before + 100);

    const ip = freshIp();
    await expectLimitHolds(a.baseUrl, ip);
    expect(await probe.exists(`medora:rl:ip:${ip}`)).toBe(1);
  });

  it('without Redis: right answers from the database and memory, limits in memory, no 500', async () => {
    await redis.stop('SIGKILL');
    await expect
      .poll(() => connected(a.services) || connected(b.services), { timeout: 10_000 })
      .toBe(false);

    // Documented: the cache down is `degraded` with 200; only the database down is a 503.
    for (const base of [a.baseUrl, b.url])
      expect(await health(base)).toMatchObject({
        http: 200,
        status: 'degraded',
        cache: { status: 'down', backend: 'redis' },
      });

    const price = await monthlyPrice(a.baseUrl);
    expect(await monthlyPrice(b.url)).toBe(price);
    await setPrice(a.services, price + 100);
    // The server that wrote sees its edit at once, from the database and then from memory.
    expect(await monthlyPrice(a.baseUrl)).toBe(price + 100);
    expect(await monthlyPrice(a.baseUrl)).toBe(price + 100);
    // Documented: during an outage the other server's memory can lag, never beyond the TTL.
    expect(await monthlyPrice(b.url)).toBe(price);

    // Each server counts on its own while Redis is away, and still refuses past the limit.
    await expectLimitHolds(a.baseUrl, freshIp());
    await expectLimitHolds(b.url, freshIp());
    // Sign-in keeps working (its throttle counts in memory) and answers a proper refusal.
    const login = await fetch(`${a.baseUrl}/trpc/auth.login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': freshIp() },
      body: JSON.stringify({ json: { phone: '+998901234567', password: 'wrong-password-1' } }),
    });
    statuses.push(login.status);
    expect(login.status).toBe(401);
    expect(statuses.filter((s) => s >= 500)).toEqual([]);
  }, 60_000);

  it('Redis back: both servers use it again, and nothing cached during the outage outlives it', async () => {
    await redis.start();
    probe.disconnect();
    probe = testClient(redis.url);
    // The clients retry on their own schedule (at most every 2 s): wait for them, do not sleep.
    await expect
      .poll(() => connected(a.services) && connected(b.services), { timeout: 20_000 })
      .toBe(true);

    // B still held the old price in memory from the outage; it answers from Redis again.
    const edited = await monthlyPrice(a.baseUrl);
    expect(await monthlyPrice(b.url)).toBe(edited);
    expect(await probe.exists('medora:plans:purchasable')).toBe(1);

    await setPrice(b.services, edited + 100);
    expect(await monthlyPrice(a.baseUrl)).toBe(edited + 100);

    const ip = freshIp();
    await expectLimitHolds(b.url, ip);
    expect(await probe.exists(`medora:rl:ip:${ip}`)).toBe(1);

    expect(await health(b.url)).toMatchObject({
      http: 200,
      status: 'ok',
      cache: { status: 'ok', backend: 'redis' },
    });
    expect(statuses.filter((s) => s >= 500)).toEqual([]);
  }, 60_000);
});
