import { Redis } from 'ioredis';
import type { Logger } from 'pino';

/** What `invalidate` drops: one key, or every key that starts with `prefix`. */
export type CacheTarget = string | { prefix: string };

/**
 * The shared store behind the rate-limit and lock-out counters and the cached reads (statistics,
 * the plans list): Redis when REDIS_URL is set (so every server counts and caches together),
 * process memory otherwise. Losing Redis costs speed, never data or an answer: every call falls
 * back to process memory (and to the loader), and returns to Redis once it is back.
 */
export interface Cache {
  readonly kind: 'redis' | 'memory';
  /** The Redis client for libraries that speak Redis themselves (rate limiters); null in memory mode. */
  readonly redis: Redis | null;
  /** Prefix of every key written in Redis (tests give each run its own). */
  readonly keyPrefix: string;
  /** Round-trip check for /health/detailed; rejects while Redis is unreachable. */
  ping(): Promise<void>;
  /**
   * A cached JSON value, or null when absent, expired or the cache is unreachable: losing the
   * cache costs speed, never an answer.
   */
  getJson<T>(key: string): Promise<T | null>;
  setJson(key: string, value: unknown, ttlSeconds: number): Promise<void>;
  delete(key: string): Promise<void>;
  /**
   * The cached value of `key`, else the loader's answer, kept for `ttlSeconds`. Never fails
   * because the cache does; a loader's error is the caller's. The value must survive JSON.
   */
  getOrLoad<T>(key: string, ttlSeconds: number, loader: () => Promise<T>): Promise<T>;
  /** Drops a key or a prefix; call it after the write that changes what is cached commits. */
  invalidate(target: CacheTarget): Promise<void>;
  close(): Promise<void>;
}

/**
 * Keeps `getOrLoad` from storing what it read before an invalidation that ran while it loaded
 * (the write's commit came after the read): that value would be stale for a whole TTL.
 */
abstract class LoadingCache {
  private invalidations = 0;

  abstract getJson<T>(key: string): Promise<T | null>;
  abstract setJson(key: string, value: unknown, ttlSeconds: number): Promise<void>;

  async getOrLoad<T>(key: string, ttlSeconds: number, loader: () => Promise<T>): Promise<T> {
    // The value is wrapped, so a cached null is a hit; anything else under the key is a miss.
    const hit = await this.getJson<{ v: T }>(key);
    if (hit !== null && typeof hit === 'object' && 'v' in hit) return hit.v;
    const before = this.invalidations;
    const value = await loader();
    if (this.invalidations === before) await this.setJson(key, { v: value }, ttlSeconds);
    return value;
  }

  protected invalidated(): void {
    this.invalidations++;
  }
}

export interface MemoryCacheOptions {
  /** Entries kept at most; the least recently written go first (default 10,000). */
  maxEntries?: number;
  /** The clock (tests). */
  now?: () => number;
}

export class MemoryCache extends LoadingCache implements Cache {
  readonly kind = 'memory' as const;
  readonly redis = null;
  readonly keyPrefix = '';
  private readonly values = new Map<string, { json: string; expiresAt: number }>();
  private readonly maxEntries: number;
  private readonly now: () => number;

  constructor(opts: MemoryCacheOptions = {}) {
    super();
    this.maxEntries = opts.maxEntries ?? 10_000;
    this.now = opts.now ?? Date.now;
  }

  /** Entries held, expired ones included until they are read or pushed out. */
  get size(): number {
    return this.values.size;
  }

  ping(): Promise<void> {
    return Promise.resolve();
  }

  getJson<T>(key: string): Promise<T | null> {
    const hit = this.values.get(key);
    if (!hit || hit.expiresAt <= this.now()) {
      this.values.delete(key);
      return Promise.resolve(null);
    }
    // A copy, as from Redis: a caller changing what it got never changes the cache.
    return Promise.resolve(JSON.parse(hit.json) as T);
  }

  setJson(key: string, value: unknown, ttlSeconds: number): Promise<void> {
    // Re-inserted at the end, so the Map's order is the order of writes.
    this.values.delete(key);
    this.values.set(key, {
      json: JSON.stringify(value),
      expiresAt: this.now() + ttlSeconds * 1000,
    });
    if (this.values.size > this.maxEntries) this.evict();
    return Promise.resolve();
  }

  delete(key: string): Promise<void> {
    this.invalidated();
    this.values.delete(key);
    return Promise.resolve();
  }

  invalidate(target: CacheTarget): Promise<void> {
    if (typeof target === 'string') return this.delete(target);
    this.invalidated();
    for (const key of this.values.keys())
      if (key.startsWith(target.prefix)) this.values.delete(key);
    return Promise.resolve();
  }

  /** Forgets everything (Redis is back: what was kept here during the outage must not outlive it). */
  clear(): void {
    this.invalidated();
    this.values.clear();
  }

  close(): Promise<void> {
    this.values.clear();
    return Promise.resolve();
  }

  private evict(): void {
    const now = this.now();
    for (const [key, entry] of this.values) if (entry.expiresAt <= now) this.values.delete(key);
    for (const key of this.values.keys()) {
      if (this.values.size <= this.maxEntries) break;
      this.values.delete(key);
    }
  }
}

