import type { Database } from '@medora/db';
import type { Insertable, Kysely, Selectable, Transaction, Updateable } from 'kysely';

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
