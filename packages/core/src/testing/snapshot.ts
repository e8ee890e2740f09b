import type { Db } from '@medora/db';
import { sql } from 'kysely';

/**
 * Tables a refused call may legitimately write, left out of the comparison. Empty: validation
 * refusals are neither audited nor counted in the database (rate-limit counters live in the
 * cache), so any change at all is a finding.
 */
export const WRITTEN_ON_REFUSAL: readonly string[] = [];

export type Snapshot = Map<string, { rows: number; hash: string }>;

/** Row count and a hash of every row of every table the application and its job queue own. */
export async function dbSnapshot(db: Db): Promise<Snapshot> {
  const tables = await sql<{ name: string }>`
    select format('%I.%I', table_schema, table_name) as name
    from information_schema.tables
    where table_type = 'BASE TABLE'
      and table_schema not in ('pg_catalog', 'information_schema')
    order by 1`.execute(db);
  const out: Snapshot = new Map();
  for (const { name } of tables.rows) {
    if (WRITTEN_ON_REFUSAL.includes(name)) continue;
    const { rows } = await sql<{ rows: string; hash: string | null }>`
      select count(*) as rows, md5(string_agg(t::text, ',' order by t::text)) as hash
      from ${sql.raw(name)} t`.execute(db);
    out.set(name, { rows: Number(rows[0]!.rows), hash: rows[0]!.hash ?? '' });
  }
  return out;
}

/** The tables whose rows differ between two snapshots, with their counts. */
export function diffSnapshots(before: Snapshot, after: Snapshot): string[] {
  const names = new Set([...before.keys(), ...after.keys()]);
  const out: string[] = [];
  for (const name of names) {
    const a = before.get(name);
    const b = after.get(name);
    if (a?.hash !== b?.hash || a?.rows !== b?.rows)
      out.push(`${name}: ${a?.rows ?? 'absent'} rows → ${b?.rows ?? 'absent'} rows`);
  }
  return out.sort();
}
