import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { loadConfig } from '../src/config';
import { MemoryCache } from '../src/cache/index';
import { createServices, type Services } from '../src/runtime';
import { createTestDatabase, factories, type Factories, type TestDatabase } from '../src/testing';

/** Core services over a fresh test database, as the server wires them (memory cache). */
export interface CoreHarness {
  t: TestDatabase;
  services: Services;
  make: Factories;
  close(): Promise<void>;
}

export async function coreServices(env: Record<string, string> = {}): Promise<CoreHarness> {
  const t = await createTestDatabase();
  const config = loadConfig({
    NODE_ENV: 'test',
    TOKEN_SECRET: 'core-test-secret-that-is-long-enough-for-hs256',
    DATA_DIR: mkdtempSync(path.join(tmpdir(), 'medora-core-')),
    DATABASE_URL: t.url,
    ...env,
  });
  const services = createServices({
    config,
    db: t.db,
    logger: pino({ level: 'silent' }),
    cache: new MemoryCache(),
  });
  return {
    t,
    services,
    make: factories(t.db),
    close: async () => {
      await services.cache.close();
      await t.drop();
    },
  };
}
