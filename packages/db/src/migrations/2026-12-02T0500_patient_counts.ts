import { sql, type Kysely } from 'kysely';

// How many patients each workspace lists and has archived, kept by the database itself. Counting
// 100,000 patients for every page of the list cost ~25 ms of a ~30 ms call; reading one row costs
// nothing. Statement-level triggers keep the counts in the same transaction as every insert,
// update and delete, however the rows were written (service, script or a bulk load), so there is
// one place that maintains them and nothing to forget. Frozen history: no application imports.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('patient_counts')
    .addColumn('workspace_id', 'uuid', (c) =>
      c.primaryKey().references('workspaces.id').onDelete('cascade'),
    )
    .addColumn('listed', 'integer', (c) =>
      c
        .notNull()
        .defaultTo(0)
        .check(sql`listed >= 0`),
    )
    .addColumn('archived', 'integer', (c) =>
      c
        .notNull()
        .defaultTo(0)
        .check(sql`archived >= 0`),
    )
    .execute();

  // One function for the three events: each branch reads only the transition tables its event
  // has (PL/pgSQL plans a statement when it first runs it). Deltas are summed per workspace; new
  // counter rows go in in workspace order. An edit that neither archives nor restores sums to
  // zero and writes nothing, so it takes no lock on the counter row.
  await sql`
    create function patient_counts_apply() returns trigger language plpgsql as $$
    begin
      if tg_op = 'INSERT' then
        insert into patient_counts as c (workspace_id, listed, archived)
        select workspace_id, count(*) filter (where archived_at is null),
               count(*) filter (where archived_at is not null)
        from new_rows group by workspace_id order by workspace_id
        on conflict (workspace_id) do update
          set listed = c.listed + excluded.listed, archived = c.archived + excluded.archived;
      elsif tg_op = 'UPDATE' then
        -- A patient moved to another workspace needs that workspace's row first. The deltas
        -- are applied by UPDATE: an insert proposing a negative delta would trip the CHECKs.
        insert into patient_counts (workspace_id)
        select distinct workspace_id from new_rows order by workspace_id
        on conflict (workspace_id) do nothing;
        update patient_counts c set listed = c.listed + d.listed, archived = c.archived + d.archived
        from (
          select workspace_id, sum(listed) as listed, sum(archived) as archived from (
            select workspace_id, (archived_at is null)::int as listed,
                   (archived_at is not null)::int as archived from new_rows
            union all
            select workspace_id, -(archived_at is null)::int, -(archived_at is not null)::int
            from old_rows
          ) u
          group by workspace_id having sum(listed) <> 0 or sum(archived) <> 0
        ) d
        where c.workspace_id = d.workspace_id;
      else
        update patient_counts c set listed = c.listed - d.listed, archived = c.archived - d.archived
        from (
          select workspace_id, count(*) filter (where archived_at is null) as listed,
                 count(*) filter (where archived_at is not null) as archived
          from old_rows group by workspace_id
        ) d
        where c.workspace_id = d.workspace_id;
      end if;
      return null;
    end $$`.execute(db);
  await sql`create trigger patient_counts_insert after insert on patients
    referencing new table as new_rows for each statement execute function patient_counts_apply()`.execute(
    db,
  );
  await sql`create trigger patient_counts_update after update on patients
    referencing old table as old_rows new table as new_rows
    for each statement execute function patient_counts_apply()`.execute(db);
  await sql`create trigger patient_counts_delete after delete on patients
    referencing old table as old_rows for each statement execute function patient_counts_apply()`.execute(
    db,
  );

  // Patients written before this migration.
  await sql`
    insert into patient_counts (workspace_id, listed, archived)
    select workspace_id, count(*) filter (where archived_at is null),
           count(*) filter (where archived_at is not null)
    from patients group by workspace_id`.execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop trigger patient_counts_delete on patients`.execute(db);
  await sql`drop trigger patient_counts_update on patients`.execute(db);
  await sql`drop trigger patient_counts_insert on patients`.execute(db);
  await sql`drop function patient_counts_apply()`.execute(db);
  await db.schema.dropTable('patient_counts').execute();
}
