import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

const int = (def: number, min = 1, max = Number.MAX_SAFE_INTEGER) =>
  z.coerce.number().int().min(min).max(max).default(def);
const bool = (def: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'])
    .default(def ? 'true' : 'false')
    .transform((v) => ['true', '1', 'yes'].includes(v));
const optionalString = z.string().trim().min(1).optional().catch(undefined);

/**
 * Every setting of the server and the worker, read from the environment once at start-up. Each
 * number from the specification has its value as the default. A bad value stops the process with
 * a message that names the variable.
 */
export const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: int(3000, 0, 65535),
  HOST: z.string().default('0.0.0.0'),
  DATA_DIR: z.string().default('.data'),
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
  EMBEDDED_PG_PORT: int(54329, 1024, 65535),
  DATABASE_POOL_MAX: int(10, 1, 200),
  REDIS_URL: z.url({ protocol: /^rediss?$/ }).optional(),
  TOKEN_SECRET: z.string().min(32, 'TOKEN_SECRET must be at least 32 characters').optional(),
  ACCESS_TOKEN_TTL_SECONDS: int(900, 60, 3600),
  REFRESH_TOKEN_TTL_DAYS: int(30, 1, 365),
  REFRESH_REUSE_GRACE_SECONDS: int(10, 0, 120),
  MAX_SESSIONS_PER_USER: int(3, 1, 50),
  SESSION_MAX_DAYS: int(90, 1, 3650),
  LOGIN_MAX_FAILURES: int(5, 1, 100),
  LOGIN_FAILURE_WINDOW_SECONDS: int(900, 60, 86_400),
  LOGIN_IP_MAX_FAILURES: int(30, 1, 10_000),
  DEVICE_COOKIE_TTL_DAYS: int(180, 1, 3650),
  REGISTRATION_IP_PER_HOUR: int(5, 1, 1_000_000),
  REGISTRATION_NETWORK_PER_HOUR: int(20, 1, 1_000_000),
  ALLOWED_ORIGINS: z.string().optional(),
  LOG_FORMAT: z.enum(['auto', 'json', 'pretty']).default('auto'),
  RATE_LIMIT_IP_PER_MINUTE: int(100, 1, 1_000_000),
  RATE_LIMIT_ANON_PER_HOUR: int(100, 1, 1_000_000),
  RATE_LIMIT_USER_PER_HOUR: int(1000, 1, 1_000_000),
  TRUST_PROXY: bool(false),
  /** Proxies in front of the server that append to X-Forwarded-For (used when TRUST_PROXY). */
  TRUST_PROXY_HOPS: int(1, 1, 10),
  COOKIE_SECURE: z.enum(['true', 'false', 'auto']).default('auto'),
  ADMIN_PHONE: optionalString,
  ADMIN_PASSWORD: optionalString,
  ADMIN_NAME: z.string().default('Administrator'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).optional(),
  LOG_DIR: z.string().optional(),
  WEB_DIST_DIR: z.string().optional(),
  SHUTDOWN_TIMEOUT_MS: int(10_000, 100, 120_000),
  SLOW_REQUEST_MS: int(1000, 1, 600_000),
  WORKER_CONCURRENCY: int(4, 1, 64),
  /** GET /metrics requires `Authorization: Bearer <METRICS_TOKEN>`; in production it is off (404) until set. */
  METRICS_TOKEN: optionalString,
});
export type Env = z.infer<typeof envSchema>;

