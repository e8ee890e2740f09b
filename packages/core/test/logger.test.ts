import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
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
