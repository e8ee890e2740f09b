import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createServices, loadConfig, MemoryCache, type Cache, type Services } from '@medora/core';
import {
  createTestDatabase,
  factories,
  freshIp,
  freshPhone,
  TEST_PASSWORD,
  type Factories,
  type TestDatabase,
} from '@medora/core/testing';
import type { AuthOutput, LoginOutput } from '@medora/schema';
import { TRPCError } from '@trpc/server';
import pino from 'pino';
import {
  appErrorData,
  createCaller,
  createContext,
  REFRESH_COOKIE,
  type CookieJar,
  type CookieOptions,
} from '../src/index';

export { freshPhone };
export const PASSWORD = TEST_PASSWORD;
export const uniqueIp = freshIp;

export interface StoredCookie {
  value: string;
  opts: CookieOptions;
}

/** A cookie jar that behaves like a browser's for one site: set, overwrite, clear. */
export class TestCookieJar implements CookieJar {
  readonly cookies = new Map<string, StoredCookie>();
  get(name: string): string | undefined {
    return this.cookies.get(name)?.value;
  }
  set(name: string, value: string | null, opts: CookieOptions): void {
    if (value === null) this.cookies.delete(name);
    else this.cookies.set(name, { value, opts });
  }
  get refreshToken(): string | undefined {
    return this.get(REFRESH_COOKIE);
  }
}

export interface Harness {
  t: TestDatabase;
  services: Services;
  make: Factories;
  /** A client as one browser would be: its own cookies, its own access token, its own IP. */
  agent(opts?: { ip?: string; userAgent?: string }): Agent;
  close(): Promise<void>;
}

export type Caller = ReturnType<typeof createCaller>;

export interface Agent {
  jar: TestCookieJar;
  token: string | null;
  ip: string;
  caller: Caller;
}

/** The test secret every harness signs tokens with. */
export const TEST_TOKEN_SECRET = 'test-secret-that-is-long-enough-for-hs256-0123456789';

export async function createHarness(
  env: Record<string, string> = {},
  cache: Cache = new MemoryCache(),
): Promise<Harness> {
  const t = await createTestDatabase();
  const config = loadConfig({
    NODE_ENV: 'test',
    TOKEN_SECRET: TEST_TOKEN_SECRET,
    DATA_DIR: mkdtempSync(path.join(tmpdir(), 'medora-api-')),
    DATABASE_URL: t.url,
    ...env,
  });
  const services = createServices({ config, db: t.db, logger: pino({ level: 'silent' }), cache });
  const agent = (opts: { ip?: string; userAgent?: string } = {}): Agent => {
    const jar = new TestCookieJar();
    const a: Agent = {
      jar,
      token: null,
      ip: opts.ip ?? freshIp(),
      get caller() {
        // The same outer context the server builds: the bearer token is resolved per call.
        return createCaller(() =>
          createContext(services, {
            ip: a.ip,
            userAgent: opts.userAgent ?? 'vitest',
            requestId: 'test',
            authorization: a.token ? `Bearer ${a.token}` : null,
            cookies: jar,
          }),
        );
      },
    };
    return a;
  };
  return {
    t,
    services,
    make: factories(t.db),
    agent,
    close: async () => {
      await services.cache.close();
      await t.drop();
    },
  };
}

export async function registered(
  h: Harness,
  opts: { phone?: string; name?: string; ip?: string } = {},
): Promise<Agent & { phone: string; userId: string }> {
  const a = h.agent({ ip: opts.ip });
  const phone = opts.phone ?? freshPhone();
  const res = await a.caller.auth.register({
    phone,
    name: opts.name ?? 'Dilnoza Karimova',
    password: PASSWORD,
    locale: 'uz',
  });
  a.token = res.accessToken;
  return Object.assign(a, { phone, userId: res.user.id });
}

/** A login's tokens; fails the test when the answer is a second-factor challenge instead. */
export function tokens(res: LoginOutput): AuthOutput {
  if ('secondFactor' in res)
    throw new Error(`expected tokens, got a ${res.secondFactor} challenge`);
  return res;
}

export async function loggedIn(
  h: Harness,
  phone: string,
  opts: { ip?: string; userAgent?: string } = {},
): Promise<Agent> {
  const a = h.agent(opts);
  const res = tokens(await a.caller.auth.login({ phone, password: PASSWORD }));
  a.token = res.accessToken;
  return a;
}

/** The error a call failed with, shaped as the client sees it (code, appCode, field errors). */
export async function failure(p: Promise<unknown>): Promise<{
  code: string;
  appCode: string;
  fieldErrors: Record<string, string[]> | null;
  retryAfterSeconds: number | null;
  attemptsRemaining: number | null;
  usage: { used: number; limit: number | null; resetsAt: string } | null;
}> {
  try {
    await p;
  } catch (e) {
    if (!(e instanceof TRPCError)) throw e;
    const data = appErrorData(e);
    return {
      code: e.code,
      appCode: data.appCode,
      fieldErrors: data.fieldErrors,
      retryAfterSeconds: data.retryAfterSeconds,
      attemptsRemaining: data.attemptsRemaining,
      usage: data.usage,
    };
  }
  throw new Error('expected the call to fail, but it succeeded');
}
