/**
 * Every setting of the server and the worker, declared once. The file is long on purpose: each
 * variable's declaration (type, default, section, description) is the single source the
 * environment schema, the README's table and `.env.example` are generated from.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

import { MAX_ACCESS_TOKEN_TTL_SECONDS } from './auth/tokens';

const int = (def: number, min = 1, max = Number.MAX_SAFE_INTEGER) =>
  z.coerce.number().int().min(min).max(max).default(def);
const bool = (def: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'])
    .default(def ? 'true' : 'false')
    .transform((v) => ['true', '1', 'yes'].includes(v));
const optionalString = z.string().trim().min(1).optional().catch(undefined);

/** The APIs an optional language model can be reached through. */
export const llmProviders = ['openai-compatible', 'anthropic'] as const;
export type LlmProvider = (typeof llmProviders)[number];

const llmDefaultBaseUrls: Record<LlmProvider, string> = {
  'openai-compatible': 'https://api.openai.com/v1',
  anthropic: 'https://api.anthropic.com',
};

/**
 * The optional language model. `apiKey` is a non-enumerable property, so logging, serializing or
 * printing the configuration never shows it; spreading it drops it too (copy it by name).
 */
export interface LlmConfig {
  provider: LlmProvider;
  /** Without a trailing slash. */
  baseUrl: string;
  apiKey: string;
  model: string;
  timeoutMs: number;
}

/** E-mail notifications over SMTP. `url` is non-enumerable (it may carry a password). */
export interface SmtpConfig {
  url: string;
  from: string;
}

/** SMS notifications through Eskiz.uz. `password` is non-enumerable. */
export interface EskizConfig {
  /** Without a trailing slash. */
  baseUrl: string;
  email: string;
  password: string;
  from: string;
}

export interface NotificationsConfig {
  smtp: SmtpConfig | null;
  eskiz: EskizConfig | null;
}

/** Bank transfer details (BANK_*), as `subscription.current()` shows them. */
export interface BankDetails {
  recipient: string;
  bank: string | null;
  account: string;
  mfo: string | null;
  tin: string | null;
}

/** Headings that group the settings in `.env.example`, in order, with an optional note. */
export const configSections = {
  runtime: { title: 'Runtime' },
  database: { title: 'Database' },
  cache: { title: 'Cache' },
  sessions: { title: 'Sessions and sign-in' },
  limits: {
    title: 'Rate limits',
    note: 'On /trpc and /api; health checks and static files are not limited.',
  },
  transport: { title: 'Transport' },
  admin: {
    title: 'First administrator',
    note: 'Or create one on demand: npm run cli -- create-admin --phone +998901234567 --name "Full Name"',
  },
  logs: { title: 'Logs and monitoring' },
  errors: {
    title: 'Error tracking (optional)',
    note: 'Unset: no error-tracking code runs and nothing is sent. When set, only faults (5xx, failed jobs, errors in the browser) are reported, scrubbed first: no request bodies, query strings, cookies, tokens, names, phone numbers or clinical data (see docs/security.md).',
  },
  web: { title: 'Web app' },
  processes: { title: 'Processes' },
  notifications: {
    title: 'Notifications (optional)',
    note: 'In-app notifications always work. E-mail goes out when SMTP_URL is set and the user has an e-mail address; SMS through Eskiz.uz when ESKIZ_EMAIL and ESKIZ_PASSWORD are set and the user has a phone. Failed deliveries are retried with backoff.',
  },
  payments: {
    title: 'Payments',
    note: 'The bank account doctors transfer to, shown on the subscription page. The page shows no bank details unless BANK_RECIPIENT and BANK_ACCOUNT are both set.',
  },
  llm: {
    title: 'Language model (optional)',
    note: 'When set, a model adds a narrative and further hypotheses to each report. It receives only de-identified data (age, sex, measurements, complaints, history, medications, vitals, labs, with phone numbers and e-mail addresses removed); lab flags, derived values and red flags always come from the rules engine, and any failure of the model leaves the rules report with a note.',
  },
} as const satisfies Record<string, { title: string; note?: string }>;

