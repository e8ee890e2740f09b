import { Redis } from 'ioredis';
import type { Logger } from 'pino';

/**
 * The shared store behind rate-limit and lock-out counters: Redis when REDIS_URL is set (so every
 * server counts together), process memory otherwise. rate-limiter-flexible talks to Redis itself
 * through `redis` and keeps counting in memory while Redis is away, so losing Redis never loses
 * data and never stops the counting.
 */
export interface Cache {
  readonly kind: 'redis' | 'memory';
  /** The Redis client for libraries that speak Redis themselves (rate limiters); null in memory mode. */
  readonly redis: Redis | null;
  /** Prefix of every key the limiters write in Redis (tests give each run its own). */
  readonly keyPrefix: string;
  /** Round-trip check for /health/detailed. */
  ping(): Promise<void>;
  /**
   * A cached JSON value, or null when absent, expired or the cache is unreachable: losing the
   * cache costs speed, never an answer.
   */
  getJson<T>(key: string): Promise<T | null>;
  setJson(key: string, value: unknown, ttlSeconds: number): Promise<void>;
  delete(key: string): Promise<void>;
  close(): Promise<void>;
}

export class MemoryCache implements Cache {
  readonly kind = 'memory' as const;
  readonly redis = null;
  readonly keyPrefix = '';
  private readonly values = new Map<string, { json: string; expiresAt: number }>();

  ping(): Promise<void> {
    return Promise.resolve();
  }

  getJson<T>(key: string): Promise<T | null> {
    const hit = this.values.get(key);
    if (!hit || hit.expiresAt <= Date.now()) {
      this.values.delete(key);
      return Promise.resolve(null);
    }
    // A copy, as from Redis: a caller changing what it got never changes the cache.
    return Promise.resolve(JSON.parse(hit.json) as T);
  }

  setJson(key: string, value: unknown, ttlSeconds: number): Promise<void> {
    this.values.set(key, {
      json: JSON.stringify(value),
      expiresAt: Date.now() + ttlSeconds * 1000,
    });
    return Promise.resolve();
  }

  delete(key: string): Promise<void> {
    this.values.delete(key);
    return Promise.resolve();
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

export class RedisCache implements Cache {
  readonly kind = 'redis' as const;
  constructor(
    readonly redis: Redis,
    readonly keyPrefix = 'medora:',
  ) {}

  async ping(): Promise<void> {
    await this.redis.ping();
  }

  async getJson<T>(key: string): Promise<T | null> {
    const json = await this.redis.get(this.keyPrefix + key).catch(() => null);
    return json === null ? null : (JSON.parse(json) as T);
  }

  async setJson(key: string, value: unknown, ttlSeconds: number): Promise<void> {
    await this.redis
      .set(this.keyPrefix + key, JSON.stringify(value), 'EX', ttlSeconds)
      .catch(() => undefined);
  }

  async delete(key: string): Promise<void> {
    await this.redis.del(this.keyPrefix + key).catch(() => undefined);
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}

export function createRedisClient(url: string, logger?: Logger): Redis {
  const redis = new Redis(url, {
    // Fail fast while Redis is away instead of queueing requests behind it: the limiters then
    // count in memory.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2_000,
    lazyConnect: false,
  });
  let down = false;
  redis.on('error', (err: Error) => {
    if (!down)
      logger?.warn({ err }, 'redis unavailable; counting limits in memory until it is back');
    down = true;
  });
  redis.on('ready', () => {
    if (down) logger?.info('redis reachable again');
    down = false;
  });
  return redis;
}

export function createCache(redisUrl: string | undefined, logger?: Logger): Cache {
  return redisUrl ? new RedisCache(createRedisClient(redisUrl, logger)) : new MemoryCache();
}
