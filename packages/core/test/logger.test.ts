import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, resolveLogFormat } from '../src/logger';

describe('createLogger', () => {
  it('writes general and error files under LOG_DIR and redacts secrets', async () => {
    const logDir = mkdtempSync(path.join(tmpdir(), 'medora-logs-'));
    const logger = createLogger(
      { logLevel: 'info', isProduction: true, version: 't', logDir },
      'server',
    );
    logger.info({ password: 'hunter2-secret', user: { refreshToken: 'rt-secret' } }, 'hello');
    logger.error('broken');
    await new Promise<void>((resolve) => {
      logger.flush(() => resolve());
    });
    // The transport writes from a worker thread: wait until both files have their lines.
    const read = (match: (f: string) => boolean) => {
      const f = readdirSync(logDir).find(match);
      return f ? readFileSync(path.join(logDir, f), 'utf8') : '';
    };
    const isErrors = (f: string) => f.includes('error');
    const isGeneral = (f: string) => f.startsWith('server.') && !isErrors(f);
    for (
      let i = 0;
      i < 100 && !(read(isGeneral).includes('broken') && read(isErrors).includes('broken'));
      i++
    ) {
      await new Promise((r) => setTimeout(r, 50));
    }
    const generalText = read(isGeneral);
    const errorText = read(isErrors);
    expect(generalText).toContain('hello');
    expect(generalText).toContain('broken');
    expect(generalText).not.toContain('hunter2-secret');
    expect(generalText).not.toContain('rt-secret');
    expect(errorText).toContain('broken');
    expect(errorText).not.toContain('hello');
  });
});

describe('log format', () => {
  it('auto is pretty only on an interactive terminal outside production', () => {
    const dev = { logFormat: 'auto', isProduction: false } as const;
    expect(resolveLogFormat(dev, true)).toBe('pretty');
    expect(resolveLogFormat(dev, false)).toBe('json');
    expect(resolveLogFormat({ ...dev, isProduction: true }, true)).toBe('json');
    expect(resolveLogFormat({ logFormat: 'json', isProduction: false }, true)).toBe('json');
    expect(resolveLogFormat({ logFormat: 'pretty', isProduction: true }, false)).toBe('pretty');
  });

  it('pretty output is short readable lines, still redacted', () => {
    // A separate process: the pretty stream writes straight to its stdout.
    const script = `
      import { createLogger } from './packages/core/src/logger.ts';
      const logger = createLogger({ logLevel: 'info', isProduction: false, version: 't', logFormat: 'pretty' }, 'server');
      logger.debug('hidden at info');
      logger.info({ password: 'hunter2-secret' }, 'MedoraAI server listening');
    `;
    const out = execFileSync(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', script],
      {
        cwd: path.resolve(import.meta.dirname, '../../..'),
        env: { PATH: process.env.PATH ?? '', NO_COLOR: '1' },
        encoding: 'utf8',
      },
    );
    const lines = out.trim().split('\n');
    expect(lines[0]).toMatch(/^\[\d\d:\d\d:\d\d\] INFO \(server\): MedoraAI server listening$/);
    expect(out).not.toContain('{"level"');
    expect(out).not.toContain('hidden at info');
    expect(out).not.toContain('hunter2-secret');
  });
});

/** A stdout stand-in that keeps what the logger wrote. */
function capture() {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _enc, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  return { stream, text: () => chunks.join(''), lines: () => chunks.join('').trim().split('\n') };
}

