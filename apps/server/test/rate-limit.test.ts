import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './start-test-server';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
});

const call = (procedure: string, headers: Record<string, string> = {}) =>
  fetch(`${server!.baseUrl}/trpc/${procedure}`, { headers });

async function expectLimited(res: Response) {
  expect(res.status).toBe(429);
  expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  const body = (await res.json()) as {
    error: { code: string; json?: { data: { appCode: string } } };
  };
  expect(body.error.code).toBe('RATE_LIMITED');
  // The tRPC client reads the same answer as a typed error.
  expect(body.error.json?.data.appCode).toBe('RATE_LIMITED');
}

describe('rate limits', () => {
  it('caps requests per IP per minute on the API, not on health checks', async () => {
    server = await startTestServer({ env: { RATE_LIMIT_IP_PER_MINUTE: '5' } });
    for (let i = 0; i < 5; i++) expect((await call('auth.me')).status).toBe(401);
    await expectLimited(await call('auth.me'));
    const plain = await fetch(`${server.baseUrl}/api/anything`);
    expect(plain.status).toBe(429);
    expect(((await plain.json()) as { error: { code: string } }).error.code).toBe('RATE_LIMITED');
    // Without TRUST_PROXY a client cannot pick another IP through X-Forwarded-For.
    await expectLimited(await call('auth.me', { 'x-forwarded-for': '203.0.113.7' }));
    // Monitors keep working while a client is throttled.
    for (let i = 0; i < 10; i++) expect((await fetch(`${server.baseUrl}/health`)).status).toBe(200);
  });

  it('gives signed-in users their own hourly budget, separate from anonymous callers', async () => {
    server = await startTestServer({
      env: { RATE_LIMIT_ANON_PER_HOUR: '3', RATE_LIMIT_USER_PER_HOUR: '6' },
    });
    const reg = await fetch(`${server.baseUrl}/trpc/auth.register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        json: { phone: '+998901112233', name: 'Limit Test', password: 'correct-horse-battery' },
      }),
    });
    expect(reg.status).toBe(200);
    const { accessToken } = (
      (await reg.json()) as { result: { data: { json: { accessToken: string } } } }
    ).result.data.json;
    // Anonymous budget: register used 1 of 3.
    expect((await call('auth.me')).status).toBe(401);
    expect((await call('auth.me')).status).toBe(401);
    await expectLimited(await call('auth.me'));
    // A forged bearer is still anonymous.
    await expectLimited(await call('auth.me', { authorization: 'Bearer not-a-token' }));
    // The signed-in user is counted separately.
    const auth = { authorization: `Bearer ${accessToken}` };
    for (let i = 0; i < 6; i++) expect((await call('auth.me', auth)).status).toBe(200);
    await expectLimited(await call('auth.me', auth));
  });

  it.runIf(process.env.REDIS_URL)('keeps counters in Redis when REDIS_URL is set', async () => {
    const redis = new Redis(process.env.REDIS_URL!);
    // Redis may be shared: this run counts under its own prefix and removes only those keys.
    const keyPrefix = `medora-test:${randomUUID()}:rl`;
    try {
      server = await startTestServer({
        env: { REDIS_URL: process.env.REDIS_URL!, RATE_LIMIT_IP_PER_MINUTE: '4' },
        rateLimitKeyPrefix: keyPrefix,
      });
      expect(server.services.cache.kind).toBe('redis');
      for (let i = 0; i < 4; i++) expect((await call('auth.me')).status).toBe(401);
      await expectLimited(await call('auth.me'));
      expect(await redis.exists(`${keyPrefix}:ip:127.0.0.1`)).toBe(1);
    } finally {
      await deleteKeys(redis, `${keyPrefix}:*`);
      redis.disconnect();
    }
  });
});

/** Deletes the keys matching `pattern`, a batch at a time (SCAN, never KEYS). */
async function deleteKeys(redis: Redis, pattern: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
    if (keys.length) await redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
}
