import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisClient, MemoryCache, RedisCache } from '../src/cache/index';
import { startRedisServer, type TestRedisServer } from '../src/testing/index';

const ready = (redis: Redis) =>
  redis.status === 'ready'
    ? Promise.resolve()
    : new Promise<void>((resolve) => redis.once('ready', () => resolve()));
const notReady = async (redis: Redis) => {
  // Polls the client's own state: it notices a dead server on its own schedule.
  while (redis.status === 'ready') await new Promise((r) => setTimeout(r, 20));
};

/** A loader that counts its calls and answers what `value` holds at the time. */
function source<T>(initial: T) {
  const s = {
    value: initial,
    calls: 0,
    load: () => {
      s.calls++;
      return Promise.resolve(s.value);
    },
  };
  return s;
}

// Runs where REDIS_URL is set (CI), like every Redis test; it starts and kills a Redis server of
// its own and never touches the one REDIS_URL names.
describe.runIf(process.env.REDIS_URL)(
  'the cache in Redis, while Redis goes away and comes back',
  () => {
    let server: TestRedisServer;
    let probe: Redis;
    let cacheA: RedisCache;
    let cacheB: RedisCache;
    const warnings: string[] = [];
    let dir: string;

    beforeAll(async () => {
      // Persistent, as a production Redis is: what it held before the outage is there after it.
      dir = await mkdtemp(path.join(tmpdir(), 'medora-redis-'));
      server = await startRedisServer({ dir });
      probe = new Redis(server.url, { lazyConnect: true, maxRetriesPerRequest: 1 });
      // Killed with the server on purpose: its reconnect errors are expected.
      probe.on('error', () => undefined);
      // Every warning this process would log, as lines, so the test can count them.
      const logger = pino(
        { level: 'warn' },
        { write: (line: string) => warnings.push((JSON.parse(line) as { msg: string }).msg) },
      );
      cacheA = new RedisCache(createRedisClient(server.url, logger), 'medora:', logger);
      cacheB = new RedisCache(createRedisClient(server.url), 'medora:');
      await Promise.all([ready(cacheA.redis), ready(cacheB.redis)]);
    }, 30_000);
    afterAll(async () => {
      await cacheA?.close();
      await cacheB?.close();
      probe?.disconnect();
      await server?.stop();
      await rm(dir, { recursive: true, force: true });
    });

    it('keeps a loaded value in Redis and drops it for every server on invalidation', async () => {
      const plans = source(['monthly']);
      expect(await cacheA.getOrLoad('plans:purchasable', 300, plans.load)).toEqual(['monthly']);
      expect(await cacheB.getOrLoad('plans:purchasable', 300, plans.load)).toEqual(['monthly']);
      expect(plans.calls).toBe(1);
      await probe.connect();
      expect(await probe.ttl('medora:plans:purchasable')).toBeGreaterThan(250);

      plans.value = ['monthly', 'yearly'];
      await cacheA.invalidate({ prefix: 'plans:' });
      expect(await probe.exists('medora:plans:purchasable')).toBe(0);
      // The other server reads the new value at once: nothing was kept in its memory.
      expect(await cacheB.getOrLoad('plans:purchasable', 300, plans.load)).toEqual([
        'monthly',
        'yearly',
      ]);
      expect(plans.calls).toBe(2);
    });

    it('does not store what was read before an invalidation that ran during the load', async () => {
      let release!: () => void;
      let started!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      const loading = new Promise<void>((r) => (started = r));
      const slow = cacheA.getOrLoad('stats:w1', 300, async () => {
        started();
        await gate;
        return { total: 1 };
      });
      await loading;
      await cacheA.invalidate('stats:w1');
      release();
      expect(await slow).toEqual({ total: 1 });
      expect(await probe.exists('medora:stats:w1')).toBe(0);
    });

    it('answers from the loader and memory while Redis is down, and logs it once', async () => {
      // Cached before the outage and invalidated during it: Redis must not serve it afterwards.
      await cacheA.getOrLoad('stats:w2', 300, () => Promise.resolve({ total: 2 }));
      expect(await probe.exists('medora:stats:w2')).toBe(1);
      warnings.length = 0;

      await server.stop('SIGKILL');
      await Promise.all([notReady(cacheA.redis), notReady(cacheB.redis)]);
      const outage = () => warnings.filter((m) => m.startsWith('redis'));
      await expect.poll(outage, { timeout: 10_000 }).toHaveLength(1);

      const stats = source({ total: 10 });
      for (let i = 0; i < 20; i++)
        expect(await cacheA.getOrLoad('stats:w3', 300, stats.load)).toEqual({ total: 10 });
      // Loaded once, then served from this process's memory.
      expect(stats.calls).toBe(1);
      expect(cacheA.fallback.size).toBeGreaterThan(0);

      // Invalidation works in memory, on the server that wrote.
      stats.value = { total: 11 };
      await cacheA.invalidate('stats:w3');
      expect(await cacheA.getOrLoad('stats:w3', 300, stats.load)).toEqual({ total: 11 });
      await cacheA.invalidate('stats:w2');

      // Plain reads and writes answer too.
      await cacheA.setJson('token', 'abc', 60);
      expect(await cacheA.getJson('token')).toBe('abc');
      await expect(cacheA.ping()).rejects.toThrow();

      expect(outage()).toEqual([
        'redis unavailable; rate limits and cache in process memory until it is back',
      ]);
    }, 30_000);

    it('returns to Redis when it is back; nothing kept during the outage outlives it', async () => {
      await server.start();
      await Promise.all([ready(cacheA.redis), ready(cacheB.redis)]);
      // Redis came back with stats:w2, which was invalidated during the outage: the invalidation
      // is replayed as Redis becomes ready (poll for it instead of sleeping).
      await expect.poll(() => probe.exists('medora:stats:w2'), { timeout: 10_000 }).toBe(0);

      expect(cacheA.fallback.size).toBe(0);
      const stats = source({ total: 12 });
      // Memory said 11; Redis is empty, so the loader answers, and the value goes to Redis.
      expect(await cacheA.getOrLoad('stats:w3', 300, stats.load)).toEqual({ total: 12 });
      expect(stats.calls).toBe(1);
      expect(await probe.exists('medora:stats:w3')).toBe(1);
      expect(await cacheB.getOrLoad('stats:w3', 300, stats.load)).toEqual({ total: 12 });
      expect(stats.calls).toBe(1);
      await expect(cacheA.ping()).resolves.toBeUndefined();
    }, 30_000);
  },
);

