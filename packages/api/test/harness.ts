import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createServices, loadConfig, MemoryCache, type Cache, type Services } from '@medora/core';
import { createTestDatabase, type TestDatabase } from '@medora/db/testing';
import { TRPCError } from '@trpc/server';
import pino from 'pino';
import {
  appErrorData,
  createCaller,
  createInnerContext,
  REFRESH_COOKIE,
  type CookieJar,
  type CookieOptions,
} from '../src/index';

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

let ipCounter = 0;
export const uniqueIp = () => `10.0.${Math.floor(++ipCounter / 250)}.${(ipCounter % 250) + 1}`;

export async function createHarness(
  env: Record<string, string> = {},
  cache: Cache = new MemoryCache(),
): Promise<Harness> {
  const t = await createTestDatabase();
  const config = loadConfig({
    NODE_ENV: 'test',
    TOKEN_SECRET: 'test-secret-that-is-long-enough-for-hs256-0123456789',
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
      ip: opts.ip ?? uniqueIp(),
      get caller() {
        return createCaller(
          createInnerContext(services, {
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
    agent,
    close: async () => {
      await services.cache.close();
      await t.drop();
    },
  };
}

let phoneCounter = 0;
/** A fresh valid Uzbek mobile number per call, unique within a run. */
export function freshPhone(): string {
  phoneCounter += 1;
  const n = (process.pid * 1000 + phoneCounter) % 10_000_000;
  return `+99890${String(n).padStart(7, '0')}`;
}

export const PASSWORD = 'Tog-yoli-2026';

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

export async function loggedIn(
  h: Harness,
  phone: string,
  opts: { ip?: string; userAgent?: string } = {},
): Promise<Agent> {
  const a = h.agent(opts);
  const res = await a.caller.auth.login({ phone, password: PASSWORD });
  a.token = res.accessToken;
  return a;
}

/** The error a call failed with, shaped as the client sees it (code, appCode, field errors). */
export async function failure(p: Promise<unknown>): Promise<{
  code: string;
  appCode: string;
  fieldErrors: Record<string, string[]> | null;
  retryAfterSeconds: number | null;
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
    };
  }
  throw new Error('expected the call to fail, but it succeeded');
}