/**
 * One environment variable: its zod type (which carries the default), what it means, and how the
 * generated documentation shows it.
 */
export interface ConfigVariable<S extends z.ZodType = z.ZodType> {
  schema: S;
  section: keyof typeof configSections;
  description: string;
  /** For the documentation, when the default is computed at start-up rather than fixed. */
  defaultText?: string;
  /** A value to show, commented out, in `.env.example` for a variable that is unset by default. */
  example?: string;
}

const variable = <S extends z.ZodType>(
  schema: S,
  meta: Omit<ConfigVariable<S>, 'schema'>,
): ConfigVariable<S> => ({ schema, ...meta });

/**
 * Every setting of the server and the worker, declared once: `envSchema`, the README's
 * configuration table and `.env.example` (`npm run config:docs`) are all built from this list.
 * Numbers from the specification are the defaults.
 */
export const configVariables = {
  NODE_ENV: variable(z.enum(['development', 'production', 'test']).default('development'), {
    section: 'runtime',
    description:
      '`development`, `production` or `test`. Production requires `TOKEN_SECRET` and turns on Secure cookies, HSTS and info-level logs.',
  }),
  PORT: variable(int(3000, 0, 65535), {
    section: 'runtime',
    description: 'Port the server listens on.',
  }),
  HOST: variable(z.string().default('0.0.0.0'), {
    section: 'runtime',
    description: 'Address the server binds to.',
  }),
  DATA_DIR: variable(z.string().default('.data'), {
    section: 'runtime',
    description:
      'Local state: uploaded files (`files/`), the embedded PostgreSQL and, outside production, the generated token secret.',
  }),
  DISK_LOW_MB: variable(int(512, 0, 1_048_576), {
    section: 'runtime',
    description:
      'Free space under `DATA_DIR` below which `/health/detailed` reports the disk as `low` (status `degraded`); `0` turns the warning off.',
  }),
  DATABASE_URL: variable(z.url({ protocol: /^postgres(ql)?$/ }).optional(), {
    section: 'database',
    description: '`postgres://…` connection string of the database.',
    defaultText: 'unset → embedded PostgreSQL under `DATA_DIR`',
    example: 'postgres://medora:medora@localhost:5432/medora',
  }),
  EMBEDDED_PG_PORT: variable(int(54329, 1024, 65535), {
    section: 'database',
    description: 'Port of the embedded PostgreSQL (the server and the worker share it).',
  }),
  DATABASE_POOL_MAX: variable(int(10, 1, 200), {
    section: 'database',
    description: 'Database connections per process (idle ones are kept 600 s).',
  }),
  REDIS_URL: variable(z.url({ protocol: /^rediss?$/ }).optional(), {
    section: 'cache',
    description:
      '`redis://…` for rate limits and caches. Unset: process memory, fine for one server; use Redis when running several. Losing Redis loses no data.',
    defaultText: 'unset → in-memory',
    example: 'redis://localhost:6379',
  }),
  TOKEN_SECRET: variable(
    z.string().min(32, 'TOKEN_SECRET must be at least 32 characters').optional(),
    {
      section: 'sessions',
      description:
        'HS256 key for access tokens and device cookies, 32+ random characters (e.g. `openssl rand -base64 48`); changing it signs everyone out and forgets known devices. **Required in production.**',
      defaultText: 'generated into `DATA_DIR/token-secret` outside production',
    },
  ),
  ACCESS_TOKEN_TTL_SECONDS: variable(int(900, 60, MAX_ACCESS_TOKEN_TTL_SECONDS), {
    section: 'sessions',
    description: 'Access token lifetime in seconds.',
  }),
  REFRESH_TOKEN_TTL_DAYS: variable(int(30, 1, 365), {
    section: 'sessions',
    description: 'Refresh token lifetime in days (sliding: it is rotated on every use).',
  }),
  REFRESH_REUSE_GRACE_SECONDS: variable(int(10, 0, 120), {
    section: 'sessions',
    description:
      'A refresh token rotated this recently answers `REFRESH_RACE` (a second tab) instead of revoking the session.',
  }),
  MAX_SESSIONS_PER_USER: variable(int(3, 1, 50), {
    section: 'sessions',
    description: 'Live sessions per user; signing in beyond this ends the oldest.',
  }),
  SESSION_MAX_DAYS: variable(int(90, 1, 3650), {
    section: 'sessions',
    description:
      'Absolute lifetime of a session in days: after it the doctor signs in again, however active.',
  }),
  LOGIN_MAX_FAILURES: variable(int(5, 1, 100), {
    section: 'sessions',
    description: 'Failed sign-ins per phone number within the window before a lock-out.',
  }),
  LOGIN_FAILURE_WINDOW_SECONDS: variable(int(900, 60, 86_400), {
    section: 'sessions',
    description: 'The window, in seconds, in which failed sign-ins are counted.',
  }),
  LOGIN_IP_MAX_FAILURES: variable(int(30, 1, 10_000), {
    section: 'sessions',
    description: 'Failed sign-ins per client IP within the same window.',
  }),
  DEVICE_COOKIE_TTL_DAYS: variable(int(180, 1, 3650), {
    section: 'sessions',
    description:
      'Lifetime in days of the signed device cookie: a device the user signed in from before is not locked out by failures that came from elsewhere.',
  }),
  REGISTRATION_IP_PER_HOUR: variable(int(5, 1, 1_000_000), {
    section: 'limits',
    description: 'Sign-ups per client IP per hour.',
  }),
  REGISTRATION_NETWORK_PER_HOUR: variable(int(20, 1, 1_000_000), {
    section: 'limits',
    description: 'Sign-ups per /24 IPv4 or /64 IPv6 network per hour.',
  }),
  RATE_LIMIT_IP_PER_MINUTE: variable(int(100, 1, 1_000_000), {
    section: 'limits',
    description: 'API requests per client IP per minute.',
  }),
  RATE_LIMIT_ANON_PER_HOUR: variable(int(100, 1, 1_000_000), {
    section: 'limits',
    description: 'API requests per anonymous client IP per hour.',
  }),
  RATE_LIMIT_USER_PER_HOUR: variable(int(1000, 1, 1_000_000), {
    section: 'limits',
    description: 'API requests per signed-in user per hour.',
  }),
  TRUST_PROXY: variable(bool(false), {
    section: 'transport',
    description:
      'Trust `X-Forwarded-*` (client IPs, https redirect, the scheme of the app’s own origin for the cross-site check). Only behind your own reverse proxy: clients reaching the server directly could spoof their IP.',
  }),
  TRUST_PROXY_HOPS: variable(int(1, 1, 10), {
    section: 'transport',
    description:
      'With `TRUST_PROXY`: proxies (1–10) that append to `X-Forwarded-For`. The client IP is the entry that many places from the right; anything further left is the client’s say-so.',
  }),
  COOKIE_SECURE: variable(z.enum(['true', 'false', 'auto']).default('auto'), {
    section: 'transport',
    description:
      'Secure flag of the refresh and device cookies; `auto` = on in production. When on, they are named `__Host-medora_rt` / `__Host-medora_dev` with Path=/ (the `__Host-` prefix needs Secure); when off, `medora_rt` / `medora_dev` with Path=/trpc.',
  }),
  ALLOWED_ORIGINS: variable(z.string().optional(), {
    section: 'transport',
    description:
      'Comma-separated origins besides the app’s own that may call the API from a browser: their CORS preflights are answered (GET/POST, with credentials) and their state-changing requests accepted. Unset: same-origin only — no response carries CORS headers and cross-site writes are refused.',
    example: 'https://admin.example.uz',
  }),
  ADMIN_PHONE: variable(optionalString, {
    section: 'admin',
    description:
      'With `ADMIN_PASSWORD`: create an administrator at start-up when none exists (ignored afterwards).',
  }),
  ADMIN_PASSWORD: variable(optionalString, {
    section: 'admin',
    description: 'Password of that first administrator; set together with `ADMIN_PHONE`.',
  }),
  ADMIN_TOTP_SECRET: variable(
    optionalString.pipe(
      z
        .string()
        .transform((v) => v.replace(/[\s=]/g, '').toUpperCase())
        // RFC 4226: a shared secret of at least 128 bits (26 base32 characters).
        .refine((v) => /^[A-Z2-7]{26,}$/.test(v), {
          message: 'ADMIN_TOTP_SECRET must be base32 (A-Z, 2-7) of at least 26 characters',
        })
        .optional(),
    ),
    {
      section: 'admin',
      description:
        'Base32 TOTP secret for that first administrator: created already enrolled, so an automated deployment needs no enrolment step. Without it the administrator enrols an authenticator at first sign-in.',
      example: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP',
    },
  ),
  ADMIN_NAME: variable(z.string().default('Administrator'), {
    section: 'admin',
    description: 'Name of that first administrator.',
  }),
  LOG_LEVEL: variable(
    z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).optional(),
    {
      section: 'logs',
      description: 'pino level: `fatal`, `error`, `warn`, `info`, `debug`, `trace` or `silent`.',
      defaultText: '`debug` (`info` in production, `silent` in tests)',
    },
  ),
  LOG_FORMAT: variable(z.enum(['auto', 'json', 'pretty']).default('auto'), {
    section: 'logs',
    description:
      '`auto` = short pretty lines on an interactive terminal outside production, JSON otherwise; or `json`, `pretty`.',
  }),
  LOG_DIR: variable(z.string().optional(), {
    section: 'logs',
    description:
      'Also write logs to `<service>.log` and `<service>.error.log` here, rotated at 10 MB keeping 5 files.',
  }),
  SLOW_REQUEST_MS: variable(int(1000, 1, 600_000), {
    section: 'logs',
    description: 'Requests slower than this (milliseconds) are logged at warn.',
  }),
  METRICS_TOKEN: variable(optionalString, {
    section: 'logs',
    description:
      'Bearer token `GET /metrics` requires. Unset: open outside production, 404 in production.',
  }),
  SENTRY_DSN: variable(z.url({ protocol: /^https?$/ }).optional(), {
    section: 'errors',
    description:
      'Sentry DSN the server and the worker report faults to (a Sentry-compatible service, e.g. self-hosted Sentry or GlitchTip).',
    defaultText: 'unset → not reported',
    example: 'https://public@sentry.example.uz/2',
  }),
  SENTRY_WEB_DSN: variable(z.url({ protocol: /^https?$/ }).optional(), {
    section: 'errors',
    description:
      'DSN the web app reports browser errors to; public (every browser reads it from `/api/client-config`), so it may be a project of its own. Its origin is added to the CSP `connect-src`.',
    defaultText: 'unset → the browser reports nothing',
    example: 'https://public@sentry.example.uz/3',
  }),
  SENTRY_ENVIRONMENT: variable(optionalString, {
    section: 'errors',
    description: 'Environment name on every report (e.g. `staging`).',
    defaultText: '`NODE_ENV`',
  }),
  SENTRY_SAMPLE_RATE: variable(z.coerce.number().min(0).max(1).default(1), {
    section: 'errors',
    description: 'Share of errors reported, 0–1.',
  }),
  WEB_DIST_DIR: variable(z.string().optional(), {
    section: 'web',
    description: 'The built web app the server serves (`npm start` sets it).',
    defaultText: '`apps/web/dist` when built',
  }),
  SHUTDOWN_TIMEOUT_MS: variable(int(10_000, 100, 120_000), {
    section: 'processes',
    description: 'How long a stopping server waits for in-flight requests (milliseconds).',
  }),
  WORKER_CONCURRENCY: variable(int(4, 1, 64), {
    section: 'processes',
    description: 'Jobs one worker process runs at the same time.',
  }),
  WORKER_METRICS_PORT: variable(z.coerce.number().int().min(1).max(65535).optional(), {
    section: 'processes',
    description:
      "Port the worker serves its Prometheus metrics on (`GET /metrics`: job runs and durations), guarded like the server's by `METRICS_TOKEN`; without a token only on 127.0.0.1.",
    defaultText: 'unset → not served',
    example: '9464',
  }),
  SMTP_URL: variable(z.url({ protocol: /^smtps?$/ }).optional(), {
    section: 'notifications',
    description:
      '`smtp://user:password@host:587` (STARTTLS when offered) or `smtps://…:465` for e-mail notifications (secret; never logged). Requires `SMTP_FROM`.',
    defaultText: 'unset → no e-mail',
    example: 'smtp://medora:secret@smtp.example.uz:587',
  }),
  SMTP_FROM: variable(optionalString, {
    section: 'notifications',
    description: 'Sender of notification e-mails, e.g. `MedoraAI <noreply@example.uz>`.',
    example: 'MedoraAI <noreply@example.uz>',
  }),
  ESKIZ_EMAIL: variable(optionalString, {
    section: 'notifications',
    description:
      'Eskiz.uz account e-mail for SMS notifications; set together with `ESKIZ_PASSWORD`.',
  }),
  ESKIZ_PASSWORD: variable(optionalString, {
    section: 'notifications',
    description: 'Eskiz.uz account password or API key (secret; never logged).',
  }),
  ESKIZ_FROM: variable(z.string().trim().min(1).default('4546'), {
    section: 'notifications',
    description: 'SMS sender name registered with Eskiz.uz (`4546` is Eskiz’s default sender).',
  }),
  ESKIZ_BASE_URL: variable(z.url({ protocol: /^https?$/ }).default('https://notify.eskiz.uz/api'), {
    section: 'notifications',
    description: 'Base URL of the Eskiz.uz API.',
  }),
  BANK_RECIPIENT: variable(optionalString, {
    section: 'payments',
    description: 'Name of the recipient of bank transfers (the company).',
    example: 'MedoraAI MChJ',
  }),
  BANK_NAME: variable(optionalString, {
    section: 'payments',
    description: 'Name of the recipient’s bank.',
  }),
  BANK_ACCOUNT: variable(optionalString, {
    section: 'payments',
    description: 'The recipient’s account number (hisob raqami).',
    example: '20208000900123456001',
  }),
  BANK_MFO: variable(optionalString, {
    section: 'payments',
    description: 'The bank’s MFO code.',
  }),
  BANK_TIN: variable(optionalString, {
    section: 'payments',
    description: 'The recipient’s tax number (STIR/INN).',
  }),
  LLM_PROVIDER: variable(z.enum(llmProviders).optional(), {
    section: 'llm',
    description:
      '`openai-compatible` (any chat-completions API) or `anthropic`. Requires `LLM_MODEL` and `LLM_API_KEY`.',
    defaultText: 'unset → rules engine only',
    example: 'openai-compatible',
  }),
  LLM_BASE_URL: variable(z.url({ protocol: /^https?$/ }).optional(), {
    section: 'llm',
    description:
      'Base URL of the provider’s API; unset: `https://api.openai.com/v1` (`openai-compatible`) or `https://api.anthropic.com` (`anthropic`).',
    defaultText: 'the provider’s public API',
    example: 'https://api.openai.com/v1',
  }),
  LLM_API_KEY: variable(optionalString, {
    section: 'llm',
    description: 'API key of the provider (secret; never logged). Required with `LLM_PROVIDER`.',
  }),
  LLM_MODEL: variable(optionalString, {
    section: 'llm',
    description: 'Model name as the provider spells it. Required with `LLM_PROVIDER`.',
    example: 'gpt-4o-mini',
  }),
  LLM_TIMEOUT_MS: variable(int(15_000, 1000, 120_000), {
    section: 'llm',
    description:
      'How long one enrichment may take (milliseconds, 1000–120000); past it the report goes out without it.',
  }),
};

