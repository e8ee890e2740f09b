import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { createDb } from './client';
import { migrateDown, migrateToLatest } from './migrate';

// Developer commands: `npm run db:migrate` and `npm run db:codegen` (regenerates the committed
// Database types from a scratch database migrated to the latest schema).
const here = path.dirname(fileURLToPath(import.meta.url));
const command = process.argv[2];

const url = process.env.DATABASE_URL;

async function main(): Promise<void> {
  if (!url)
    throw new Error(
      'DATABASE_URL is required (a server you may create a scratch database on for codegen)',
    );
  if (command === 'migrate' || command === 'down') {
    const { db } = createDb(url, { max: 1 });
    try {
      const done = command === 'migrate' ? await migrateToLatest(db) : await migrateDown(db);
      console.log(done.length ? `${command}: ${done.join(', ')}` : `${command}: nothing to do`);
    } finally {
      await db.destroy();
    }
    return;
  }
  if (command === 'codegen') {
    const scratch = `medora_codegen_${process.pid}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`create database ${scratch}`);
    const u = new URL(url);
    u.pathname = `/${scratch}`;
    try {
      const { db } = createDb(u.toString(), { max: 1 });
      await migrateToLatest(db);
      await db.destroy();
      execFileSync(
        'npx',
        [
          'kysely-codegen',
          '--dialect',
          'postgres',
          '--url',
          u.toString(),
          '--exclude-pattern',
          '(kysely_*|graphile_*.*)',
          '--type-mapping',
          JSON.stringify({ int8: 'number', date: 'string' }),
          '--out-file',
          path.join(here, 'generated/database.ts'),
        ],
        { stdio: 'inherit' },
      );
    } finally {
      await admin.query(`drop database if exists ${scratch} with (force)`);
      await admin.end();
    }
    return;
  }
  throw new Error(`unknown command ${command ?? ''}: use migrate, down or codegen`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
