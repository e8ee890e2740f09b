import { sql, type Kysely } from 'kysely';

// The search key now folds "ye" to "e" in every position, not only at a word's start, so the
// Uzbek Latin "Aliyev" and the Cyrillic "Алиев" meet (see patients/search-key.ts). Keys written
// before are brought to the new rule: it is the old key with that one replacement applied last,
// which is exactly what SQL's regexp_replace does here. Frozen history: no application imports.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await sql`update patients set search_key = regexp_replace(search_key, 'ye', 'e', 'g')
    where search_key like '%ye%'`.execute(db);
}

// The old keys cannot be told apart from the new ones; searching works with either rule applied
// to both sides, so going back leaves the keys as they are.
export async function down(): Promise<void> {}
