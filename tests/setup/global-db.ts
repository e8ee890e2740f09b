import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, startEmbeddedPostgres, type EmbeddedDatabase } from '@medora/db';
import { prepareTemplate } from '@medora/db/testing';
import { runMigrations } from 'graphile-worker';
import pg from 'pg';

// Uses TEST_DATABASE_URL / DATABASE_URL when set (CI has a real PostgreSQL); otherwise starts an
// embedded cluster for the run, so `npm test` needs nothing installed. Each test file then clones
// its own database from the migrated template. Every node project lists this file; the work is
// shared through globalThis so one run prepares one template, torn down by the last project.
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

interface Shared {
  ready: Promise<{ adminUrl: string; template: string; cleanup: () => Promise<void> }>;
  users: number;
}
const KEY = Symbol.for('medora.test-db');
const g = globalThis as unknown as Record<symbol, Shared | undefined>;

async function prepare(): Promise<{
  adminUrl: string;
  template: string;
  cleanup: () => Promise<void>;
}> {
  let embedded: EmbeddedDatabase | undefined;
  let adminUrl = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL;
  if (!adminUrl) {
    const port = await freePort();
    embedded = await startEmbeddedPostgres({
      dir: path.join(root, '.data', `test-postgres-${port}`),
      port,
      database: 'postgres',
      persistent: false,
    });
    adminUrl = embedded.url;
  }
  // Graphile Worker's schema is in the template too: services enqueue jobs in their own
  // transactions (graphile_worker.add_job), as they do against a database the worker migrated.
  const tpl = await prepareTemplate(adminUrl, async (url) => {
    const pool = new pg.Pool({ connectionString: url, max: 1 });
    pool.on('connect', (client) => client.on('error', () => undefined));
    try {
      await runMigrations({ pgPool: pool });
    } finally {
      await pool.end();
    }
  });
  return {
    adminUrl,
    template: tpl.template,
    cleanup: async () => {
      await tpl.drop();
      await embedded?.stop();
    },
  };
}

export default async function setup(): Promise<() => Promise<void>> {
  const shared = (g[KEY] ??= { ready: prepare(), users: 0 });
  shared.users += 1;
  const { adminUrl, template } = await shared.ready;
  process.env.MEDORA_TEST_ADMIN_URL = adminUrl;
  process.env.MEDORA_TEST_TEMPLATE = template;
  return async () => {
    shared.users -= 1;
    if (shared.users === 0) {
      g[KEY] = undefined;
      await (await shared.ready).cleanup();
    }
  };
}