type EnvShape = { [K in keyof typeof configVariables]: (typeof configVariables)[K]['schema'] };

/** The environment as `loadConfig` reads it, built from `configVariables`. */
export const envSchema = z.object(
  Object.fromEntries(
    Object.entries(configVariables).map(([name, v]) => [name, v.schema]),
  ) as EnvShape,
);
export type Env = z.infer<typeof envSchema>;

export interface AppConfig {
  env: Env['NODE_ENV'];
  isProduction: boolean;
  port: number;
  host: string;
  dataDir: string;
  /** Free bytes under dataDir below which the disk counts as low. */
  diskLowBytes: number;
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
  admin: { phone: string; password: string; name: string; totpSecret?: string } | undefined;
  logLevel: NonNullable<Env['LOG_LEVEL']>;
  logDir: string | undefined;
  webDistDir: string | undefined;
  shutdownTimeoutMs: number;
  slowRequestMs: number;
  workerConcurrency: number;
  workerMetricsPort?: number;
  metricsToken?: string;
  /** The optional language model that enriches reports; null when LLM_PROVIDER is unset. */
  llm: LlmConfig | null;
  /** Outbound notification channels; each null when it is not configured. */
  notifications: NotificationsConfig;
  /** Where doctors transfer money; null unless BANK_RECIPIENT and BANK_ACCOUNT are set. */
  bankDetails: BankDetails | null;
  errorReporting: ErrorReportingConfig;
  version: string;
}

