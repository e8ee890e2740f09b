import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig, type Services } from '@medora/core';
import { createTestDatabase } from '@medora/core/testing';
import { startServer, type ServerAppOptions } from '../src/server';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const webDist = path.join(repoRoot, 'apps/web/dist');

export interface TestServer {
  baseUrl: string;
  services: Services;
  /** The test database's URL (to reconnect, or to start a second server on it). */
  databaseUrl: string;
  stop(): Promise<void>;
}

/**
 * A safe, explicit environment: nothing is inherited from the caller's shell (no stray
 * DATABASE_URL), limits are high so suites do not trip them unless a test lowers them.
 */
export function testEnv(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    PORT: '0',
    TOKEN_SECRET: randomBytes(36).toString('base64url'),
    LOG_LEVEL: process.env.MEDORA_TEST_LOG_LEVEL ?? 'silent',
    RATE_LIMIT_IP_PER_MINUTE: '1000000',
    RATE_LIMIT_ANON_PER_HOUR: '1000000',
    RATE_LIMIT_USER_PER_HOUR: '1000000',
    LOGIN_IP_MAX_FAILURES: '10000',
    REGISTRATION_IP_PER_HOUR: '1000000',
    REGISTRATION_NETWORK_PER_HOUR: '1000000',
    ...(existsSync(path.join(webDist, 'index.html')) ? { WEB_DIST_DIR: webDist } : {}),
    ...overrides,
  };
}

/**
 * Starts the real server on a fresh database cloned from the migrated test template. Outside
 * the vitest projects (no template prepared) it prepares one first and removes it on stop().
 */
export async function startTestServer(
  opts: { env?: Record<string, string> } & ServerAppOptions = {},
): Promise<TestServer> {
  const releaseTemplate = await ensureTestDatabaseTemplate();
  const database = await createTestDatabase().catch(async (err: unknown) => {
    await releaseTemplate();
    throw err;
  });
  const dataDir = await mkdtemp(path.join(tmpdir(), 'medora-server-test-'));
  const cleanup = async () => {
    await database.drop();
    await rm(dataDir, { recursive: true, force: true });
    await releaseTemplate();
  };
  try {
    const config = loadConfig(
      testEnv({ DATA_DIR: dataDir, DATABASE_URL: database.url, ...opts.env }),
    );
    const { env: _env, ...appOptions } = opts;
    const server = await startServer({ config, ...appOptions });
    return {
      baseUrl: server.url,
      services: server.services,
      databaseUrl: database.url,
      stop: async () => {
        await server.close();
        await cleanup();
      },
    };
  } catch (err) {
    await cleanup();
    throw err;
  }
}

/**
 * For runners outside the vitest projects (the browser suite's globalSetup): prepares the test
 * template database unless the environment already names one. Returns the teardown.
 */
export async function ensureTestDatabaseTemplate(): Promise<() => Promise<void>> {
  if (process.env.MEDORA_TEST_ADMIN_URL && process.env.MEDORA_TEST_TEMPLATE)
    return () => Promise.resolve();
  const { default: setup } = await import('../../../tests/setup/global-db');
  return setup();
}