/** Invalidations that could not reach Redis, replayed when it is back (bounded). */
const MAX_PENDING_INVALIDATIONS = 1_000;

/**
 * Redis while it answers; process memory while it does not. Nothing is kept in this process
 * while Redis is up, so an invalidation on one server is seen by every server at once. During an
 * outage each server caches for itself (a write on one server is seen by another only when its
 * entry expires, within the TTL); when Redis is back the memory is dropped and the invalidations
 * that failed are replayed, so nothing cached during the outage outlives it.
 */
export class RedisCache extends LoadingCache implements Cache {
  readonly kind = 'redis' as const;
  /** Serves while Redis is away; emptied whenever Redis becomes ready. */
  readonly fallback: MemoryCache;
  private readonly pending = new Set<string>();
  private failing = false;

  constructor(
    readonly redis: Redis,
    readonly keyPrefix = 'medora:',
    private readonly logger?: Pick<Logger, 'warn'>,
    fallback: MemoryCacheOptions = {},
  ) {
    super();
    this.fallback = new MemoryCache(fallback);
    redis.on('ready', () => {
      this.failing = false;
      this.fallback.clear();
      void this.replayInvalidations();
    });
  }

  async ping(): Promise<void> {
    await this.redis.ping();
  }

  async getJson<T>(key: string): Promise<T | null> {
    if (!this.up()) return this.fallback.getJson<T>(key);
    try {
      const json = await this.redis.get(this.keyPrefix + key);
      return json === null ? null : (JSON.parse(json) as T);
    } catch (err) {
      this.failed(err);
      return this.fallback.getJson<T>(key);
    }
  }

  async setJson(key: string, value: unknown, ttlSeconds: number): Promise<void> {
    if (!this.up()) return this.fallback.setJson(key, value, ttlSeconds);
    try {
      await this.redis.set(this.keyPrefix + key, JSON.stringify(value), 'EX', ttlSeconds);
    } catch (err) {
      this.failed(err);
      await this.fallback.setJson(key, value, ttlSeconds);
    }
  }

  delete(key: string): Promise<void> {
    return this.invalidate(key);
  }

  async invalidate(target: CacheTarget): Promise<void> {
    this.invalidated();
    // Memory too: it may hold the key from an outage this client has not noticed ending yet.
    await this.fallback.invalidate(target);
    const pattern = typeof target === 'string' ? target : `${target.prefix}*`;
    if (!this.up()) {
      this.remember(pattern);
      return;
    }
    try {
      await this.drop(pattern);
    } catch (err) {
      this.failed(err);
      this.remember(pattern);
    }
  }

  async close(): Promise<void> {
    await this.fallback.close();
    await this.redis.quit().catch(() => this.redis.disconnect());
  }

  private up(): boolean {
    return this.redis.status === 'ready';
  }

  /** One key, or (ending in `*`) every key with that prefix, a batch at a time (SCAN, never KEYS). */
  private async drop(pattern: string): Promise<void> {
    if (!pattern.endsWith('*')) {
      await this.redis.del(this.keyPrefix + pattern);
      return;
    }
    const match = `${globEscape(this.keyPrefix + pattern.slice(0, -1))}*`;
    let cursor = '0';
    do {
      const [next, keys] = await this.redis.scan(cursor, 'MATCH', match, 'COUNT', 500);
      if (keys.length) await this.redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  }

  private remember(pattern: string): void {
    if (this.pending.size >= MAX_PENDING_INVALIDATIONS) return;
    this.pending.add(pattern);
  }

  private async replayInvalidations(): Promise<void> {
    for (const pattern of [...this.pending]) {
      this.pending.delete(pattern);
      try {
        await this.drop(pattern);
      } catch (err) {
        this.failed(err);
        this.remember(pattern);
        return;
      }
    }
  }

  /** The connection's own errors are logged by the client; this logs a failing command, once. */
  private failed(err: unknown): void {
    if (this.failing) return;
    this.failing = true;
    this.logger?.warn({ err }, 'redis command failed; cache served from process memory');
  }
}

const globEscape = (s: string) => s.replace(/[*?[\]\\]/g, '\\$&');

export function createRedisClient(url: string, logger?: Logger): Redis {
  const redis = new Redis(url, {
    // Fail fast while Redis is away instead of queueing requests behind it: the limiters and
    // the cache then work in memory. A Redis that hangs is given up on after commandTimeout.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2_000,
    commandTimeout: 2_000,
    lazyConnect: false,
    // Commands issued in the same tick (the rate limits of concurrent requests) share one
    // write to the socket instead of one system call each.
    enableAutoPipelining: true,
  });
  let down = false;
  const lost = (err?: Error) => {
    if (!down)
      logger?.warn(
        { err },
        'redis unavailable; rate limits and cache in process memory until it is back',
      );
    down = true;
  };
  redis.on('error', lost);
  // A connection that drops is retried without an error until a retry fails; log it at once.
  redis.on('reconnecting', () => lost());
  redis.on('ready', () => {
    if (down) logger?.info('redis reachable again');
    down = false;
  });
  return redis;
}

export function createCache(redisUrl: string | undefined, logger?: Logger): Cache {
  return redisUrl
    ? new RedisCache(createRedisClient(redisUrl, logger), undefined, logger)
    : new MemoryCache();
}