/** SENTRY_*: where faults are reported, each DSN null when unset. */
export interface ErrorReportingConfig {
  /** The server's and the worker's DSN. */
  dsn: string | null;
  /** The browser's DSN: public, handed to every page by /api/client-config. */
  webDsn: string | null;
  environment: string;
  sampleRate: number;
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
  if (e.ADMIN_TOTP_SECRET !== undefined && e.ADMIN_PHONE === undefined) {
    throw new ConfigError(
      'Invalid configuration:\n  ADMIN_TOTP_SECRET needs ADMIN_PHONE and ADMIN_PASSWORD',
    );
  }
  if (isProduction && !e.TOKEN_SECRET) {
    throw new ConfigError(
      'Invalid configuration:\n  TOKEN_SECRET is required in production (32+ random characters)',
    );
  }
  const llm = llmConfig(e);
  const notifications = notificationsConfig(e);
  return {
    env: e.NODE_ENV,
    isProduction,
    port: e.PORT,
    host: e.HOST,
    dataDir,
    diskLowBytes: e.DISK_LOW_MB * 1024 * 1024,
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
        ? {
            phone: e.ADMIN_PHONE,
            password: e.ADMIN_PASSWORD,
            name: e.ADMIN_NAME,
            ...(e.ADMIN_TOTP_SECRET && { totpSecret: e.ADMIN_TOTP_SECRET }),
          }
        : undefined,
    logLevel: e.LOG_LEVEL ?? (isProduction ? 'info' : e.NODE_ENV === 'test' ? 'silent' : 'debug'),
    logDir: e.LOG_DIR,
    webDistDir: e.WEB_DIST_DIR,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    slowRequestMs: e.SLOW_REQUEST_MS,
    workerConcurrency: e.WORKER_CONCURRENCY,
    workerMetricsPort: e.WORKER_METRICS_PORT,
    metricsToken: e.METRICS_TOKEN,
    llm,
    notifications,
    bankDetails:
      e.BANK_RECIPIENT && e.BANK_ACCOUNT
        ? {
            recipient: e.BANK_RECIPIENT,
            bank: e.BANK_NAME ?? null,
            account: e.BANK_ACCOUNT,
            mfo: e.BANK_MFO ?? null,
            tin: e.BANK_TIN ?? null,
          }
        : null,
    errorReporting: {
      dsn: e.SENTRY_DSN ?? null,
      webDsn: e.SENTRY_WEB_DSN ?? null,
      environment: e.SENTRY_ENVIRONMENT ?? e.NODE_ENV,
      sampleRate: e.SENTRY_SAMPLE_RATE,
    },
    version: opts.version ?? process.env.npm_package_version ?? '0.1.0',
  };
}

