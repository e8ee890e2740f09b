import { sql } from 'kysely';
import type { Executor } from '../db';

/**
 * How many client sessions on this database belong to other programs than `applicationName`
 * (the caller's own pool), e.g. a worker that is still stopping.
 */
export async function countOtherConnections(
  db: Executor,
  applicationName: string,
): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    select count(*)::int as n from pg_stat_activity
    where datname = current_database()
      and backend_type = 'client backend'
      and pid <> pg_backend_pid()
      and application_name <> ${applicationName}`.execute(db);
  return rows[0]?.n ?? 0;
}

/**
 * Waits until no other program is connected, or `timeoutMs` passed; returns whether they all
 * left. Used before stopping a database this process owns, so a client stopping at the same
 * moment finishes cleanly instead of losing its connection mid-way.
 */
export async function waitForOtherConnections(
  db: Executor,
  applicationName: string,
  timeoutMs: number,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const others = await countOtherConnections(db, applicationName).catch(() => 0);
    if (others === 0) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
