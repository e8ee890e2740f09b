import { Redis } from 'ioredis';
import type { Logger } from 'pino';

/**
 * The small cache the services need (session state, rate-limit counters, short-lived stats).
 * Redis when REDIS_URL is set, process memory otherwise. It is an accelerator only: callers treat
 * a failing cache as a miss and go to PostgreSQL, so losing Redis never loses data.
 */
export interface Cache {
  readonly kind: 'redis' | 'memory';
  /** The Redis client for libraries that speak Redis themselves (rate limiters); null in memory mode. */
  readonly redis: Redis | null;
  get(key: string): Promise<string | null>;
  set(key: string, value: string, ttlSeconds: number): Promise<void>;
  del(key: string): Promise<void>;
  /** Round-trip check for /health/detailed. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export class MemoryCache implements Cache {
  readonly kind = 'memory' as const;
  readonly redis = null;
  private readonly entries = new Map<string, { value: string; expiresAt: number }>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(private readonly now: () => number = Date.now) {
    this.sweeper = setInterval(() => this.sweep(), 60_000);
    this.sweeper.unref();
  }

  get(key: string): Promise<string | null> {
    const e = this.entries.get(key);
    if (!e) return Promise.resolve(null);
    if (e.expiresAt <= this.now()) {
      this.entries.delete(key);
      return Promise.resolve(null);
    }
    return Promise.resolve(e.value);
  }

  set(key: string, value: string, ttlSeconds: number): Promise<void> {
    this.entries.set(key, { value, expiresAt: this.now() + ttlSeconds * 1000 });
    return Promise.resolve();
  }

  del(key: string): Promise<void> {
    this.entries.delete(key);
    return Promise.resolve();
  }

  ping(): Promise<void> {
    return Promise.resolve();
  }

  close(): Promise<void> {
    clearInterval(this.sweeper);
    this.entries.clear();
    return Promise.resolve();
  }

  private sweep(): void {
    const now = this.now();
    for (const [k, e] of this.entries) if (e.expiresAt <= now) this.entries.delete(k);
  }
}

export class RedisCache implements Cache {
  readonly kind = 'redis' as const;
  constructor(
    readonly redis: Redis,
    private readonly prefix = 'medora:',
  ) {}

  get(key: string): Promise<string | null> {
    return this.redis.get(this.prefix + key);
  }

  async set(key: string, value: string, ttlSeconds: number): Promise<void> {
    await this.redis.set(this.prefix + key, value, 'EX', ttlSeconds);
  }

  async del(key: string): Promise<void> {
    await this.redis.del(this.prefix + key);
  }

  async ping(): Promise<void> {
    await this.redis.ping();
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}

export function createRedisClient(url: string, logger?: Logger): Redis {
  const redis = new Redis(url, {
    // Fail fast while Redis is away instead of queueing requests behind it; callers fall back.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2_000,
    lazyConnect: false,
  });
  let down = false;
  redis.on('error', (err: Error) => {
    if (!down) logger?.warn({ err }, 'redis unavailable; falling back to the database');
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

/** Runs a cache call, turning an outage into `fallback` (a miss) so the caller asks PostgreSQL. */
export async function tolerant<T>(op: () => Promise<T>, fallback: T, logger?: Logger): Promise<T> {
  try {
    return await op();
  } catch (err) {
    logger?.debug({ err }, 'cache call failed');
    return fallback;
  }
}