describe('stdout lines', () => {
  const base = {
    logLevel: 'info',
    isProduction: true,
    version: '1.2.3',
    logDir: undefined,
  } as const;

  it('JSON carries name, service, version, an ISO time and the level, and nothing below it', () => {
    const out = capture();
    const logger = createLogger(base, 'worker', out.stream);
    logger.debug('not at info');
    logger.info({ jobs: 2 }, 'started');
    const [line, ...rest] = out.lines();
    expect(rest).toEqual([]);
    const entry = JSON.parse(line!) as Record<string, unknown>;
    expect(entry).toMatchObject({
      level: 30,
      name: 'worker',
      service: 'worker',
      version: '1.2.3',
      jobs: 2,
      msg: 'started',
    });
    expect(new Date(entry.time as string).toISOString()).toBe(entry.time);
  });

  it('redacts passwords, tokens, the authorization header and cookies wherever a call site puts them', () => {
    const out = capture();
    const logger = createLogger(base, 'server', out.stream);
    logger.info(
      {
        password: 'p-top',
        input: { password: 'p-nested', currentPassword: 'p-current', newPassword: 'p-new' },
        session: { accessToken: 'at-1', refreshToken: 'rt-1', token: 'tk-1' },
        req: { headers: { authorization: 'Bearer at-2', cookie: 'medora_rt=rt-2', host: 'x' } },
        res: { headers: { 'set-cookie': 'medora_rt=rt-3' } },
      },
      'request',
    );
    const text = out.text();
    for (const secret of [
      'p-top',
      'p-nested',
      'p-current',
      'p-new',
      'at-1',
      'rt-1',
      'tk-1',
      'at-2',
      'rt-2',
      'rt-3',
    ])
      expect(text).not.toContain(secret);
    const entry = JSON.parse(text) as {
      password: string;
      input: Record<string, string>;
      req: { headers: Record<string, string> };
      res: { headers: Record<string, string> };
    };
    expect(entry.password).toBe('[redacted]');
    expect(entry.input.newPassword).toBe('[redacted]');
    expect(entry.req.headers).toEqual({
      authorization: '[redacted]',
      cookie: '[redacted]',
      host: 'x',
    });
    expect(entry.res.headers['set-cookie']).toBe('[redacted]');
  });

  it('pretty lines are time, level, process name and message, without pid, host, service or version', () => {
    const out = capture();
    const logger = createLogger(
      { ...base, isProduction: false, logFormat: 'pretty' },
      'server',
      out.stream,
    );
    logger.info({ password: 'hunter2-secret' }, 'listening');
    // NO_COLOR is not set here: strip the terminal colour codes.
    // eslint-disable-next-line no-control-regex
    const text = out.text().replace(/\x1b\[[0-9;]*m/g, '');
    expect(text.split('\n')[0]).toMatch(/^\[\d\d:\d\d:\d\d\] INFO \(server\): listening$/);
    expect(text).not.toMatch(/pid|hostname|service|version|1\.2\.3/);
    expect(text).not.toContain('hunter2-secret');
  });

  it('a silent logger writes no files even with LOG_DIR', async () => {
    const logDir = path.join(mkdtempSync(path.join(tmpdir(), 'medora-logs-')), 'nested');
    const out = capture();
    const logger = createLogger({ ...base, logLevel: 'silent', logDir }, 'server', out.stream);
    logger.error('nobody hears this');
    await new Promise((r) => setTimeout(r, 200));
    expect(existsSync(logDir)).toBe(false);
    expect(out.text()).toBe('');
  });

  it('creates a LOG_DIR that does not exist yet', async () => {
    const logDir = path.join(mkdtempSync(path.join(tmpdir(), 'medora-logs-')), 'a', 'b');
    const logger = createLogger({ ...base, logDir }, 'worker');
    logger.warn('made the folder');
    await new Promise<void>((resolve) => logger.flush(() => resolve()));
    for (let i = 0; i < 100 && !(existsSync(logDir) && readdirSync(logDir).length >= 2); i++)
      await new Promise((r) => setTimeout(r, 50));
    const files = readdirSync(logDir);
    expect(files.some((f) => f.startsWith('worker.') && !f.includes('error'))).toBe(true);
    expect(files.some((f) => f.startsWith('worker.error'))).toBe(true);
  });
});

describe('resolveLogFormat without an explicit terminal flag', () => {
  it('reads whether stdout is a terminal', () => {
    const was = process.stdout.isTTY;
    try {
      process.stdout.isTTY = true;
      expect(resolveLogFormat({ isProduction: false })).toBe('pretty');
      process.stdout.isTTY = false;
      expect(resolveLogFormat({ isProduction: false })).toBe('json');
    } finally {
      process.stdout.isTTY = was;
    }
  });
});
