import { sql, type Kysely } from 'kysely';

// Text columns limited by a CHECK become PostgreSQL enums, so the set of values is declared once in
// the database and the generated types name it. The values are written out here, not imported:
// a migration is frozen history. A test compares every enum with its list in @medora/schema.

interface EnumColumn {
  table: string;
  column: string;
  default?: string;
}

const enums: { type: string; values: string[]; columns: EnumColumn[] }[] = [
  {
    type: 'user_role',
    values: ['doctor', 'admin'],
    columns: [{ table: 'users', column: 'role', default: 'doctor' }],
  },
  {
    type: 'locale',
    values: ['uz', 'ru', 'en'],
    columns: [{ table: 'users', column: 'locale', default: 'uz' }],
  },
  {
    type: 'workspace_kind',
    values: ['personal', 'clinic'],
    columns: [{ table: 'workspaces', column: 'kind', default: 'personal' }],
  },
  {
    type: 'subscription_status',
    values: ['trialing', 'active', 'expired', 'canceled'],
    columns: [{ table: 'workspaces', column: 'subscription_status' }],
  },
  {
    type: 'workspace_member_role',
    values: ['owner', 'doctor'],
    columns: [{ table: 'workspace_members', column: 'role' }],
  },
  {
    type: 'session_revoke_reason',
    values: ['logout', 'user_revoked', 'password_changed', 'session_cap', 'token_reuse', 'admin'],
    columns: [{ table: 'sessions', column: 'revoked_reason' }],
  },
  {
    type: 'audit_outcome',
    values: ['success', 'failure', 'denied'],
    columns: [{ table: 'audit_log', column: 'outcome' }],
  },
  {
    type: 'audit_actor_role',
    values: ['doctor', 'admin', 'system', 'anonymous'],
    columns: [{ table: 'audit_log', column: 'actor_role' }],
  },
];

// These compare subscription_status with text literals; a text comparison does not survive the
// type change, so they are dropped first and added again, unchanged, afterwards.
const statusChecks = [
  {
    name: 'workspaces_trial_has_end',
    check: sql`subscription_status <> 'trialing' or trial_ends_at is not null`,
  },
  {
    name: 'workspaces_active_has_end',
    check: sql`subscription_status <> 'active' or current_period_end is not null`,
  },
];

// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function dropStatusChecks(db: Kysely<any>): Promise<void> {
  for (const { name } of statusChecks)
    await db.schema.alterTable('workspaces').dropConstraint(name).execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function addStatusChecks(db: Kysely<any>): Promise<void> {
  for (const { name, check } of statusChecks)
    await db.schema.alterTable('workspaces').addCheckConstraint(name, check).execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await dropStatusChecks(db);
  for (const e of enums) {
    await db.schema.createType(e.type).asEnum(e.values).execute();
    for (const c of e.columns) {
      const table = sql.id(c.table);
      const column = sql.id(c.column);
      await sql`alter table ${table} drop constraint ${sql.id(`${c.table}_${c.column}_check`)}`.execute(
        db,
      );
      if (c.default !== undefined)
        await sql`alter table ${table} alter column ${column} drop default`.execute(db);
      await sql`alter table ${table} alter column ${column} type ${sql.id(e.type)} using ${column}::${sql.id(e.type)}`.execute(
        db,
      );
      if (c.default !== undefined)
        await sql`alter table ${table} alter column ${column} set default ${sql.lit(c.default)}`.execute(
          db,
        );
    }
  }
  await addStatusChecks(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await dropStatusChecks(db);
  for (const e of [...enums].reverse()) {
    for (const c of e.columns) {
      const table = sql.id(c.table);
      const column = sql.id(c.column);
      if (c.default !== undefined)
        await sql`alter table ${table} alter column ${column} drop default`.execute(db);
      await sql`alter table ${table} alter column ${column} type text using ${column}::text`.execute(
        db,
      );
      if (c.default !== undefined)
        await sql`alter table ${table} alter column ${column} set default ${sql.lit(c.default)}`.execute(
          db,
        );
      const allowed = sql.join(e.values.map((v) => sql.lit(v)));
      await sql`alter table ${table} add constraint ${sql.id(`${c.table}_${c.column}_check`)} check (${column} in (${allowed}))`.execute(
        db,
      );
    }
    await db.schema.dropType(e.type).execute();
  }
  await addStatusChecks(db);
}
