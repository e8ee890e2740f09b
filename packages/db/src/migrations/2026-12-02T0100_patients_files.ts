import { sql, type Kysely } from 'kysely';

// Patients, their attached files, and the plan's storage quota. Frozen history: no application
// imports (the enum values and limits are written out here).

const GIB = 1024 ** 3;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  // Trigram search on the transliterated name key; btree_gin lets one GIN index lead with the
  // workspace, so a search never scans another tenant's names. Both ship with PostgreSQL.
  await sql`create extension if not exists pg_trgm`.execute(db);
  await sql`create extension if not exists btree_gin`.execute(db);

  await db.schema.createType('patient_sex').asEnum(['male', 'female']).execute();
  await db.schema.createType('file_purpose').asEnum(['attachment', 'receipt']).execute();

  await db.schema
    .alterTable('plans')
    .addColumn('storage_quota_bytes', 'bigint', (c) =>
      c
        .notNull()
        .defaultTo(GIB)
        .check(sql`storage_quota_bytes > 0`),
    )
    .execute();

  await db.schema
    .createTable('patients')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('workspace_id', 'uuid', (c) =>
      c.notNull().references('workspaces.id').onDelete('cascade'),
    )
    .addColumn('created_by', 'uuid', (c) => c.notNull().references('users.id').onDelete('restrict'))
    .addColumn('first_name', 'text', (c) =>
      c.notNull().check(sql`char_length(first_name) between 2 and 100`),
    )
    .addColumn('last_name', 'text', (c) =>
      c.notNull().check(sql`char_length(last_name) between 2 and 100`),
    )
    .addColumn('middle_name', 'text', (c) =>
      c.check(sql`char_length(middle_name) between 2 and 100`),
    )
    // Written by the application from the names and phone (one function does it): the names in
    // Uzbek Latin whatever script they were typed in, so every spelling finds the others.
    .addColumn('search_key', 'text', (c) => c.notNull().check(sql`char_length(search_key) <= 400`))
    .addColumn('birth_date', 'date', (c) => c.check(sql`birth_date >= '1900-01-01'`))
    .addColumn('age_years', 'smallint', (c) => c.check(sql`age_years between 0 and 130`))
    // The day the age was told, so the age shown later grows with time.
    .addColumn('age_recorded_on', 'date')
    .addColumn('sex', sql`patient_sex`, (c) => c.notNull())
    .addColumn('phone', 'text', (c) => c.check(sql`phone ~ '^\\+998[0-9]{9}$'`))
    .addColumn('address', 'text', (c) => c.check(sql`char_length(address) <= 300`))
    .addColumn('allergies', 'text', (c) => c.check(sql`char_length(allergies) <= 2000`))
    .addColumn('chronic_conditions', 'text', (c) =>
      c.check(sql`char_length(chronic_conditions) <= 2000`),
    )
    .addColumn('current_medications', 'text', (c) =>
      c.check(sql`char_length(current_medications) <= 2000`),
    )
    .addColumn('notes', 'text', (c) => c.check(sql`char_length(notes) <= 5000`))
    .addColumn('archived_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint(
      'patients_birth_date_or_age',
      sql`(birth_date is null) <> (age_years is null) and (age_years is null) = (age_recorded_on is null)`,
    )
    // The target of files' (workspace_id, patient_id) key: a file cannot point at another
    // workspace's patient, whatever the application does.
    .addUniqueConstraint('patients_workspace_id_key', ['workspace_id', 'id'])
    .execute();
  // The workspace's list, newest first and by name; archived patients have their own.
  await sql`create index patients_workspace_recent_idx on patients (workspace_id, created_at desc, id desc) where archived_at is null`.execute(
    db,
  );
  await sql`create index patients_workspace_name_idx on patients (workspace_id, last_name, first_name, id) where archived_at is null`.execute(
    db,
  );
  await sql`create index patients_workspace_archived_idx on patients (workspace_id, archived_at desc, id desc) where archived_at is not null`.execute(
    db,
  );
  await sql`create index patients_created_by_idx on patients (created_by, created_at)`.execute(db);
  await sql`create index patients_workspace_phone_idx on patients (workspace_id, phone) where phone is not null`.execute(
    db,
  );
  await sql`create index patients_search_idx on patients using gin (workspace_id, search_key gin_trgm_ops) where archived_at is null`.execute(
    db,
  );

  await db.schema
    .createTable('files')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('workspace_id', 'uuid', (c) =>
      c.notNull().references('workspaces.id').onDelete('cascade'),
    )
    .addColumn('uploaded_by', 'uuid', (c) =>
      c.notNull().references('users.id').onDelete('restrict'),
    )
    .addColumn('purpose', sql`file_purpose`, (c) => c.notNull())
    .addColumn('patient_id', 'uuid')
    .addColumn('name', 'text', (c) => c.notNull().check(sql`char_length(name) between 1 and 255`))
    .addColumn('mime', 'text', (c) => c.notNull().check(sql`char_length(mime) <= 100`))
    .addColumn('size', 'bigint', (c) => c.notNull().check(sql`size > 0`))
    .addColumn('sha256', 'text', (c) => c.notNull().check(sql`sha256 ~ '^[0-9a-f]{64}$'`))
    .addColumn('storage_key', 'text', (c) =>
      c
        .notNull()
        .unique()
        .check(sql`storage_key ~ '^[0-9a-f]{64}$'`),
    )
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addForeignKeyConstraint(
      'files_patient_fk',
      ['workspace_id', 'patient_id'],
      'patients',
      ['workspace_id', 'id'],
      (fk) => fk.onDelete('cascade'),
    )
    .addCheckConstraint(
      'files_receipt_has_no_patient',
      sql`purpose <> 'receipt' or patient_id is null`,
    )
    .execute();
  await sql`create index files_patient_idx on files (workspace_id, patient_id, created_at desc) where patient_id is not null`.execute(
    db,
  );
  // The quota sums a workspace's sizes from the index alone.
  await sql`create index files_workspace_size_idx on files (workspace_id) include (size)`.execute(
    db,
  );

  // patient.accessLog reads a patient's rows, and those of files attached to it, newest first.
  await sql`create index audit_log_entity_idx on audit_log (workspace_id, entity_type, entity_id, at desc)`.execute(
    db,
  );
  await sql`create index audit_log_patient_meta_idx on audit_log (workspace_id, (meta->>'patientId'), at desc) where meta ? 'patientId'`.execute(
    db,
  );
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index audit_log_patient_meta_idx`.execute(db);
  await sql`drop index audit_log_entity_idx`.execute(db);
  await db.schema.dropTable('files').execute();
  await db.schema.dropTable('patients').execute();
  await db.schema.alterTable('plans').dropColumn('storage_quota_bytes').execute();
  await db.schema.dropType('file_purpose').execute();
  await db.schema.dropType('patient_sex').execute();
  await sql`drop extension if exists btree_gin`.execute(db);
  await sql`drop extension if exists pg_trgm`.execute(db);
}
