import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config';

const tmp = () => mkdtempSync(path.join(tmpdir(), 'medora-config-'));

describe('loadConfig', () => {
  it("uses the specification's numbers as defaults", () => {
    const c = loadConfig({ DATA_DIR: tmp() });
    expect(c.port).toBe(3000);
    expect(c.maxSessionsPerUser).toBe(3);
    expect(c.login).toEqual({ maxFailures: 5, windowSeconds: 900, ipMaxFailures: 30 });
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
});
