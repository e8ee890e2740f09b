import { describe, expect, it } from 'vitest';
import { createCache, createRedisClient, MemoryCache, RedisCache } from '../src/cache/index';

describe('cache', () => {
  it('is process memory without REDIS_URL', async () => {
    const cache = createCache(undefined);
    expect(cache).toBeInstanceOf(MemoryCache);
    expect(cache.redis).toBeNull();
    await expect(cache.ping()).resolves.toBeUndefined();
    await cache.close();
  });

  // Runs where REDIS_URL points at a server (CI sets it).
  it.runIf(Boolean(process.env.REDIS_URL))(
    'is Redis with REDIS_URL, and answers a ping',
    async () => {
      const cache = createCache(process.env.REDIS_URL);
      expect(cache.kind).toBe('redis');
      expect(cache.keyPrefix).toBe('medora:');
      await new Promise((resolve) => cache.redis!.once('ready', resolve));
      await expect(cache.ping()).resolves.toBeUndefined();
      await cache.close();
    },
  );

  it('fails a ping at once while Redis is unreachable, instead of queueing behind it', async () => {
    const cache = new RedisCache(createRedisClient('redis://127.0.0.1:1'));
    await expect(cache.ping()).rejects.toThrow();
    await cache.close();
  });
});
