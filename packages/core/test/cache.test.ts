import { afterAll, describe, expect, it } from 'vitest';
import {
  createRedisClient,
  MemoryCache,
  RedisCache,
  tolerant,
  type Cache,
} from '../src/cache/index';

// One contract, two backends. The Redis half runs where REDIS_URL points at a server (CI sets
// it); the in-memory half always runs.
const backends: [string, () => Cache][] = [['memory', () => new MemoryCache()]];
if (process.env.REDIS_URL)
  backends.push([
    'redis',
    () => new RedisCache(createRedisClient(process.env.REDIS_URL!), `medora-test:${process.pid}:`),
  ]);

describe.each(backends)('%s cache', (_name, make) => {
  const cache = make();
  afterAll(() => cache.close());

  it('stores, reads and deletes values', async () => {
    await cache.ping();
    expect(await cache.get('k1')).toBeNull();
    await cache.set('k1', 'v1', 60);
    expect(await cache.get('k1')).toBe('v1');
    await cache.del('k1');
    expect(await cache.get('k1')).toBeNull();
  });

  it('expires values after their TTL', async () => {
    await cache.set('short', 'v', 1);
    expect(await cache.get('short')).toBe('v');
    await new Promise((r) => setTimeout(r, 1100));
    expect(await cache.get('short')).toBeNull();
  });
});

describe('memory cache', () => {
  it('uses its clock for expiry', async () => {
    let now = 1_000_000;
    const cache = new MemoryCache(() => now);
    await cache.set('a', '1', 10);
    now += 9_999;
    expect(await cache.get('a')).toBe('1');
    now += 2;
    expect(await cache.get('a')).toBeNull();
    await cache.close();
  });
});

describe('an unreachable redis', () => {
  it('fails fast, and tolerant() turns the failure into a miss', async () => {
    const cache = new RedisCache(createRedisClient('redis://127.0.0.1:1'));
    const started = Date.now();
    expect(await tolerant(() => cache.get('x'), 'miss')).toBe('miss');
    expect(Date.now() - started).toBeLessThan(3000);
    await cache.close();
  });
});
