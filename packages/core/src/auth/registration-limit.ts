import ipaddr from 'ipaddr.js';
import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Cache } from '../cache/index';
import { limiter, take, tooMany } from './limiter';

const HOUR_SECONDS = 3600;

/**
 * The network an address belongs to for sign-up limits: its /24 (IPv4) or /64 (IPv6), the
 * blocks one subscriber or one hosting customer usually holds. IPv4-mapped IPv6 counts as IPv4.
 */
export function networkOf(ip: string): string | null {
  if (!ipaddr.isValid(ip)) return null;
  const addr = ipaddr.process(ip);
  if (addr.kind() === 'ipv4') {
    const o = (addr as ipaddr.IPv4).octets;
    return `${o[0]}.${o[1]}.${o[2]}.0/24`;
  }
  const parts = (addr as ipaddr.IPv6).parts.slice(0, 4).map((p) => p.toString(16));
  return `${parts.join(':')}::/64`;
}

/**
 * The key one client is counted under: its IPv4 address, or the /64 of an IPv6 one (a
 * subscriber can pick any address inside it).
 */
export function addressKey(ip: string): string {
  if (!ipaddr.isValid(ip)) return ip;
  const addr = ipaddr.process(ip);
  return addr.kind() === 'ipv4' ? addr.toString() : (networkOf(ip) ?? ip);
}

/**
 * Sign-ups per client IP and per network per hour. Every attempt counts, successful or not:
 * refunding failures would let one address probe which phones are registered without limit.
 */
export class RegistrationLimit {
  private readonly byIp: RateLimiterAbstract;
  private readonly byNetwork: RateLimiterAbstract;

  constructor(cache: Cache, opts: { ipPerHour: number; networkPerHour: number }) {
    this.byIp = limiter(cache, 'register-ip', opts.ipPerHour, HOUR_SECONDS);
    this.byNetwork = limiter(cache, 'register-net', opts.networkPerHour, HOUR_SECONDS);
  }

  async take(ip: string | null): Promise<void> {
    if (!ip) return;
    const address = addressKey(ip);
    const network = networkOf(ip);
    const [i, n] = await Promise.all([
      take(this.byIp, address),
      network ? take(this.byNetwork, network) : Promise.resolve(null),
    ]);
    if (i.ok && (!n || n.ok)) return;
    // Refused: the counter that accepted the attempt gives it back, so one address over its own
    // limit cannot use up its neighbours' network allowance.
    await Promise.all([
      i.ok ? this.byIp.reward(address, 1) : null,
      n?.ok && network ? this.byNetwork.reward(network, 1) : null,
    ]);
    const waits = [i, n].map((r) => (r && !r.ok ? r.waitMs : 0));
    throw tooMany('RATE_LIMITED', Math.max(...waits));
  }
}
