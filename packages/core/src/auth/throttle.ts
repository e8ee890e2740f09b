import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Cache } from '../cache/index';
import { limiter, take, tooMany } from './limiter';
import { addressKey } from './registration-limit';

export interface ThrottleOptions {
  maxFailures: number;
  windowSeconds: number;
  ipMaxFailures: number;
}

/** Repeated lock-outs of one phone double the lock, up to a day. */
const MAX_LOCK_SECONDS = 86_400;
/** Lock-outs of a phone are remembered this long for the doubling. */
const LOCK_MEMORY_SECONDS = 86_400;
/** The count of attempts left is told from this failure on (the 3rd), not before. */
const WARN_FROM_FAILURE = 3;

/**
 * An attempt in progress. `trustedDevice` is the device id from a valid device cookie of the
 * user whose phone is being tried, or null for an unknown device.
 */
export interface Attempt {
  phone: string;
  ip: string | null;
  trustedDevice: string | null;
}

/** An attempt that passed the counters: which counter it used, and what is left of it. */
export interface Counted {
  attempt: Attempt;
  /** Failures left on the counter this attempt used, should it fail. */
  remaining: number;
  /** True when the attempt counted against its known device, not the phone and IP. */
  asKnownDevice: boolean;
}

/**
 * Counts failed sign-ins so that guessing stays expensive without handing an attacker a switch
 * that locks the real doctor out (OWASP's "device cookies"):
 *
 * - From an unknown device: per normalized phone (`maxFailures` per window, then a lock that
 *   doubles with each repeated lock-out) and per client IP (`ipMaxFailures`).
 * - From a device the user signed in from before: only that device's own failures count.
 *   Failures from elsewhere — an attacker hammering the phone or the clinic's IP — never lock
 *   it. Once it has used up its own failures it counts like an unknown device for the window.
 * - IPv6 clients are counted per /64, the block one subscriber holds.
 *
 * Each attempt takes its point *before* the password is checked (an atomic increment), so a burst
 * of parallel guesses cannot slip past the cap; a success gives the points back.
 */
export class LoginThrottle {
  private readonly byPhone: RateLimiterAbstract;
  private readonly byIp: RateLimiterAbstract;
  private readonly byDevice: RateLimiterAbstract;
  private readonly phoneLocks: RateLimiterAbstract;

  constructor(
    cache: Cache,
    private readonly opts: ThrottleOptions,
  ) {
    this.byPhone = limiter(cache, 'login-fail-phone', opts.maxFailures, opts.windowSeconds);
    this.byIp = limiter(cache, 'login-fail-ip', opts.ipMaxFailures, opts.windowSeconds);
    this.byDevice = limiter(cache, 'login-fail-device', opts.maxFailures, opts.windowSeconds);
    this.phoneLocks = limiter(cache, 'login-locks-phone', 1_000_000, LOCK_MEMORY_SECONDS);
  }

  /**
   * Takes one attempt, or throws TOO_MANY_ATTEMPTS with the wait. A known device that has used
   * up its own failures is trusted no more for the window: it counts like any unknown device.
   */
  async begin(a: Attempt): Promise<Counted> {
    if (a.trustedDevice) {
      const d = await take(this.byDevice, a.trustedDevice);
      if (d.ok) return { attempt: a, remaining: d.remaining, asKnownDevice: true };
    }
    const ip = a.ip ? addressKey(a.ip) : null;
    const [p, i] = await Promise.all([
      take(this.byPhone, a.phone),
      ip ? take(this.byIp, ip) : Promise.resolve(null),
    ]);
    if (p.ok && (!i || i.ok)) return { attempt: a, remaining: p.remaining, asKnownDevice: false };
    // Refused: the attempt does not happen, so a counter that did accept it gives it back.
    await Promise.all([
      p.ok ? this.byPhone.reward(a.phone, 1) : null,
      i?.ok && ip ? this.byIp.reward(ip, 1) : null,
    ]);
    const waits = [p, i].map((r) => (r && !r.ok ? r.waitMs : 0));
    throw tooMany('TOO_MANY_ATTEMPTS', Math.max(...waits));
  }

  /**
   * The attempt failed. When it used up the phone's last failure, the phone is locked for the
   * window, doubled for every lock-out in the last day. Returns the failures left to tell the
   * user, or undefined while it is too early to warn.
   */
  async failed({ attempt: a, remaining, asKnownDevice }: Counted): Promise<number | undefined> {
    if (!asKnownDevice && remaining === 0) {
      const locks = await this.phoneLocks.penalty(a.phone, 1);
      const seconds = Math.min(
        MAX_LOCK_SECONDS,
        this.opts.windowSeconds * 2 ** Math.min(16, locks.consumedPoints - 1),
      );
      await this.byPhone.block(a.phone, seconds);
    }
    const failures = this.opts.maxFailures - remaining;
    return failures >= WARN_FROM_FAILURE ? remaining : undefined;
  }

  /**
   * The password was right but a second factor is still to come (an administrator). The
   * attempt's own point is given back, yet earlier failures stay counted: otherwise a correct
   * password would reset the counter that also limits guessing the code.
   */
  async passedFirstFactor({ attempt: a, asKnownDevice }: Counted): Promise<void> {
    if (asKnownDevice) {
      await this.byDevice.reward(a.trustedDevice!, 1);
      return;
    }
    const ip = a.ip ? addressKey(a.ip) : null;
    await Promise.all([this.byPhone.reward(a.phone, 1), ip ? this.byIp.reward(ip, 1) : null]);
  }

  /** The attempt succeeded: it was not a failure after all. */
  async succeeded({ attempt: a, asKnownDevice }: Counted): Promise<void> {
    if (asKnownDevice) {
      await this.byDevice.delete(a.trustedDevice!);
      return;
    }
    const ip = a.ip ? addressKey(a.ip) : null;
    await Promise.all([this.byPhone.delete(a.phone), ip ? this.byIp.reward(ip, 1) : null]);
  }
}

/**
 * Wrong current passwords in `auth.changePassword`, per user. Separate from the sign-in counters:
 * an attacker's failed sign-ins never block a doctor's own password change, and a stolen live
 * session cannot guess the current password at leisure.
 */
export class PasswordCheckThrottle {
  private readonly byUser: RateLimiterAbstract;

  constructor(cache: Cache, opts: Pick<ThrottleOptions, 'maxFailures' | 'windowSeconds'>) {
    this.byUser = limiter(cache, 'password-check-user', opts.maxFailures, opts.windowSeconds);
  }

  async begin(userId: string): Promise<void> {
    const t = await take(this.byUser, userId);
    if (!t.ok) throw tooMany('TOO_MANY_ATTEMPTS', t.waitMs);
  }

  async succeeded(userId: string): Promise<void> {
    await this.byUser.delete(userId);
  }
}
