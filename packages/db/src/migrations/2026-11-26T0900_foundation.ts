import { sql, type Kysely } from 'kysely';

// Migrations never import application code: they are frozen history and must run the same in a
// year as today. Only Kysely's schema builder and raw SQL here.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create extension if not exists pgcrypto`.execute(db);

  await db.schema
    .createTable('users')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('phone', 'text', (c) =>
      c
        .notNull()
        .unique()
        .check(sql`phone ~ '^\\+998[0-9]{9}$'`),
    )
    .addColumn('name', 'text', (c) => c.notNull().check(sql`char_length(name) between 2 and 100`))
    .addColumn('password_hash', 'text', (c) =>
      c.notNull().check(sql`password_hash like '$argon2id$%'`),
    )
    .addColumn('role', 'text', (c) =>
      c
        .notNull()
        .defaultTo('doctor')
        .check(sql`role in ('doctor', 'admin')`),
    )
    .addColumn('locale', 'text', (c) =>
      c
        .notNull()
        .defaultTo('uz')
        .check(sql`locale in ('uz', 'ru', 'en')`),
    )
    .addColumn('is_active', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('last_login_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('users_role_idx').on('users').column('role').execute();

  await db.schema
    .createTable('plans')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('code', 'text', (c) =>
      c
        .notNull()
        .unique()
        .check(sql`code ~ '^[a-z][a-z0-9_]{1,39}$'`),
    )
    .addColumn('name_uz', 'text', (c) => c.notNull())
    .addColumn('name_ru', 'text', (c) => c.notNull())
    .addColumn('name_en', 'text', (c) => c.notNull())
    .addColumn('price_tiyin', 'bigint', (c) => c.notNull().check(sql`price_tiyin >= 0`))
    .addColumn('duration_days', 'integer', (c) => c.notNull().check(sql`duration_days > 0`))
    .addColumn('max_analyses_per_month', 'integer', (c) => c.check(sql`max_analyses_per_month > 0`))
    .addColumn('is_trial', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('is_active', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('sort_order', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  // Exactly one trial plan: sign-up needs an unambiguous one.
  await sql`create unique index plans_single_trial_idx on plans (is_trial) where is_trial`.execute(
    db,
  );

  await db
    .insertInto('plans')
    .values([
      {
        code: 'trial',
        name_uz: 'Sinov',
        name_ru: 'Пробный',
        name_en: 'Trial',
        price_tiyin: 0,
        duration_days: 7,
        max_analyses_per_month: 20,
        is_trial: true,
        sort_order: 0,
      },
      {
        code: 'doctor_monthly',
        name_uz: 'Shifokor (oylik)',
        name_ru: 'Врач (месяц)',
        name_en: 'Doctor (monthly)',
        price_tiyin: 9_900_000,
        duration_days: 30,
        max_analyses_per_month: 200,
        is_trial: false,
        sort_order: 10,
      },
      {
        code: 'clinic_monthly',
        name_uz: 'Klinika (oylik)',
        name_ru: 'Клиника (месяц)',
        name_en: 'Clinic (monthly)',
        price_tiyin: 49_900_000,
        duration_days: 30,
        max_analyses_per_month: null,
        is_trial: false,
        sort_order: 20,
      },
    ])
    .execute();

  await db.schema
    .createTable('workspaces')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('name', 'text', (c) => c.notNull().check(sql`char_length(name) between 1 and 200`))
    .addColumn('kind', 'text', (c) =>
      c
        .notNull()
        .defaultTo('personal')
        .check(sql`kind in ('personal', 'clinic')`),
    )
    .addColumn('plan_id', 'uuid', (c) => c.notNull().references('plans.id').onDelete('restrict'))
    .addColumn('subscription_status', 'text', (c) =>
      c.notNull().check(sql`subscription_status in ('trialing', 'active', 'expired', 'canceled')`),
    )
    .addColumn('trial_ends_at', 'timestamptz')
    .addColumn('current_period_end', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint(
      'workspaces_trial_has_end',
      sql`subscription_status <> 'trialing' or trial_ends_at is not null`,
    )
    .addCheckConstraint(
      'workspaces_active_has_end',
      sql`subscription_status <> 'active' or current_period_end is not null`,
    )
    .execute();
  await db.schema
    .createIndex('workspaces_status_period_idx')
    .on('workspaces')
    .columns(['subscription_status', 'current_period_end'])
    .execute();
  await db.schema
    .createIndex('workspaces_status_trial_idx')
    .on('workspaces')
    .columns(['subscription_status', 'trial_ends_at'])
    .execute();

  await db.schema
    .createTable('workspace_members')
    .addColumn('workspace_id', 'uuid', (c) =>
      c.notNull().references('workspaces.id').onDelete('cascade'),
    )
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('owner', 'doctor')`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('workspace_members_pk', ['workspace_id', 'user_id'])
    .execute();
  await db.schema
    .createIndex('workspace_members_user_idx')
    .on('workspace_members')
    .column('user_id')
    .execute();

  // One row per refresh token. A login starts a family; every refresh replaces the live row with
  // a new one in the same family, so a replayed old token is recognisable and kills the family.
  await db.schema
    .createTable('sessions')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('family_id', 'uuid', (c) => c.notNull())
    .addColumn('refresh_token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('family_started_at', 'timestamptz', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('replaced_at', 'timestamptz')
    .addColumn('revoked_at', 'timestamptz')
    .addColumn('revoked_reason', 'text', (c) =>
      c.check(
        sql`revoked_reason in ('logout', 'user_revoked', 'password_changed', 'session_cap', 'token_reuse', 'admin')`,
      ),
    )
    .addColumn('user_agent', 'text', (c) => c.check(sql`char_length(user_agent) <= 512`))
    .addColumn('ip', 'text', (c) => c.check(sql`char_length(ip) <= 64`))
    .addCheckConstraint(
      'sessions_revocation_reason',
      sql`(revoked_at is null) = (revoked_reason is null)`,
    )
    .execute();
  await db.schema.createIndex('sessions_family_idx').on('sessions').column('family_id').execute();
  await sql`create index sessions_user_live_idx on sessions (user_id, family_started_at) where revoked_at is null and replaced_at is null`.execute(
    db,
  );
  // At most one live token per family, whatever the application does.
  await sql`create unique index sessions_one_live_per_family_idx on sessions (family_id) where revoked_at is null and replaced_at is null`.execute(
    db,
  );

  await db.schema
    .createTable('audit_log')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    // No foreign keys: the trail must outlive the rows it speaks of.
    .addColumn('actor_user_id', 'uuid')
    .addColumn('actor_role', 'text', (c) =>
      c.check(sql`actor_role in ('doctor', 'admin', 'system', 'anonymous')`),
    )
    .addColumn('workspace_id', 'uuid')
    .addColumn('action', 'text', (c) => c.notNull().check(sql`action ~ '^[a-z_]+(\\.[a-z_]+)+$'`))
    .addColumn('entity_type', 'text')
    .addColumn('entity_id', 'text')
    .addColumn('outcome', 'text', (c) =>
      c.notNull().check(sql`outcome in ('success', 'failure', 'denied')`),
    )
    .addColumn('ip', 'text')
    .addColumn('request_id', 'text')
    .addColumn('meta', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .execute();
  await db.schema
    .createIndex('audit_log_actor_at_idx')
    .on('audit_log')
    .columns(['actor_user_id', 'at'])
    .execute();
  await db.schema
    .createIndex('audit_log_workspace_at_idx')
    .on('audit_log')
    .columns(['workspace_id', 'at'])
    .execute();
  await db.schema
    .createIndex('audit_log_action_at_idx')
    .on('audit_log')
    .columns(['action', 'at'])
    .execute();
  await sql`
    create function audit_log_append_only() returns trigger language plpgsql as $$
    begin
      raise exception 'audit_log is append-only';
    end $$`.execute(db);
  await sql`
    create trigger audit_log_no_update_delete before update or delete on audit_log
    for each row execute function audit_log_append_only()`.execute(db);

  await db.schema
    .createTable('worker_heartbeats')
    .addColumn('worker_id', 'text', (c) => c.primaryKey())
    .addColumn('beat_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('started_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('version', 'text', (c) => c.notNull())
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('worker_heartbeats').execute();
  await db.schema.dropTable('audit_log').execute();
  await sql`drop function audit_log_append_only()`.execute(db);
  await db.schema.dropTable('sessions').execute();
  await db.schema.dropTable('workspace_members').execute();
  await db.schema.dropTable('workspaces').execute();
  await db.schema.dropTable('plans').execute();
  await db.schema.dropTable('users').execute();
}
