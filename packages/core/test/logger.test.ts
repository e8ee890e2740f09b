import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../src/logger';

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