/** LLM_* as AppConfig['llm']: null when no provider is set, ConfigError when one is incomplete. */
function llmConfig(e: Env): LlmConfig | null {
  if (!e.LLM_PROVIDER) return null;
  const missing = (['LLM_MODEL', 'LLM_API_KEY'] as const).filter((name) => !e[name]);
  if (missing.length > 0) {
    throw new ConfigError(
      `Invalid configuration:\n${missing.map((name) => `  ${name} is required when LLM_PROVIDER is set`).join('\n')}`,
    );
  }
  const llm = {
    provider: e.LLM_PROVIDER,
    baseUrl: (e.LLM_BASE_URL ?? llmDefaultBaseUrls[e.LLM_PROVIDER]).replace(/\/+$/, ''),
    model: e.LLM_MODEL!,
    timeoutMs: e.LLM_TIMEOUT_MS,
  } as LlmConfig;
  // Not enumerable: a configuration logged, serialized or printed whole never shows the key
  // (pino, JSON.stringify and util.inspect all skip it). A copy must name it: { ...llm, apiKey }.
  Object.defineProperty(llm, 'apiKey', { value: e.LLM_API_KEY!, enumerable: false });
  return llm;
}

/**
 * SMTP_* and ESKIZ_* as AppConfig['notifications']. The SMTP URL (it may hold a password) and the
 * Eskiz password are non-enumerable, like the LLM key: a logged or serialized config omits them.
 */
