import { doctorScope } from '../src/testing';
import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listPatientsInput, type ListPatientsInput } from '@medora/schema';
import { SEARCH_COUNT_CAP } from '../src/patients/queries';
import { patientSearchKey } from '../src/patients/search-key';
import type { DoctorScope } from '../src/scope';
import { coreServices, type CoreHarness } from './services';

// The list's totals: the per-workspace counter rows the database keeps, and the capped count of
// a search, with the two ways a search is paged (exact set, or a dense search off the index).

let h: CoreHarness;

const scopeOf = (d: { userId: string; workspaceId: string }) => doctorScope(d);

beforeAll(async () => {
  h = await coreServices();
});
afterAll(() => h.close());

const list = (s: DoctorScope, input: ListPatientsInput = {}) =>
  h.services.patients.list(s, listPatientsInput.parse(input));

/** What the counter rows must say: a real count of the workspace's patients. */
async function counted(workspaceId: string) {
  const row = await h.t.db
    .selectFrom('patients')
    .select([
      sql<number>`count(*) filter (where archived_at is null)::int`.as('listed'),
      sql<number>`count(*) filter (where archived_at is not null)::int`.as('archived'),
    ])
    .where('workspace_id', '=', workspaceId)
    .executeTakeFirstOrThrow();
  return row;
}

async function counters(workspaceId: string) {
  const row = await h.t.db
    .selectFrom('patient_counts')
    .select(['listed', 'archived'])
    .where('workspace_id', '=', workspaceId)
    .executeTakeFirst();
  return row ?? { listed: 0, archived: 0 };
}

/** Many patients in one statement, as a bulk load would write them. */
async function bulk(s: DoctorScope, n: number, name: (i: number) => [string, string]) {
  const rows = Array.from({ length: n }, (_, i) => {
    const [firstName, lastName] = name(i);
    return {
      workspace_id: s.workspaceId,
      created_by: s.userId,
      first_name: firstName,
      last_name: lastName,
      sex: 'male' as const,
      age_years: 40,
      age_recorded_on: '2026-01-01',
      search_key: patientSearchKey({ firstName, lastName }),
      // Distinct, increasing creation times: the newest-first order is then known.
      created_at: new Date(Date.UTC(2025, 0, 1) + i * 60_000),
    };
  });
  await h.t.db.insertInto('patients').values(rows).execute();
}

describe('the patient counters', () => {
  it('follow every create, archive, restore, edit and delete, in the list total too', async () => {
    const s = scopeOf(await h.make.doctor());
    const other = scopeOf(await h.make.doctor());
    const ids: string[] = [];
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.constantFrom('create', 'archive', 'restore', 'edit', 'delete', 'other'), {
          minLength: 1,
          maxLength: 12,
        }),
        fc.nat(),
        async (steps, pick) => {
          for (const [i, step] of steps.entries()) {
            const id = ids[(pick + i) % Math.max(ids.length, 1)];
            if (step === 'create' || !id) {
              const p = await h.services.patients.create(s, {
                firstName: 'Anvar',
                lastName: `Karimov${ids.length}`,
                sex: 'male',
                ageYears: 40,
              });
              ids.push(p.id);
            } else if (step === 'archive') await h.services.patients.archive(s, id);
            else if (step === 'restore') await h.services.patients.restore(s, id);
            else if (step === 'edit') await h.services.patients.update(s, { id, notes: `n${i}` });
            else if (step === 'delete') {
              await h.t.db.deleteFrom('files').where('patient_id', '=', id).execute();
              await h.t.db.deleteFrom('patients').where('id', '=', id).execute();
              ids.splice(ids.indexOf(id), 1);
            } else
              await h.services.patients.create(other, {
                firstName: 'Zokir',
                lastName: 'Boboyev',
                sex: 'male',
                ageYears: 50,
              });
          }
          const real = await counted(s.workspaceId);
          expect(await counters(s.workspaceId)).toEqual(real);
          expect((await list(s)).total).toBe(real.listed);
          expect((await list(s, { archived: true })).total).toBe(real.archived);
          expect((await list(other)).total).toBe((await counted(other.workspaceId)).listed);
        },
      ),
      { numRuns: 15 },
    );
  });

  it('count a statement that writes many rows across workspaces at once', async () => {
    const a = scopeOf(await h.make.doctor());
    const b = scopeOf(await h.make.doctor());
    await bulk(a, 7, (i) => ['Ali', `Valiyev${i}`]);
    await bulk(b, 3, (i) => ['Ali', `Valiyev${i}`]);
    // One update that archives some of both, and one edit that changes nothing counted.
    await h.t.db
      .updateTable('patients')
      .set({ archived_at: sql`now()` })
      .where('workspace_id', 'in', [a.workspaceId, b.workspaceId])
      .where('last_name', 'in', ['Valiyev0', 'Valiyev1'])
      .execute();
    await h.t.db
      .updateTable('patients')
      .set({ notes: 'seen' })
      .where('workspace_id', '=', a.workspaceId)
      .execute();
    expect(await counters(a.workspaceId)).toEqual({ listed: 5, archived: 2 });
    expect(await counters(b.workspaceId)).toEqual({ listed: 1, archived: 2 });
    await h.t.db.deleteFrom('patients').where('workspace_id', '=', b.workspaceId).execute();
    expect(await counters(b.workspaceId)).toEqual({ listed: 0, archived: 0 });
  });

  it('a workspace without patients lists none and counts zero', async () => {
    const s = scopeOf(await h.make.doctor());
    expect(await list(s)).toEqual({ items: [], total: 0, totalCapped: false, nextCursor: null });
  });
});

