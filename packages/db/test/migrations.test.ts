import { readdirSync } from 'node:fs';
import { NO_MIGRATIONS, sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMigrator, migrateDown, pendingMigrations } from '../src/migrate';
import { migrations } from '../src/migrations/index';
import { createTestDatabase, type TestDatabase } from '../src/testing';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(() => t.drop());

describe('migrations', () => {
  it('are all in the migration list, and the list names only files that exist', () => {
    const files = readdirSync(new URL('../src/migrations/', import.meta.url))
      .filter((f) => f !== 'index.ts')
      .map((f) => f.replace(/\.ts$/, ''));
    expect(Object.keys(migrations).sort()).toEqual(files.sort());
  });

  it('are listed in the order of their dated names', () => {
    const names = Object.keys(migrations);
    expect(names).toEqual([...names].sort());
    for (const n of names) expect(n).toMatch(/^\d{4}-\d{2}-\d{2}T\d{4}_[a-z0-9_]+$/);
  });

  it('leave nothing pending on a cloned database', async () => {
    expect(await pendingMigrations(t.db)).toEqual([]);
  });

  it('seed the three plans with integer tiyin prices and a single trial', async () => {
    const plans = await t.db.selectFrom('plans').selectAll().orderBy('sort_order').execute();
    expect(plans.map((p) => p.code)).toEqual(['trial', 'doctor_monthly', 'clinic_monthly']);
    expect(plans.every((p) => Number.isInteger(p.price_tiyin))).toBe(true);
    expect(plans.find((p) => p.code === 'trial')).toMatchObject({
      duration_days: 7,
      is_trial: true,
      price_tiyin: 0,
    });
    expect(plans.find((p) => p.code === 'clinic_monthly')?.max_analyses_per_month).toBeNull();
  });

  it('enforce constraints in the database itself', async () => {
    const bad = t.db.insertInto('users').values({
      phone: '901234567',
      name: 'Ali Valiyev',
      password_hash: '$argon2id$x',
      role: 'doctor',
      locale: 'uz',
    });
    await expect(bad.execute()).rejects.toMatchObject({ code: '23514' });
    // Enumerations are PostgreSQL enums: a value outside one is invalid input.
    const badRole = sql`insert into users (phone, name, password_hash, role) values ('+998901234567', 'Ali', '$argon2id$x', 'superuser')`;
    await expect(badRole.execute(t.db)).rejects.toMatchObject({ code: '22P02' });
    const trialWithoutEnd = sql`insert into workspaces (name, plan_id, subscription_status) select 'W', id, 'trialing' from plans where code = 'trial'`;
    await expect(trialWithoutEnd.execute(t.db)).rejects.toMatchObject({ code: '23514' });
  });

  it('keep the audit log append-only', async () => {
    await t.db
      .insertInto('audit_log')
      .values({ action: 'auth.login', outcome: 'success' })
      .execute();
    await expect(
      t.db.updateTable('audit_log').set({ outcome: 'failure' }).execute(),
    ).rejects.toThrow(/append-only/);
    await expect(t.db.deleteFrom('audit_log').execute()).rejects.toThrow(/append-only/);
  });

  it('go down and up again cleanly, each down restoring the schema before its up', async () => {
    const scratch = await createTestDatabase();
    try {
      const migrator = createMigrator(scratch.db);
      const names = Object.keys(migrations);
      expect((await migrator.migrateTo(NO_MIGRATIONS)).error).toBeUndefined();
      expect(await tableExists(scratch.db, 'users')).toBe(false);
      for (const name of names) {
        const before = await snapshot(scratch.db);
        expect((await migrator.migrateUp()).results?.map((r) => r.migrationName)).toEqual([name]);
        expect(await migrateDown(scratch.db)).toEqual([name]);
        expect(await snapshot(scratch.db)).toEqual(before);
        expect((await migrator.migrateUp()).error).toBeUndefined();
      }
      expect(await pendingMigrations(scratch.db)).toEqual([]);
      expect(await tableExists(scratch.db, 'users')).toBe(true);
    } finally {
      await scratch.drop();
    }
  });
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function tableExists(db: Kysely<any>, table: string): Promise<boolean> {
  const { rows } = await sql<{ n: number }>`
    select count(*)::int as n from information_schema.tables
    where table_schema = 'public' and table_name = ${table}`.execute(db);
  return rows[0]?.n === 1;
}

/** Columns (with type and default), constraints, indexes and enum types of the public schema. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function snapshot(db: Kysely<any>) {
  const columns = await sql`
    select table_name, column_name, data_type, udt_name, column_default, is_nullable
    from information_schema.columns
    where table_schema = 'public' and table_name not like 'kysely_%'
    order by table_name, column_name`.execute(db);
  const constraints = await sql`
    select conrelid::regclass::text as table, conname, pg_get_constraintdef(c.oid) as def
    from pg_constraint c join pg_namespace n on n.oid = c.connamespace
    where n.nspname = 'public' and conrelid::regclass::text not like 'kysely_%'
    order by 1, 2`.execute(db);
  const indexes = await sql`
    select indexname, indexdef from pg_indexes
    where schemaname = 'public' and tablename not like 'kysely_%' order by 1`.execute(db);
  const types = await sql`
    select t.typname from pg_type t join pg_namespace n on n.oid = t.typnamespace
    where n.nspname = 'public' and t.typtype = 'e' order by 1`.execute(db);
  return {
    columns: columns.rows,
    constraints: constraints.rows,
    indexes: indexes.rows,
    types: types.rows,
  };
}
