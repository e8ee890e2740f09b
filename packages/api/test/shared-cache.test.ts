import { createRedisClient, createServices, RedisCache, type Services } from '@medora/core';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCaller, createContext } from '../src/index';
import {
  createHarness,
  failure,
  freshPhone,
  PASSWORD,
  TestCookieJar,
  tokens,
  type Harness,
} from './harness';

// Two API servers over one PostgreSQL and one Redis, as in production. A revocation or a login
// failure seen by one server must count on the other at once. Runs where REDIS_URL is set (CI).
const redisUrl = process.env.REDIS_URL;

describe.runIf(redisUrl)('two servers sharing Redis', () => {
  let h: Harness;
  let serverA: Services;
  let serverB: Services;
  // Counters outlive a run in Redis: each run counts under its own prefix.
  const prefix = `medora-test:${process.pid}:${Date.now()}:`;

  beforeAll(async () => {
    h = await createHarness({}, new RedisCache(createRedisClient(redisUrl!), prefix));
    serverA = h.services;
    serverB = createServices({
      config: h.services.config,
      db: h.t.db,
      logger: pino({ level: 'silent' }),
      cache: new RedisCache(createRedisClient(redisUrl!), prefix),
    });
  });
  afterAll(async () => {
    await serverB.cache.close();
    await h.close();
  });

  const client = (services: Services, token: string | null, ip = '198.51.100.1') =>
    createCaller(() =>
      createContext(services, {
        ip,
        userAgent: 't',
        requestId: 't',
        authorization: token ? `Bearer ${token}` : null,
        cookies: new TestCookieJar(),
      }),
    );

  it('a session revoked through one server is refused by the other immediately', async () => {
    const phone = freshPhone();
    const first = await client(serverA, null).auth.register({
      phone,
      name: 'Ikki Server',
      password: PASSWORD,
      locale: 'uz',
    });
    const second = tokens(await client(serverB, null).auth.login({ phone, password: PASSWORD }));
    // Server B has just accepted the first session: nothing on it may keep that answer.
    await client(serverB, first.accessToken).auth.me();
    const sessions = await client(serverB, second.accessToken).auth.sessions.list();
    const firstId = sessions.find((s) => !s.current)!.id;
    await client(serverB, second.accessToken).auth.sessions.revoke({ id: firstId });
    expect(await failure(client(serverA, first.accessToken).auth.me())).toMatchObject({
      code: 'UNAUTHORIZED',
    });
  });

  it('login failures counted on one server block the phone on the other', async () => {
    const phone = freshPhone();
    await client(serverA, null).auth.register({
      phone,
      name: 'Ikki Server',
      password: PASSWORD,
      locale: 'uz',
    });
    for (let i = 0; i < 5; i++) {
      const server = i % 2 ? serverA : serverB;
      await failure(
        client(server, null, `198.51.100.${10 + i}`).auth.login({
          phone,
          password: 'wrong-password',
        }),
      );
    }
    expect(
      await failure(
        client(serverA, null, '198.51.100.99').auth.login({ phone, password: PASSWORD }),
      ),
    ).toMatchObject({ code: 'TOO_MANY_REQUESTS' });
    expect(
      await failure(
        client(serverB, null, '198.51.100.98').auth.login({ phone, password: PASSWORD }),
      ),
    ).toMatchObject({ code: 'TOO_MANY_REQUESTS' });
  });
});
