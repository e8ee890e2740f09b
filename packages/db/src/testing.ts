import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createDb, type Db } from './client';
import { migrateToLatest } from './migrate';

/**
 * Test databases. A vitest globalSetup calls `prepareTemplate` once per run: it migrates a
 * template database on the test server. Each test file then calls `createTestDatabase`, which
 * clones the template (a file copy inside PostgreSQL, ~50 ms), so files never share state.
 */

const ADMIN_URL_ENV = 'MEDORA_TEST_ADMIN_URL';
const TEMPLATE_ENV = 'MEDORA_TEST_TEMPLATE';

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

async function adminQuery(adminUrl: string, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

export async function prepareTemplate(
  adminUrl: string,
  /** More schema every test database starts with (the job queue's), given the template's URL. */
  extra?: (templateUrl: string) => Promise<void>,
): Promise<{ template: string; drop(): Promise<void> }> {
  const template = `medora_tpl_${process.pid}_${randomBytes(3).toString('hex')}`;
  await adminQuery(adminUrl, `create database ${template}`);
  const { db } = createDb(withDatabase(adminUrl, template), { max: 1 });
  try {
    await migrateToLatest(db);
  } finally {
    await db.destroy();
  }
  await extra?.(withDatabase(adminUrl, template));
  process.env[ADMIN_URL_ENV] = adminUrl;
  process.env[TEMPLATE_ENV] = template;
  return {
    template,
    drop: () => adminQuery(adminUrl, `drop database if exists ${template} with (force)`),
  };
}

export interface TestDatabase {
  url: string;
  name: string;
  db: Db;
  pool: pg.Pool;
  /** Closes the pool and drops the database. */
  drop(): Promise<void>;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const adminUrl = process.env[ADMIN_URL_ENV];
  const template = process.env[TEMPLATE_ENV];
  if (!adminUrl || !template) {
    throw new Error(
      'No test template database: run tests through the vitest config (its globalSetup prepares one).',
    );
  }
  const name = `medora_t_${randomBytes(6).toString('hex')}`;
  await adminQuery(adminUrl, `create database ${name} template ${template}`);
  const url = withDatabase(adminUrl, name);
  const { db, pool } = createDb(url, { max: 5 });
  let dropped = false;
  return {
    url,
    name,
    db,
    pool,
    drop: async () => {
      if (dropped) return;
      dropped = true;
      await db.destroy();
      await adminQuery(adminUrl, `drop database if exists ${name} with (force)`);
    },
  };
}
