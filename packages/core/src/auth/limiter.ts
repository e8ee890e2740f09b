import {
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
  type RateLimiterAbstract,
} from 'rate-limiter-flexible';
import type { Cache } from '../cache/index';
import { AppError } from '../errors';

/** A counter in Redis (memory insurance while Redis is away) or in process memory. */
export function limiter(
  cache: Cache,
  keyPrefix: string,
  points: number,
  duration: number,
): RateLimiterAbstract {
  if (!cache.redis) return new RateLimiterMemory({ keyPrefix, points, duration });
  return new RateLimiterRedis({
    storeClient: cache.redis,
    keyPrefix: `${cache.keyPrefix}${keyPrefix}`,
    points,
    duration,
    // While Redis is away, count in process memory rather than stop counting.
    insuranceLimiter: new RateLimiterMemory({ keyPrefix, points, duration }),
  });
}

export type Taken = { ok: true; remaining: number } | { ok: false; waitMs: number };

/** Takes one point; a refusal carries the time left. Anything else is the store failing. */
export async function take(l: RateLimiterAbstract, key: string): Promise<Taken> {
  try {
    const res = await l.consume(key);
    return { ok: true, remaining: res.remainingPoints };
  } catch (e) {
    if (e instanceof RateLimiterRes) return { ok: false, waitMs: e.msBeforeNext };
    throw e;
  }
}

export function tooMany(code: 'TOO_MANY_ATTEMPTS' | 'RATE_LIMITED', waitMs: number): AppError {
  return new AppError('TOO_MANY_REQUESTS', code, {
    retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)),
  });
}
