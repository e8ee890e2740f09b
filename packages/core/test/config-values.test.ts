import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConfigError, loadConfig, loadConfigOrExit } from '../src/config';

const tmp = () => mkdtempSync(path.join(tmpdir(), 'medora-cfg-'));
const load = (env: Record<string, string> = {}, opts?: { version?: string }) =>
  loadConfig({ DATA_DIR: tmp(), ...env }, opts);

afterEach(() => vi.restoreAllMocks());

describe('configuration values', () => {
  it.each([
    ['true', true],
    ['1', true],
    ['yes', true],
    ['false', false],
    ['0', false],
    ['no', false],
  ])('reads the switch %j as %s', (raw, value) => {
    expect(load({ TRUST_PROXY: raw }).trustProxy).toBe(value);
  });

  it('refuses a switch that is not one of the known words', () => {
    expect(() => load({ TRUST_PROXY: 'on' })).toThrow(ConfigError);
  });

  it('treats an empty value as unset, as .env files and compose write it', () => {
    const c = load({ PORT: '', LOG_LEVEL: '', TRUST_PROXY: '' });
    expect(c.port).toBe(3000);
    expect(c.trustProxy).toBe(false);
  });

  it('sets the Secure cookie flag as told, or by environment on auto', () => {
    expect(load({ COOKIE_SECURE: 'true' }).cookieSecure).toBe(true);
    expect(load({ COOKIE_SECURE: 'false' }).cookieSecure).toBe(false);
    expect(load({ COOKIE_SECURE: 'auto' }).cookieSecure).toBe(false);
    const prod = { NODE_ENV: 'production', TOKEN_SECRET: 's'.repeat(40) };
    expect(load({ ...prod, COOKIE_SECURE: 'false' }).cookieSecure).toBe(false);
  });

  it('has a first administrator only when phone and password are both set', () => {
    expect(load().admin).toBeUndefined();
    expect(
      load({ ADMIN_PHONE: '+998901234567', ADMIN_PASSWORD: 'Boshqaruv-2026', ADMIN_NAME: 'Bosh' })
        .admin,
    ).toEqual({ phone: '+998901234567', password: 'Boshqaruv-2026', name: 'Bosh' });
  });

  it('logs at debug in development, silent in tests, info in production, unless told', () => {
    expect(load({ NODE_ENV: 'development' }).logLevel).toBe('debug');
    expect(load({ NODE_ENV: 'test' }).logLevel).toBe('silent');
    expect(load({ NODE_ENV: 'production', TOKEN_SECRET: 's'.repeat(40) }).logLevel).toBe('info');
    expect(load({ NODE_ENV: 'test', LOG_LEVEL: 'warn' }).logLevel).toBe('warn');
  });

  it('carries the version it is given', () => {
    expect(load({}, { version: '9.9.9' }).version).toBe('9.9.9');
  });

  it('reuses a token secret file of 32 characters or more', () => {
    const dir = tmp();
    writeFileSync(path.join(dir, 'token-secret'), `${'k'.repeat(32)}\n`);
    expect(new TextDecoder().decode(loadConfig({ DATA_DIR: dir }).tokenSecret)).toBe(
      'k'.repeat(32),
    );
  });

  it('lists each bad variable on its own line, as ConfigError', () => {
    const err = (() => {
      try {
        load({ PORT: 'eighty', WORKER_CONCURRENCY: '0' });
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).name).toBe('ConfigError');
    const lines = (err as Error).message.split('\n');
    expect(lines[0]).toBe('Invalid configuration:');
    expect(lines.filter((l) => /^ {2}(PORT|WORKER_CONCURRENCY): /.test(l))).toHaveLength(2);
  });
});

describe('loadConfigOrExit', () => {
  it('prints the message, no stack, and exits 1 on a bad configuration', () => {
    const exit = vi.spyOn(process, 'exit').mockImplementation((() => undefined) as never);
    const printed = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    // With exit stubbed the call goes on and rethrows; a real exit never gets there.
    expect(() => loadConfigOrExit({ DATA_DIR: tmp(), PORT: 'eighty' })).toThrow(ConfigError);
    expect(exit).toHaveBeenCalledWith(1);
    expect(printed).toHaveBeenCalledTimes(1);
    const text = String(printed.mock.calls[0]?.[0]);
    expect(text).toMatch(/^Invalid configuration:\n {2}PORT: /);
    expect(text).not.toMatch(/\n\s+at /);
  });

  it('returns the configuration when it is good', () => {
    const exit = vi.spyOn(process, 'exit').mockImplementation((() => undefined) as never);
    expect(loadConfigOrExit({ DATA_DIR: tmp(), PORT: '8080' }).port).toBe(8080);
    expect(exit).not.toHaveBeenCalled();
  });
});
