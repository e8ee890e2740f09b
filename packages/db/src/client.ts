import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { DB } from './generated/database';

export type Database = DB;
export type Db = Kysely<Database>;

// int8 (bigint: money in tiyin, counters) as JS numbers: every value we store is far below 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));
// date (a birth date) as the 'YYYY-MM-DD' text it is: a JS Date would put it at some time zone's
// midnight and shift the day.
pg.types.setTypeParser(pg.types.builtins.DATE, (v) => v);

export interface DbOptions {
  /** Pool size per process. */
  max?: number;
  /** Idle connections are kept this long (the spec kept connections 600 s). */
  idleTimeoutMillis?: number;
  connectionTimeoutMillis?: number;
  /** Name shown in pg_stat_activity. */
  applicationName?: string;
}

export function createPool(connectionString: string, opts: DbOptions = {}): pg.Pool {
  const pool = new pg.Pool({
    connectionString,
    max: opts.max ?? 10,
    idleTimeoutMillis: opts.idleTimeoutMillis ?? 600_000,
    connectionTimeoutMillis: opts.connectionTimeoutMillis ?? 5_000,
    application_name: opts.applicationName ?? 'medora',
  });
  // An idle client losing its server emits 'error' on the pool; without a listener that would
  // crash the process. The next query reports the outage instead.
  pool.on('error', () => undefined);
  // The pool listens only while a client is idle. One checked out between two statements of a
  // transaction when the server goes away would emit 'error' with no listener, which also
  // crashes the process; its pending or next query fails instead, and the pool discards it.
  pool.on('connect', (client) => client.on('error', () => undefined));
  return pool;
}

export function createDb(
  connectionString: string,
  opts: DbOptions = {},
): { db: Db; pool: pg.Pool } {
  const pool = createPool(connectionString, opts);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { db, pool };
}

/** True when the error is PostgreSQL's unique_violation, optionally on a named constraint. */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const e = error as { code?: string; constraint?: string };
  return e.code === '23505' && (constraint === undefined || e.constraint === constraint);
}
