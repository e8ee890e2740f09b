import type { Logger } from 'pino';
import { describe, expect, it, vi } from 'vitest';
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

  it('logs that Redis went away once, and that it is back once', () => {
    const log = { warn: vi.fn(), info: vi.fn() };
    const relisten = createRedisClient('redis://127.0.0.1:1', log as unknown as Logger);
    // No real reconnecting: the test drives the client's events itself.
    relisten.disconnect();
    log.warn.mockClear();
    log.info.mockClear();
    relisten.emit('ready');
    expect(log.info).not.toHaveBeenCalled();
    const err = new Error('ECONNREFUSED');
    relisten.emit('error', err);
    relisten.emit('error', err);
    expect(log.warn).toHaveBeenCalledTimes(1);
    expect(log.warn).toHaveBeenCalledWith(
      { err },
      'redis unavailable; rate limits and cache in process memory until it is back',
    );
    relisten.emit('ready');
    relisten.emit('ready');
    expect(log.info).toHaveBeenCalledTimes(1);
    expect(log.info).toHaveBeenCalledWith('redis reachable again');
    relisten.emit('error', err);
    expect(log.warn).toHaveBeenCalledTimes(2);
  });

  it('is Redis with the default prefix when constructed without one', async () => {
    const redis = createRedisClient('redis://127.0.0.1:1');
    const cache = createCache('redis://127.0.0.1:1');
    expect(cache).toBeInstanceOf(RedisCache);
    expect(cache.keyPrefix).toBe('medora:');
    expect(new RedisCache(redis).keyPrefix).toBe('medora:');
    await cache.close();
    redis.disconnect();
  });
});
