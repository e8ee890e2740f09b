import { sql, type Kysely } from 'kysely';

// Analyses (a doctor's entries for one patient and the engine's report), the files attached to
// them, doctors' feedback on a report's conditions, and the monthly usage counters the plans'
// limits are enforced on. Frozen history: no application imports (values written out here).

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createType('analysis_status')
    .asEnum(['queued', 'running', 'completed', 'failed'])
    .execute();
  await db.schema
    .createType('feedback_verdict')
    .asEnum(['more_likely', 'less_likely', 'needs_review'])
    .execute();

  await db.schema
    .createTable('analyses')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('workspace_id', 'uuid', (c) =>
      c.notNull().references('workspaces.id').onDelete('cascade'),
    )
    .addColumn('patient_id', 'uuid', (c) => c.notNull())
    .addColumn('created_by', 'uuid', (c) => c.notNull().references('users.id').onDelete('restrict'))
    .addColumn('status', sql`analysis_status`, (c) => c.notNull().defaultTo('queued'))
    // The engine's input as it was run: the doctor's entries with the patient's sex and age
    // copied in at creation, so a later edit of the patient never changes an old report.
    .addColumn('input', 'jsonb', (c) => c.notNull())
    .addColumn('report', 'jsonb')
    .addColumn('enrichment', 'jsonb')
    .addColumn('enrichment_failure', 'text', (c) =>
      c.check(sql`enrichment_failure in ('timeout', 'error', 'invalid_answer')`),
    )
    // e.g. "rules 1.0.0 / kb 2026.12-1": which engine wrote the report.
    .addColumn('engine', 'text', (c) => c.check(sql`char_length(engine) <= 100`))
    .addColumn('failure_reason', 'text', (c) => c.check(sql`char_length(failure_reason) <= 200`))
    .addColumn('idempotency_key', 'text', (c) =>
      c.notNull().check(sql`idempotency_key ~ '^[A-Za-z0-9_-]{16,100}$'`),
    )
    // The usage month (Asia/Tashkent) this analysis took its unit from, so a final failure gives
    // that unit back to the right month; refunded_at says it was given back (once).
    .addColumn('usage_period', 'date', (c) => c.notNull())
    .addColumn('refunded_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('started_at', 'timestamptz')
    .addColumn('completed_at', 'timestamptz')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addForeignKeyConstraint(
      'analyses_patient_fk',
      ['workspace_id', 'patient_id'],
      'patients',
      ['workspace_id', 'id'],
      (fk) => fk.onDelete('cascade'),
    )
    .addUniqueConstraint('analyses_idempotency_key', ['workspace_id', 'idempotency_key'])
    .addUniqueConstraint('analyses_workspace_id_key', ['workspace_id', 'id'])
    .addCheckConstraint(
      'analyses_report_when_completed',
      sql`(status = 'completed') = (report is not null)`,
    )
    .addCheckConstraint(
      'analyses_reason_when_failed',
      sql`(status = 'failed') = (failure_reason is not null)`,
    )
    .execute();
  // The workspace's list and a patient's analyses, newest first; the author's (spec index).
  await sql`create index analyses_workspace_recent_idx on analyses (workspace_id, created_at desc, id desc)`.execute(
    db,
  );
  await sql`create index analyses_patient_idx on analyses (workspace_id, patient_id, created_at desc, id desc)`.execute(
    db,
  );
  await sql`create index analyses_created_by_idx on analyses (created_by, created_at)`.execute(db);

  // Attachments point at the workspace's own files and analyses only.
  await sql`alter table files add constraint files_workspace_id_key unique (workspace_id, id)`.execute(
    db,
  );
  await db.schema
    .createTable('analysis_files')
    .addColumn('workspace_id', 'uuid', (c) => c.notNull())
    .addColumn('analysis_id', 'uuid', (c) => c.notNull())
    .addColumn('file_id', 'uuid', (c) => c.notNull())
    .addPrimaryKeyConstraint('analysis_files_pkey', ['analysis_id', 'file_id'])
    .addForeignKeyConstraint(
      'analysis_files_analysis_fk',
      ['workspace_id', 'analysis_id'],
      'analyses',
      ['workspace_id', 'id'],
      (fk) => fk.onDelete('cascade'),
    )
    .addForeignKeyConstraint(
      'analysis_files_file_fk',
      ['workspace_id', 'file_id'],
      'files',
      ['workspace_id', 'id'],
      (fk) => fk.onDelete('cascade'),
    )
    .execute();
  await sql`create index analysis_files_file_idx on analysis_files (file_id)`.execute(db);

  await db.schema
    .createTable('analysis_feedback')
    .addColumn('analysis_id', 'uuid', (c) =>
      c.notNull().references('analyses.id').onDelete('cascade'),
    )
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('condition_code', 'text', (c) =>
      c.notNull().check(sql`condition_code ~ '^[A-Z][0-9]{2}(\\.[0-9A-Z]{1,4})?$'`),
    )
    .addColumn('verdict', sql`feedback_verdict`, (c) => c.notNull())
    .addColumn('comment', 'text', (c) => c.check(sql`char_length(comment) <= 1000`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('analysis_feedback_pkey', ['analysis_id', 'user_id', 'condition_code'])
    .execute();

  await db.schema
    .createTable('usage_counters')
    .addColumn('workspace_id', 'uuid', (c) =>
      c.notNull().references('workspaces.id').onDelete('cascade'),
    )
    // The first day of a calendar month in Asia/Tashkent.
    .addColumn('period_start', 'date', (c) =>
      c.notNull().check(sql`extract(day from period_start) = 1`),
    )
    .addColumn('analyses_used', 'integer', (c) =>
      c
        .notNull()
        .defaultTo(0)
        .check(sql`analyses_used >= 0`),
    )
    .addPrimaryKeyConstraint('usage_counters_pkey', ['workspace_id', 'period_start'])
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('usage_counters').execute();
  await db.schema.dropTable('analysis_feedback').execute();
  await db.schema.dropTable('analysis_files').execute();
  await sql`alter table files drop constraint files_workspace_id_key`.execute(db);
  await db.schema.dropTable('analyses').execute();
  await db.schema.dropType('feedback_verdict').execute();
  await db.schema.dropType('analysis_status').execute();
}
