import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateDown, migrateToLatest, pendingMigrations } from '../src/migrate';
import { createTestDatabase, type TestDatabase } from '../src/testing';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(() => t.drop());

describe('migrations', () => {
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
    const badRole = sql`insert into users (phone, name, password_hash, role) values ('+998901234567', 'Ali', '$argon2id$x', 'superuser')`;
    await expect(badRole.execute(t.db)).rejects.toMatchObject({ code: '23514' });
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

  it('go down and up again cleanly', async () => {
    const scratch = await createTestDatabase();
    try {
      expect(await migrateDown(scratch.db)).toEqual(['2026-11-26T0900_foundation']);
      const { rows } = await sql<{
        n: number;
      }>`select count(*)::int as n from information_schema.tables where table_schema = 'public' and table_name = 'users'`.execute(
        scratch.db,
      );
      expect(rows[0]?.n).toBe(0);
      expect(await migrateToLatest(scratch.db)).toEqual(['2026-11-26T0900_foundation']);
    } finally {
      await scratch.drop();
    }
  });
});
