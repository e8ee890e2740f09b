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
  close(): Promise<void>;
}

export class MemoryCache implements Cache {
  readonly kind = 'memory' as const;
  readonly redis = null;
  readonly keyPrefix = '';

  ping(): Promise<void> {
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
