import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { LoginThrottle, type Attempt } from '../src/auth/throttle';
import { createRedisClient, RedisCache } from '../src/cache/index';
import { AppError } from '../src/errors';

// The same counters in Redis, as every server of a deployment shares them. Runs where REDIS_URL
// points at a server (CI sets it); each run counts under its own key prefix.
const redisUrl = process.env.REDIS_URL;

describe.runIf(redisUrl)('LoginThrottle in Redis', () => {
  const cache = redisUrl
    ? new RedisCache(createRedisClient(redisUrl), `medora-test:${randomUUID()}:`)
    : null;
  afterAll(() => cache?.close());
  const throttle = () =>
    new LoginThrottle(cache!, { maxFailures: 5, windowSeconds: 900, ipMaxFailures: 30 });
  let n = 0;
  const attempt = (over: Partial<Attempt> = {}): Attempt => ({
    phone: `+99891${String(process.pid % 1000).padStart(3, '0')}${String(++n).padStart(4, '0')}`,
    ip: `198.18.0.${n % 250}`,
    trustedDevice: null,
    ...over,
  });
  const refusal = (p: Promise<unknown>) =>
    p.then(
      () => null,
      (e: unknown) => {
        if (e instanceof AppError) return e;
        throw e;
      },
    );

  it('locks a phone after its failures and doubles a repeated lock-out', async () => {
    await new Promise((resolve) => cache!.redis.once('ready', resolve));
    const t = throttle();
    const a = attempt();
    for (let i = 0; i < 5; i++) await t.failed(await t.begin(a));
    const first = await refusal(t.begin(a));
    expect(first).toMatchObject({ code: 'TOO_MANY_ATTEMPTS' });
    expect(first!.details.retryAfterSeconds).toBeGreaterThan(890);
    expect(first!.details.retryAfterSeconds).toBeLessThanOrEqual(900);
    // A second lock-out of the same phone within the day (as after the first one ended).
    await t.failed({ attempt: a, remaining: 0, asKnownDevice: false });
    const second = await refusal(t.begin(a));
    expect(second!.details.retryAfterSeconds).toBeGreaterThan(1790);
    expect(second!.details.retryAfterSeconds).toBeLessThanOrEqual(1800);
  });

  it("keeps a known device out of another's lock, across throttles sharing Redis", async () => {
    const [serverA, serverB] = [throttle(), throttle()];
    const a = attempt();
    for (let i = 0; i < 5; i++) await serverA.failed(await serverA.begin(a));
    expect(await refusal(serverB.begin(a))).toMatchObject({ code: 'TOO_MANY_ATTEMPTS' });
    const known = await serverB.begin({ ...a, trustedDevice: randomUUID() });
    expect(known.asKnownDevice).toBe(true);
  });
});