export interface AppConfig {
  env: Env['NODE_ENV'];
  isProduction: boolean;
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  embeddedPgPort: number;
  databasePoolMax: number;
  redisUrl: string | undefined;
  tokenSecret: Uint8Array;
  accessTokenTtlSeconds: number;
  refreshTokenTtlDays: number;
  refreshReuseGraceSeconds: number;
  maxSessionsPerUser: number;
  /** Absolute lifetime of a session family, however often it is refreshed. */
  sessionMaxDays: number;
  login: {
    maxFailures: number;
    windowSeconds: number;
    ipMaxFailures: number;
    /** Lifetime of the signed device cookie that exempts a known device from phone lock-outs. */
    deviceCookieTtlDays: number;
  };
  /** Sign-ups per client IP and per /24 (IPv4) or /64 (IPv6) network, per hour. */
  registration: { ipPerHour: number; networkPerHour: number };
  /** Origins besides the app's own that may send state-changing requests. */
  allowedOrigins: string[];
  /** auto: pretty on an interactive terminal outside production, JSON otherwise. */
  logFormat: Env['LOG_FORMAT'];
  rateLimit: { ipPerMinute: number; anonPerHour: number; userPerHour: number };
  trustProxy: boolean;
  trustProxyHops: number;
  cookieSecure: boolean;
  admin: { phone: string; password: string; name: string } | undefined;
  logLevel: NonNullable<Env['LOG_LEVEL']>;
  logDir: string | undefined;
  webDistDir: string | undefined;
  shutdownTimeoutMs: number;
  slowRequestMs: number;
  workerConcurrency: number;
  metricsToken?: string;
  version: string;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Reads and validates the environment; throws ConfigError listing every bad variable. */
export function loadConfig(
  source: NodeJS.ProcessEnv = process.env,
  opts: { version?: string } = {},
): AppConfig {
  // Empty strings from `.env` files or compose mean "unset".
  const cleaned = Object.fromEntries(
    Object.entries(source).filter(([, v]) => v !== undefined && v !== ''),
  );
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const isProduction = e.NODE_ENV === 'production';
  const dataDir = path.resolve(e.DATA_DIR);
  if ((e.ADMIN_PHONE === undefined) !== (e.ADMIN_PASSWORD === undefined)) {
    throw new ConfigError(
      'Invalid configuration:\n  ADMIN_PHONE and ADMIN_PASSWORD must be set together',
    );
  }
  if (isProduction && !e.TOKEN_SECRET) {
    throw new ConfigError(
      'Invalid configuration:\n  TOKEN_SECRET is required in production (32+ random characters)',
    );
  }
  return {
    env: e.NODE_ENV,
    isProduction,
    port: e.PORT,
    host: e.HOST,
    dataDir,
    databaseUrl: e.DATABASE_URL,
    embeddedPgPort: e.EMBEDDED_PG_PORT,
    databasePoolMax: e.DATABASE_POOL_MAX,
    redisUrl: e.REDIS_URL,
    tokenSecret: new TextEncoder().encode(e.TOKEN_SECRET ?? localTokenSecret(dataDir)),
    accessTokenTtlSeconds: e.ACCESS_TOKEN_TTL_SECONDS,
    refreshTokenTtlDays: e.REFRESH_TOKEN_TTL_DAYS,
    refreshReuseGraceSeconds: e.REFRESH_REUSE_GRACE_SECONDS,
    maxSessionsPerUser: e.MAX_SESSIONS_PER_USER,
    sessionMaxDays: e.SESSION_MAX_DAYS,
    login: {
      maxFailures: e.LOGIN_MAX_FAILURES,
      windowSeconds: e.LOGIN_FAILURE_WINDOW_SECONDS,
      ipMaxFailures: e.LOGIN_IP_MAX_FAILURES,
      deviceCookieTtlDays: e.DEVICE_COOKIE_TTL_DAYS,
    },
    registration: {
      ipPerHour: e.REGISTRATION_IP_PER_HOUR,
      networkPerHour: e.REGISTRATION_NETWORK_PER_HOUR,
    },
    allowedOrigins: (e.ALLOWED_ORIGINS ?? '')
      .split(',')
      .map((o) => o.trim())
      .filter(Boolean),
    logFormat: e.LOG_FORMAT,
    rateLimit: {
      ipPerMinute: e.RATE_LIMIT_IP_PER_MINUTE,
      anonPerHour: e.RATE_LIMIT_ANON_PER_HOUR,
      userPerHour: e.RATE_LIMIT_USER_PER_HOUR,
    },
    trustProxy: e.TRUST_PROXY,
    trustProxyHops: e.TRUST_PROXY_HOPS,
    cookieSecure: e.COOKIE_SECURE === 'auto' ? isProduction : e.COOKIE_SECURE === 'true',
    admin:
      e.ADMIN_PHONE && e.ADMIN_PASSWORD
        ? { phone: e.ADMIN_PHONE, password: e.ADMIN_PASSWORD, name: e.ADMIN_NAME }
        : undefined,
    logLevel: e.LOG_LEVEL ?? (isProduction ? 'info' : e.NODE_ENV === 'test' ? 'silent' : 'debug'),
    logDir: e.LOG_DIR,
    webDistDir: e.WEB_DIST_DIR,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    slowRequestMs: e.SLOW_REQUEST_MS,
    workerConcurrency: e.WORKER_CONCURRENCY,
    metricsToken: e.METRICS_TOKEN,
    version: opts.version ?? process.env.npm_package_version ?? '0.1.0',
  };
}

/** For process entry points: a bad configuration prints its message and exits 1, no stack. */
export function loadConfigOrExit(source: NodeJS.ProcessEnv = process.env): AppConfig {
  try {
    return loadConfig(source);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
}

/**
 * Outside production a token secret is generated on first start and kept under DATA_DIR, so
 * sessions survive restarts without anyone choosing a secret by hand.
 */
function localTokenSecret(dataDir: string): string {
  const file = path.join(dataDir, 'token-secret');
  try {
    const existing = readFileSync(file, 'utf8').trim();
    if (existing.length >= 32) return existing;
  } catch {
    // first start
  }
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(48).toString('base64url');
  try {
    // 'wx': when the server and the worker start together, the first writer wins.
    writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
    return secret;
  } catch {
    return readFileSync(file, 'utf8').trim();
  }
}
