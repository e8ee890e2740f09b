import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { sql } from 'kysely';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../src/config';
import type { Logger } from '../src/logger';
import { openDatabase } from '../src/runtime';

// An empty database of its own (not a template clone), so the migration step has work to do.
const adminUrl = process.env.MEDORA_TEST_ADMIN_URL!;
const name = `medora_rt_${randomBytes(4).toString('hex')}`;
const admin = async (text: string) => {
  const c = new pg.Client({ connectionString: adminUrl });
  await c.connect();
  try {
    await c.query(text);
  } finally {
    await c.end();
  }
};
const urlOf = (db: string) => {
  const u = new URL(adminUrl);
  u.pathname = `/${db}`;
  return u.toString();
};
afterAll(() => admin(`drop database if exists ${name} with (force)`));

const logger = () => {
  const log = { info: vi.fn(), debug: vi.fn(), warn: vi.fn(), error: vi.fn() };
  return { log, logger: log as unknown as Logger };
};
const config = (url: string) =>
  loadConfig({
    NODE_ENV: 'test',
    DATA_DIR: mkdtempSync(path.join(tmpdir(), 'medora-rt-')),
    DATABASE_URL: url,
    TOKEN_SECRET: 'runtime-test-secret-that-is-long-enough-000',
  });

describe('openDatabase with DATABASE_URL', () => {
  it('migrates an empty database when asked, says what it applied, then has nothing to do', async () => {
    await admin(`create database ${name}`);
    const first = logger();
    const opened = await openDatabase(config(urlOf(name)), first.logger, {
      migrate: true,
      applicationName: 'runtime-test',
    });
    try {
      expect(opened.embedded).toBe(false);
      expect(opened.url).toBe(urlOf(name));
      const app = await sql<{
        name: string;
      }>`select current_setting('application_name') as name`.execute(opened.db);
      expect(app.rows[0]?.name).toBe('runtime-test');
      expect(first.log.info).toHaveBeenCalledWith(
        { applied: expect.arrayContaining([expect.any(String)]) as unknown },
        'database migrated',
      );
    } finally {
      await opened.close();
    }

    const second = logger();
    const again = await openDatabase(config(urlOf(name)), second.logger, {
      migrate: true,
      applicationName: 'runtime-test',
    });
    await again.close();
    expect(second.log.info).not.toHaveBeenCalled();
  });

  it('leaves the schema alone without migrate', async () => {
    const other = `${name}_bare`;
    await admin(`create database ${other}`);
    try {
      const opened = await openDatabase(config(urlOf(other)), logger().logger, {
        migrate: false,
        applicationName: 'runtime-test',
      });
      const tables = await sql<{
        n: number;
      }>`select count(*)::int as n from pg_tables where schemaname = 'public'`.execute(opened.db);
      await opened.close();
      expect(tables.rows[0]?.n).toBe(0);
    } finally {
      await admin(`drop database if exists ${other} with (force)`);
    }
  });
});