function notificationsConfig(e: Env): NotificationsConfig {
  const problems: string[] = [];
  if (e.SMTP_URL && !e.SMTP_FROM) problems.push('  SMTP_FROM is required when SMTP_URL is set');
  if ((e.ESKIZ_EMAIL === undefined) !== (e.ESKIZ_PASSWORD === undefined))
    problems.push('  ESKIZ_EMAIL and ESKIZ_PASSWORD must be set together');
  if (problems.length) throw new ConfigError(`Invalid configuration:\n${problems.join('\n')}`);
  let smtp: SmtpConfig | null = null;
  if (e.SMTP_URL) {
    smtp = { from: e.SMTP_FROM! } as SmtpConfig;
    Object.defineProperty(smtp, 'url', { value: e.SMTP_URL, enumerable: false });
  }
  let eskiz: EskizConfig | null = null;
  if (e.ESKIZ_EMAIL && e.ESKIZ_PASSWORD) {
    eskiz = {
      baseUrl: e.ESKIZ_BASE_URL.replace(/\/+$/, ''),
      email: e.ESKIZ_EMAIL,
      from: e.ESKIZ_FROM,
    } as EskizConfig;
    Object.defineProperty(eskiz, 'password', { value: e.ESKIZ_PASSWORD, enumerable: false });
  }
  return { smtp, eskiz };
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
  let tooShort = false;
  try {
    const existing = readFileSync(file, 'utf8').trim();
    if (existing.length >= 32) return existing;
    tooShort = true;
  } catch {
    // first start
  }
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(48).toString('base64url');
  try {
    // 'wx': when the server and the worker start together, the first writer wins. A secret too
    // short to trust is replaced outright.
    writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: tooShort ? 'w' : 'wx' });
    return secret;
  } catch {
    return readFileSync(file, 'utf8').trim();
  }
}
