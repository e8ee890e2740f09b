import type { Db } from '@medora/db';
import { sql } from 'kysely';
import pg from 'pg';

/** Fault-test support: what the job queue and the database's sessions look like right now. */

export interface JobLock {
  id: string;
  lockedBy: string | null;
  /** Seconds since it was locked (0 when it is not). */
  lockedForSeconds: number;
}

/** The jobs of a task, with who holds them. */
export async function jobLocks(db: Db, task: string): Promise<JobLock[]> {
  const { rows } = await sql<{ id: string; locked_by: string | null; locked_for: number | null }>`
    select id, locked_by, extract(epoch from now() - locked_at)::float as locked_for
    from graphile_worker.jobs where task_identifier = ${task} order by id`.execute(db);
  return rows.map((r) => ({
    id: r.id,
    lockedBy: r.locked_by,
    lockedForSeconds: r.locked_for ?? 0,
  }));
}

/** How many sessions of the named application wait on a lock (a job blocked in its handler). */
export async function sessionsWaitingOnLocks(db: Db, applicationName: string): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    select count(*)::int as n from pg_stat_activity
    where application_name = ${applicationName} and wait_event_type = 'Lock'`.execute(db);
  return rows[0]!.n;
}

/**
 * Runs `statement` in a transaction on a connection of its own and keeps that transaction open
 * (with the locks it took) until the returned function rolls it back.
 */
export async function holdInTransaction(
  url: string,
  statement: string,
  values: unknown[] = [],
): Promise<() => Promise<void>> {
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => undefined);
  await client.connect();
  try {
    await client.query('begin');
    await client.query(statement, values);
  } catch (err) {
    await client.end();
    throw err;
  }
  return async () => {
    await client.query('rollback');
    await client.end();
  };
}

/**
 * Makes every insert into `table` fail as a database fault would (SQLSTATE P0001, not one the
 * app maps to a refusal), with `message`; `%` in it is replaced by the new row's `quoteColumn`,
 * as a constraint's detail quotes the row. The function and trigger live in the test's own
 * database.
 */
export async function failInserts(
  db: Db,
  table: string,
  message: string,
  quoteColumn?: string,
): Promise<void> {
  const fn = sql.id(`test_fail_${table}`);
  const arg = quoteColumn ? sql`, new.${sql.id(quoteColumn)}` : sql``;
  await sql`create function ${fn}() returns trigger language plpgsql as $body$
    begin raise exception ${sql.lit(message)}${arg}; end $body$`.execute(db);
  await sql`create trigger test_fail before insert on ${sql.table(table)}
    for each row execute function ${fn}()`.execute(db);
}
