/**
 * Builds the web app and starts the server with a fresh database for the browser tests, then
 * hands its address to the tests (inject('baseUrl')). Set BROWSER_BASE_URL to test an app that is
 * already running instead (nothing is built or started then); BROWSER_SKIP_BUILD=1 reuses
 * apps/web/dist as it is.
 */
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { createServices, loadConfig, openDatabase } from '@medora/core';
import { startWorker } from '@medora/worker';
import pino from 'pino';
import { startTestServer, testEnv } from '../../apps/server/test/start-test-server';

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
    /** The server's database, for factories (e.g. an administrator); '' when not known. */
    databaseUrl: string;
  }
}

const repoRoot = path.resolve(import.meta.dirname, '../..');

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | void> {
  const given = process.env.BROWSER_BASE_URL;
  if (given) {
    project.provide('baseUrl', given.replace(/\/$/, ''));
    project.provide('databaseUrl', process.env.DATABASE_URL ?? '');
    return;
  }

  if (process.env.BROWSER_SKIP_BUILD !== '1') {
    const { build } = await import('vite');
    // The production build, as users get it (service worker included): vitest sets NODE_ENV to
    // 'test', which would make Vite build for development.
    const nodeEnv = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    try {
      await build({ root: path.join(repoRoot, 'apps/web'), logLevel: 'warn', mode: 'production' });
    } finally {
      process.env.NODE_ENV = nodeEnv;
    }
  }

  // The real server on a fresh database (cloned from a migrated template on TEST_DATABASE_URL /
  // DATABASE_URL, else on an embedded PostgreSQL), serving the web app just built.
  // Bank details as a deployment sets them, for the subscription page.
  const server = await startTestServer({
    env: {
      BANK_RECIPIENT: 'MedoraAI MChJ',
      BANK_NAME: 'Kapitalbank',
      BANK_ACCOUNT: '2020 8000 9051 2345 6001',
      BANK_MFO: '01158',
      BANK_TIN: '309876543',
    },
  });
  // And a worker on the same database, as `npm start` runs one: analyses get their reports.
  const config = loadConfig(testEnv({ DATABASE_URL: server.databaseUrl }));
  const logger = pino({ level: 'silent' });
  const database = await openDatabase(config, logger, {
    migrate: false,
    applicationName: 'medora-worker',
  });
  const services = createServices({ config, db: database.db, logger, databaseUrl: database.url });
  const worker = await startWorker({ services, pool: database.pool });
  project.provide('baseUrl', server.baseUrl.replace(/\/$/, ''));
  project.provide('databaseUrl', server.databaseUrl);
  return async () => {
    await worker.stop();
    await database.close();
    await server.stop();
  };
}
