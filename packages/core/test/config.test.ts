import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, configVariables, envSchema, loadConfig } from '../src/config';
import { renderEnvExample, withConfigTable } from '../src/config-docs';

const tmp = () => mkdtempSync(path.join(tmpdir(), 'medora-config-'));
const repoFile = (name: string) =>
  readFileSync(new URL(`../../../${name}`, import.meta.url), 'utf8');

describe('loadConfig', () => {
  it("uses the specification's numbers as defaults", () => {
    const c = loadConfig({ DATA_DIR: tmp() });
    expect(c.port).toBe(3000);
    expect(c.maxSessionsPerUser).toBe(3);
    expect(c.login).toEqual({
      maxFailures: 5,
      windowSeconds: 900,
      ipMaxFailures: 30,
      deviceCookieTtlDays: 180,
    });
    expect(c.registration).toEqual({ ipPerHour: 5, networkPerHour: 20 });
    expect(c.allowedOrigins).toEqual([]);
    expect(c.logFormat).toBe('auto');
    expect(c.rateLimit).toEqual({ ipPerMinute: 100, anonPerHour: 100, userPerHour: 1000 });
    expect(c.shutdownTimeoutMs).toBe(10_000);
    expect(c.slowRequestMs).toBe(1000);
    expect(c.trustProxy).toBe(false);
    expect(c.cookieSecure).toBe(false);
  });

  it('generates a token secret once outside production and keeps it private under DATA_DIR', () => {
    const dir = tmp();
    const a = loadConfig({ DATA_DIR: dir });
    const b = loadConfig({ DATA_DIR: dir });
    expect(Buffer.from(a.tokenSecret).equals(Buffer.from(b.tokenSecret))).toBe(true);
    expect(
      readFileSync(path.join(dir, 'token-secret'), 'utf8').trim().length,
    ).toBeGreaterThanOrEqual(32);
    expect(statSync(path.join(dir, 'token-secret')).mode & 0o077).toBe(0);
  });

  it('replaces a token secret file too short to trust', () => {
    const dir = tmp();
    writeFileSync(path.join(dir, 'token-secret'), 'short\n');
    const c = loadConfig({ DATA_DIR: dir });
    expect(c.tokenSecret.length).toBeGreaterThanOrEqual(32);
    expect(
      readFileSync(path.join(dir, 'token-secret'), 'utf8').trim().length,
    ).toBeGreaterThanOrEqual(32);
  });

  it('requires a token secret in production and uses secure cookies there', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', DATA_DIR: tmp() })).toThrow(
      /TOKEN_SECRET is required/,
    );
    const c = loadConfig({ NODE_ENV: 'production', TOKEN_SECRET: 's'.repeat(40), DATA_DIR: tmp() });
    expect(c.cookieSecure).toBe(true);
  });

  it('names every bad variable', () => {
    try {
      loadConfig({
        PORT: 'eighty',
        DATABASE_URL: 'mysql://x',
        MAX_SESSIONS_PER_USER: '0',
        TOKEN_SECRET: 'short',
        DATA_DIR: tmp(),
      });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      const msg = (e as Error).message;
      for (const name of ['PORT', 'DATABASE_URL', 'MAX_SESSIONS_PER_USER', 'TOKEN_SECRET'])
        expect(msg).toContain(name);
    }
  });

  it('needs ADMIN_PHONE and ADMIN_PASSWORD together', () => {
    expect(() => loadConfig({ ADMIN_PHONE: '+998901234567', DATA_DIR: tmp() })).toThrow(/together/);
    expect(
      loadConfig({
        ADMIN_PHONE: '+998901234567',
        ADMIN_PASSWORD: 'Admin-parol-2026',
        DATA_DIR: tmp(),
      }).admin?.phone,
    ).toBe('+998901234567');
  });

  it('reads error tracking: off by default, DSNs checked, the environment from NODE_ENV', () => {
    expect(loadConfig({ DATA_DIR: tmp() }).errorReporting).toEqual({
      dsn: null,
      webDsn: null,
      environment: 'development',
      sampleRate: 1,
    });
    const c = loadConfig({
      DATA_DIR: tmp(),
      NODE_ENV: 'test',
      SENTRY_DSN: 'https://public@sentry.example.uz/2',
      SENTRY_WEB_DSN: 'https://web@sentry.example.uz/3',
      SENTRY_SAMPLE_RATE: '0.25',
    });
    expect(c.errorReporting).toEqual({
      dsn: 'https://public@sentry.example.uz/2',
      webDsn: 'https://web@sentry.example.uz/3',
      environment: 'test',
      sampleRate: 0.25,
    });
    expect(
      loadConfig({ DATA_DIR: tmp(), SENTRY_ENVIRONMENT: 'staging' }).errorReporting,
    ).toMatchObject({ environment: 'staging' });
    expect(() => loadConfig({ DATA_DIR: tmp(), SENTRY_DSN: 'not a url' })).toThrow(/SENTRY_DSN/);
    expect(() => loadConfig({ DATA_DIR: tmp(), SENTRY_SAMPLE_RATE: '1.5' })).toThrow(
      /SENTRY_SAMPLE_RATE/,
    );
  });

  it('reads the allowed origins as a comma-separated list and checks the log format', () => {
    const c = loadConfig({
      ALLOWED_ORIGINS: ' https://a.example.uz, ,https://b.example.uz ',
      LOG_FORMAT: 'json',
      DATA_DIR: tmp(),
    });
    expect(c.allowedOrigins).toEqual(['https://a.example.uz', 'https://b.example.uz']);
    expect(c.logFormat).toBe('json');
    expect(() => loadConfig({ LOG_FORMAT: 'xml', DATA_DIR: tmp() })).toThrow(/LOG_FORMAT/);
    expect(() => loadConfig({ REGISTRATION_IP_PER_HOUR: '0', DATA_DIR: tmp() })).toThrow(
      /REGISTRATION_IP_PER_HOUR/,
    );
  });
});

describe('configuration declarations', () => {
  it('build envSchema, each with a description', () => {
    expect(Object.keys(envSchema.shape)).toEqual(Object.keys(configVariables));
    for (const [name, v] of Object.entries(configVariables)) {
      expect(envSchema.shape[name as keyof typeof configVariables]).toBe(v.schema);
      expect(v.description.length, name).toBeGreaterThan(10);
    }
  });

  it('are what the README table and .env.example say (npm run config:docs regenerates both)', () => {
    const readme = repoFile('README.md');
    expect(readme, 'README.md is out of date: run npm run config:docs').toBe(
      withConfigTable(readme),
    );
    expect(repoFile('.env.example'), '.env.example is out of date: run npm run config:docs').toBe(
      renderEnvExample(),
    );
    for (const name of Object.keys(configVariables)) expect(readme).toContain(`| \`${name}\``);
  });

  it('give .env.example values that load to exactly the defaults', () => {
    const dataDir = tmp();
    const fromExample = Object.fromEntries(
      repoFile('.env.example')
        .split('\n')
        .map((line) => /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(line))
        .filter((m) => m !== null)
        .map((m) => [m[1]!, m[2]!]),
    );
    expect(Object.keys(fromExample).length).toBeGreaterThan(20);
    expect(loadConfig({ ...fromExample, DATA_DIR: dataDir })).toEqual(
      loadConfig({ DATA_DIR: dataDir }),
    );
  });
});
