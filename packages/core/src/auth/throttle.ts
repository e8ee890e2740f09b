import {
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
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

/** A consume() refusal carries the time left; anything else is the store failing. */
function refusal(result: PromiseSettledResult<unknown>): number | null {
  if (result.status === 'fulfilled') return null;
  if (result.reason instanceof RateLimiterRes) return result.reason.msBeforeNext;
  throw result.reason;
}

/**
 * Counts failed sign-ins per normalized phone and, separately, per client IP.
 *
 * Each attempt takes its point *before* the password is checked (an atomic increment), so a
 * burst of parallel guesses cannot all slip in while the first ones are still being verified.
 * A success then gives the points back: the phone's count is cleared, the IP's point refunded,
 * so only failures count.
 */
export class LoginThrottle {
  private readonly byPhone: RateLimiterAbstract;
  private readonly byIp: RateLimiterAbstract;

  constructor(cache: Cache, opts: ThrottleOptions) {
    this.byPhone = limiter(cache, 'login-fail-phone', opts.maxFailures, opts.windowSeconds);
    this.byIp = limiter(cache, 'login-fail-ip', opts.ipMaxFailures, opts.windowSeconds);
  }

  /** Takes one attempt for the phone and the IP, or throws TOO_MANY_ATTEMPTS with the wait. */
  async begin(phone: string, ip: string | null): Promise<void> {
    const [p, i] = await Promise.allSettled([
      this.byPhone.consume(phone),
      ip ? this.byIp.consume(ip) : Promise.resolve(null),
    ]);
    const waits = [refusal(p), refusal(i)];
    if (waits.every((w) => w === null)) return;
    // Refused: the attempt does not happen, so the counter that did accept it gives it back.
    await Promise.all([
      waits[0] === null ? this.byPhone.reward(phone, 1) : null,
      waits[1] === null && ip ? this.byIp.reward(ip, 1) : null,
    ]);
    const ms = Math.max(...waits.map((w) => w ?? 0));
    throw new AppError('TOO_MANY_REQUESTS', 'TOO_MANY_ATTEMPTS', {
      retryAfterSeconds: Math.max(1, Math.ceil(ms / 1000)),
    });
  }

  /** The attempt succeeded: it was not a failure after all. */
  async succeeded(phone: string, ip: string | null): Promise<void> {
    await Promise.all([this.byPhone.delete(phone), ip ? this.byIp.reward(ip, 1) : null]);
  }
}
