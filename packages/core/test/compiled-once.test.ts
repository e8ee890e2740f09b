import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compiledOnce, type Executor } from '../src/db';
import { createTestDatabase, factories, type TestDatabase } from '../src/testing';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(() => t?.drop());

const byPhoneAndName = (db: Executor, phone: string, name: string) =>
  db
    .selectFrom('users')
    .select(['id', 'name'])
    .select(sql<number>`${7}::int`.as('seven'))
    .where('phone', '=', phone)
    .where('name', '=', name)
    .orderBy('id');

describe('compiledOnce', () => {
  it('answers every call as the builder would, compiling the SQL once', async () => {
    const f = factories(t.db);
    const a = await f.doctor({ name: 'Aziza Rahimova' });
    const b = await f.doctor({ name: 'Bobur Nazarov' });
    let builds = 0;
    const query = compiledOnce(2, (db: Executor, phone: string, name: string) => {
      builds++;
      return byPhoneAndName(db, phone, name);
    });
    for (const [phone, name] of [
      [a.phone, 'Aziza Rahimova'],
      [b.phone, 'Bobur Nazarov'],
      [a.phone, 'Bobur Nazarov'],
      [b.phone, "O'Reilly; drop table users --"],
    ] as const) {
      const expected = await byPhoneAndName(t.db, phone, name).execute();
      expect(await query(t.db, phone, name)).toEqual(expected);
      await t.db.transaction().execute(async (trx) => {
        expect(await query(trx, phone, name)).toEqual(expected);
      });
    }
    expect((await query(t.db, a.phone, 'Aziza Rahimova')).map((r) => r.id)).toEqual([a.userId]);
    expect(builds).toBe(1);
  });

  it('refuses a query that leaves a parameter out of its SQL', async () => {
    const query = compiledOnce(2, (db: Executor, phone: string, _name: string) =>
      db.selectFrom('users').select('id').where('phone', '=', phone),
    );
    await expect(query(t.db, '+998901234567', 'x')).rejects.toThrow(/1 parameter\(s\) missing/);
  });
});
