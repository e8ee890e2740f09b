/** Scratch databases: created on DATABASE_URL's server, migrated, dropped at clean-up. */
import { createDb, migrateToLatest } from '@medora/db';
import { onCleanup } from './process';

export type Pool = ReturnType<typeof createDb>['pool'];
export type Db = ReturnType<typeof createDb>['db'];

export const adminUrl = () =>
  process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

export interface Scratch {
  name: string;
  url: string;
  db: Db;
  pool: Pool;
  /** Closes the pool and drops the database; runs once, and at clean-up when not called. */
  drop: () => Promise<void>;
}

/**
 * `medora_bench_<kind>_<pid>`, migrated with the project's migrations (unless `migrate: false`:
 * the product migrates it when it starts). Dropped by `drop` or at clean-up.
 */
export async function scratchDatabase(
  kind: string,
  opts: { poolMax?: number; migrate?: boolean } = {},
): Promise<Scratch> {
  const name = `medora_bench_${kind}_${process.pid}`;
  const admin = createDb(adminUrl(), { max: 1, applicationName: 'medora-bench' });
  await admin.pool.query(`create database ${name}`);
  const url = withDatabase(adminUrl(), name);
  const { db, pool } = createDb(url, { max: opts.poolMax ?? 4, applicationName: 'medora-bench' });
  let dropped: Promise<void> | undefined;
  const drop = () =>
    (dropped ??= (async () => {
      await pool.end().catch(() => undefined);
      await admin.pool.query(`drop database if exists ${name} with (force)`).catch((err) => {
        console.error(`dropping ${name} failed:`, err);
      });
      await admin.pool.end().catch(() => undefined);
    })());
  onCleanup(`database ${name}`, drop);
  if (opts.migrate !== false) await migrateToLatest(db);
  return { name, url, db, pool, drop };
}

/**
 * Records the SQL and parameters sent on the pool's clients while `capture.on`: Kysely hands
 * each query (and a transaction's begin/commit) to a pooled client's query(text, values).
 */
export function recordQueries(pool: Pool) {
  const capture = { on: false, queries: [] as { text: string; values: unknown[] }[] };
  const wrapped = new WeakSet<object>();
  pool.on('acquire', (client) => {
    if (wrapped.has(client)) return;
    wrapped.add(client);
    const original = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as { query: unknown }).query = (...args: unknown[]) => {
      if (capture.on && typeof args[0] === 'string')
        capture.queries.push({ text: args[0], values: (args[1] as unknown[]) ?? [] });
      return original(...args);
    };
  });
  return {
    capture,
    async during<T>(fn: () => Promise<T>): Promise<{ value: T; queries: typeof capture.queries }> {
      capture.queries = [];
      capture.on = true;
      try {
        const value = await fn();
        return { value, queries: capture.queries };
      } finally {
        capture.on = false;
      }
    },
  };
}
