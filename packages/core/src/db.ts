import type { Database } from '@medora/db';
import {
  sql,
  type CompiledQuery,
  type Insertable,
  type Kysely,
  type Selectable,
  type Transaction,
  type Updateable,
} from 'kysely';

/**
 * What queries run on. A query that must run inside a transaction (row locks, multi-statement
 * invariants) takes `Trx`: `Kysely<Database>` is not assignable to it, so calling such a query
 * outside `db.transaction()` does not compile.
 */
export type Executor = Kysely<Database> | Transaction<Database>;
export type Trx = Transaction<Database>;

export type Row<T extends keyof Database> = Selectable<Database[T]>;
export type NewRow<T extends keyof Database> = Insertable<Database[T]>;
export type RowUpdate<T extends keyof Database> = Updateable<Database[T]>;

/** Stands for a parameter while a `compiledOnce` query is compiled. */
class Param {
  constructor(readonly index: number) {}
}

/**
 * A query whose SQL never changes, compiled on first use and then only given new parameters.
 * Kysely builds an immutable tree for a query and compiles it to SQL on every call; for the
 * session lookup that runs on every request that was a fifth of the server's allocations
 * (tooling/bench, `BENCH_PROFILE`). `build` receives a stand-in for each parameter and must use
 * each as a plain value (no branching on it, no `in` list): the stand-ins are swapped for the
 * call's values in the compiled parameters, and one that does not show up there is an error.
 * Anything else in `build` is fixed at the first call, so the time comes from SQL (`now()`),
 * never from `new Date()`.
 */
export function compiledOnce<A extends unknown[], R>(
  arity: A['length'],
  build: (db: Executor, ...params: A) => { compile(): CompiledQuery<R> },
): (db: Executor, ...params: A) => Promise<R[]> {
  let compiled: CompiledQuery<R> | undefined;
  return async (db, ...params) => {
    if (!compiled) {
      const stand = Array.from({ length: arity }, (_, i) => new Param(i)) as A;
      const query = build(db, ...stand).compile();
      const seen = new Set(query.parameters.flatMap((p) => (p instanceof Param ? [p.index] : [])));
      if (seen.size !== arity)
        throw new Error(`compiledOnce: ${arity - seen.size} parameter(s) missing from the SQL`);
      compiled = query;
    }
    const parameters = compiled.parameters.map((p) => (p instanceof Param ? params[p.index] : p));
    const { rows } = await db.executeQuery<R>({ ...compiled, parameters });
    return rows;
  };
}

/**
 * Runs `work` on `conn` (a transaction or a pinned connection) so that aborting `signal` stops
 * its query in PostgreSQL, not only our wait for it: a client that gave up on a slow search
 * would otherwise keep a backend busy for nothing. The backend's pid is read first; on abort a
 * `pg_cancel_backend` goes through the pool, and the connection is only given back once that
 * cancel has landed, so it can never hit the next user of the connection. A cancel that arrives
 * between statements is ignored by PostgreSQL.
 */
async function cancelOnAbort<T>(
  conn: Executor,
  pool: Kysely<Database>,
  signal: AbortSignal,
  work: () => Promise<T>,
): Promise<T> {
  const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(conn);
  const pid = rows[0]!.pid;
  let cancelling: Promise<unknown> | undefined;
  const cancel = () => {
    cancelling = sql`select pg_cancel_backend(${pid}::int)`.execute(pool).catch(() => undefined);
  };
  signal.addEventListener('abort', cancel, { once: true });
  try {
    // Aborted while the pid was read: nothing is running yet, so nothing need be cancelled.
    signal.throwIfAborted();
    return await work();
  } finally {
    signal.removeEventListener('abort', cancel);
    if (cancelling) await cancelling;
  }
}

/** `db.transaction().execute(work)`, cancelled in PostgreSQL when `signal` aborts. */
export function cancellableTransaction<T>(
  db: Kysely<Database>,
  signal: AbortSignal | undefined,
  work: (trx: Trx) => Promise<T>,
): Promise<T> {
  if (!signal) return db.transaction().execute(work);
  signal.throwIfAborted();
  return db.transaction().execute((trx) => cancelOnAbort(trx, db, signal, () => work(trx)));
}

/** `work` on one pinned connection (no transaction), cancelled in PostgreSQL when `signal` aborts. */
export function cancellableConnection<T>(
  db: Kysely<Database>,
  signal: AbortSignal | undefined,
  work: (conn: Kysely<Database>) => Promise<T>,
): Promise<T> {
  if (!signal) return work(db);
  signal.throwIfAborted();
  return db.connection().execute((conn) => cancelOnAbort(conn, db, signal, () => work(conn)));
}
