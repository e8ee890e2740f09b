import {
  RateLimiterMemory,
  RateLimiterRedis,
  type RateLimiterAbstract,
} from 'rate-limiter-flexible';
import type { Cache } from '../cache/index';
import { AppError } from '../errors';

export interface ThrottleOptions {
  maxFailures: number;
  windowSeconds: number;
  ipMaxFailures: number;
}

function limiter(
  cache: Cache,
  keyPrefix: string,
  points: number,
  duration: number,
): RateLimiterAbstract {
  if (!cache.redis) return new RateLimiterMemory({ keyPrefix, points, duration });
  return new RateLimiterRedis({
    storeClient: cache.redis,
    keyPrefix: `medora:${keyPrefix}`,
    points,
    duration,
    // While Redis is away, count in process memory rather than stop counting.
    insuranceLimiter: new RateLimiterMemory({ keyPrefix, points, duration }),
  });
}

/**
 * Counts failed sign-ins per normalized phone and, separately, per client IP. Only failures
 * count; a success clears the phone's count. Past the cap every attempt is refused with the time
 * left, before the password is even checked.
 */
export class LoginThrottle {
  private readonly byPhone: RateLimiterAbstract;
  private readonly byIp: RateLimiterAbstract;

  constructor(
    cache: Cache,
    private readonly opts: ThrottleOptions,
  ) {
    this.byPhone = limiter(cache, 'login-fail-phone', opts.maxFailures, opts.windowSeconds);
    this.byIp = limiter(cache, 'login-fail-ip', opts.ipMaxFailures, opts.windowSeconds);
  }

  /** Throws TOO_MANY_ATTEMPTS when either counter is at its cap. */
  async assertAllowed(phone: string, ip: string | null): Promise<void> {
    const [p, i] = await Promise.all([this.byPhone.get(phone), ip ? this.byIp.get(ip) : null]);
    const blocked = [
      p && p.consumedPoints >= this.opts.maxFailures ? p.msBeforeNext : 0,
      i && i.consumedPoints >= this.opts.ipMaxFailures ? i.msBeforeNext : 0,
    ];
    const ms = Math.max(...blocked);
    if (ms > 0)
      throw new AppError('TOO_MANY_REQUESTS', 'TOO_MANY_ATTEMPTS', {
        retryAfterSeconds: Math.max(1, Math.ceil(ms / 1000)),
      });
  }

  async recordFailure(phone: string, ip: string | null): Promise<void> {
    await Promise.all([this.byPhone.penalty(phone, 1), ip ? this.byIp.penalty(ip, 1) : null]);
  }

  async recordSuccess(phone: string): Promise<void> {
    await this.byPhone.delete(phone);
  }
}