describe('the memory cache', () => {
  it('forgets an entry once its time is up', async () => {
    let now = 1_000_000;
    const cache = new MemoryCache({ now: () => now });
    const s = source('a');
    expect(await cache.getOrLoad('k', 300, s.load)).toBe('a');
    now += 299_000;
    expect(await cache.getOrLoad('k', 300, s.load)).toBe('a');
    expect(s.calls).toBe(1);
    now += 1_000;
    s.value = 'b';
    expect(await cache.getOrLoad('k', 300, s.load)).toBe('b');
    expect(s.calls).toBe(2);
  });

  it('holds at most its bound, dropping the oldest writes first', async () => {
    const cache = new MemoryCache({ maxEntries: 3 });
    for (const k of ['a', 'b', 'c', 'd', 'e']) await cache.setJson(k, k, 60);
    expect(cache.size).toBe(3);
    expect(await cache.getJson('a')).toBeNull();
    expect(await cache.getJson('b')).toBeNull();
    expect(await cache.getJson('e')).toBe('e');
  });

  it('drops a prefix and only that prefix', async () => {
    const cache = new MemoryCache();
    await cache.setJson('plans:a', 1, 60);
    await cache.setJson('plans:b', 2, 60);
    await cache.setJson('stats:a', 3, 60);
    await cache.invalidate({ prefix: 'plans:' });
    expect(await cache.getJson('plans:a')).toBeNull();
    expect(await cache.getJson('plans:b')).toBeNull();
    expect(await cache.getJson('stats:a')).toBe(3);
  });

  it('takes a value it did not wrap (another version wrote the key) for a miss', async () => {
    const cache = new MemoryCache();
    await cache.setJson('k', { total: 1 }, 60);
    const s = source({ total: 2 });
    expect(await cache.getOrLoad('k', 60, s.load)).toEqual({ total: 2 });
    expect(s.calls).toBe(1);
  });

  it('keeps a null answer cached too', async () => {
    const cache = new MemoryCache();
    const s = source(null);
    await cache.getOrLoad('k', 60, s.load);
    expect(await cache.getOrLoad('k', 60, s.load)).toBeNull();
    expect(s.calls).toBe(1);
  });
});
