import { sql, type Kysely } from 'kysely';

// Name search through a dictionary of the names a workspace has, instead of matching every
// patient's key with trigrams. A doctor's 100,000 patients share a few thousand distinct name
// words, so a search word is first expanded against that small dictionary — the words it starts
// (a btree range) and the words it resembles (trigram word similarity) — and then the patients
// are found exactly, by array overlap on their words (a GIN index: no fuzzy recheck per patient).
// Rechecking `like` and `word_similarity` on up to a thousand patients per search cost most of
// a search's time at 100,000 patients.
//
// `patients.search_words` is the stored key split into words (generated, so it can never
// disagree with `search_key`, which stays the one place that decides the folding). The
// dictionary is kept by statement-level triggers in the same transaction as every write,
// however the rows were written. Words are never removed from it: a word no patient has any
// more expands to nothing, and a workspace's words go with the workspace. Phone numbers are not
// name words and stay out (digits are searched on `search_key`). Frozen history: no application
// imports.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table patients add column search_words text[]
    generated always as (string_to_array(btrim(search_key), ' ')) stored`.execute(db);
  await sql`create index patients_search_words_idx on patients
    using gin (workspace_id, search_words) where archived_at is null`.execute(db);

  // "C" collation: a word's prefix range is a plain byte range of the btree (words are [a-z0-9]).
  await sql`create table patient_name_words (
    workspace_id uuid not null references workspaces (id) on delete cascade,
    word text collate "C" not null check (word ~ '^[a-z0-9]+$'),
    primary key (workspace_id, word)
  )`.execute(db);
  await sql`create index patient_name_words_trgm_idx on patient_name_words
    using gin (workspace_id, word gin_trgm_ops)`.execute(db);

  // An update adds only the words of keys it changed; words go in in order (no deadlock
  // between two writers adding the same new words).
  await sql`
    create function patient_name_words_add() returns trigger language plpgsql as $$
    begin
      if tg_op = 'INSERT' then
        insert into patient_name_words (workspace_id, word)
        select distinct n.workspace_id, w from new_rows n, unnest(n.search_words) w
        where w ~ '[a-z]' order by 1, 2
        on conflict do nothing;
      else
        insert into patient_name_words (workspace_id, word)
        select distinct n.workspace_id, w from new_rows n, unnest(n.search_words) w
        where w ~ '[a-z]' and not exists (
          select 1 from old_rows o
          where o.id = n.id and o.workspace_id = n.workspace_id and o.search_key = n.search_key
        )
        order by 1, 2
        on conflict do nothing;
      end if;
      return null;
    end $$`.execute(db);
  await sql`create trigger patient_name_words_insert after insert on patients
    referencing new table as new_rows for each statement
    execute function patient_name_words_add()`.execute(db);
  await sql`create trigger patient_name_words_update after update on patients
    referencing old table as old_rows new table as new_rows for each statement
    execute function patient_name_words_add()`.execute(db);

  await sql`insert into patient_name_words (workspace_id, word)
    select distinct workspace_id, w from patients, unnest(search_words) w
    where w ~ '[a-z]' order by 1, 2`.execute(db);
  await sql`analyze patient_name_words`.execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop trigger patient_name_words_update on patients`.execute(db);
  await sql`drop trigger patient_name_words_insert on patients`.execute(db);
  await sql`drop function patient_name_words_add()`.execute(db);
  await sql`drop table patient_name_words`.execute(db);
  await sql`drop index patients_search_words_idx`.execute(db);
  await sql`alter table patients drop column search_words`.execute(db);
}