describe('a search with more matches than it counts', () => {
  let s: DoctorScope;
  const dense = SEARCH_COUNT_CAP + 30;

  beforeAll(async () => {
    s = scopeOf(await h.make.doctor());
    // Every other patient is an Aliyev: dense, so the search is paged off the ordered index.
    await bulk(s, dense * 2, (i) => (i % 2 ? ['Bobur', 'Aliyev'] : ['Sardor', 'Toshmatov']));
  });

  it('reports the cap and that more match', async () => {
    const page = await list(s, { search: 'aliyev' });
    expect(page.total).toBe(SEARCH_COUNT_CAP);
    expect(page.totalCapped).toBe(true);
    expect(page.items).toHaveLength(20);
    expect(page.items.every((p) => p.lastName === 'Aliyev')).toBe(true);
  });

  it('pages through every match newest first and by name, none twice, none missed', async () => {
    for (const sort of ['recent', 'name'] as const) {
      const seen: string[] = [];
      const created: number[] = [];
      let cursor: string | undefined;
      do {
        const page = await list(s, { search: 'Алиев', sort, limit: 100, cursor });
        expect(page.totalCapped).toBe(true);
        seen.push(...page.items.map((p) => p.id));
        created.push(...page.items.map((p) => p.createdAt.getTime()));
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      expect(seen).toHaveLength(dense);
      expect(new Set(seen).size).toBe(dense);
      if (sort === 'recent') expect(created).toEqual([...created].sort((x, y) => y - x));
    }
  });

  it('counts exactly up to the cap, and pages the exact set in order', async () => {
    const t = scopeOf(await h.make.doctor());
    await bulk(t, SEARCH_COUNT_CAP + 5, (i) =>
      i < SEARCH_COUNT_CAP ? ['Bobur', 'Aliyev'] : ['Sardor', 'Toshmatov'],
    );
    const page = await list(t, { search: 'aliyev', limit: 100 });
    expect(page).toMatchObject({ total: SEARCH_COUNT_CAP, totalCapped: false });
    // Newest first: the 1,000th Aliyev (the last one created) leads.
    const created = page.items.map((p) => p.createdAt.getTime());
    expect(created).toEqual([...created].sort((x, y) => y - x));
    expect(created[0]).toBe(Date.UTC(2025, 0, 1) + (SEARCH_COUNT_CAP - 1) * 60_000);
    // One more match passes the cap.
    await bulk(t, 1, () => ['Bobur', 'Aliyev']);
    expect(await list(t, { search: 'aliyev' })).toMatchObject({
      total: SEARCH_COUNT_CAP,
      totalCapped: true,
    });
  });

  it('a page past the last match still says how many match', async () => {
    const t = scopeOf(await h.make.doctor());
    await bulk(t, 3, () => ['Nodira', 'Yusupova']);
    const first = await list(t, { search: 'yusupova', limit: 2 });
    expect(first.nextCursor).not.toBeNull();
    // The last match leaves the list before the doctor asks for the next page.
    const rest = await list(t, { search: 'yusupova', limit: 2, cursor: first.nextCursor! });
    const lastId = rest.items[0]!.id;
    await h.services.patients.archive(t, lastId);
    const after = await list(t, { search: 'yusupova', limit: 2, cursor: first.nextCursor! });
    expect(after).toEqual({ items: [], total: 2, totalCapped: false, nextCursor: null });
  });
});
