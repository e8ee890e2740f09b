import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { createServices, loadConfig, type Services } from '@medora/core';
import type { TestDatabase } from '@medora/core/testing';
import type { JobHelpers } from 'graphile-worker';
import pino from 'pino';

/** A logger whose messages a test can read (and MEDORA_TEST_LOG_LEVEL does not hide). */
export function capturingLogger(): { logger: pino.Logger; messages: string[] } {
  const messages: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean))
        messages.push((JSON.parse(line) as { msg: string }).msg);
      done();
    },
  });
  return { logger: pino({ level: 'info' }, sink), messages };
}

/** The worker's services on a test database: memory cache, no files, nothing from the shell. */
export function testServices(
  database: TestDatabase,
  logger: pino.Logger = pino({ level: process.env.MEDORA_TEST_LOG_LEVEL ?? 'silent' }),
  env: Record<string, string> = {},
): Services {
  const config = loadConfig(
    {
      NODE_ENV: 'test',
      TOKEN_SECRET: randomBytes(36).toString('base64url'),
      WORKER_CONCURRENCY: '2',
      ...env,
    },
    { version: '1.2.3' },
  );
  return createServices({ config, db: database.db, logger });
}

/** What Graphile Worker hands a task; the tasks only read the job's id. */
export const helpersFor = (id = '1') => ({ job: { id } }) as unknown as JobHelpers;
