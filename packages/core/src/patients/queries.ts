import type { ListPatients, PatientSex } from '@medora/schema';
import { sql, type Expression, type SqlBool } from 'kysely';
import { z } from 'zod';
import type { Executor, NewRow, Row, RowUpdate, Trx } from '../db';
import { decodeCursor, encodeCursor, pgTimestamp, uuidValue } from '../pagination/cursor';
import type { TenantScope } from '../scope';
import { searchTerms } from './search-key';

// Every query here takes the caller's TenantScope and filters on its workspace: a patient id from
// another workspace simply matches no row.

export type PatientRow = Row<'patients'>;

const SUMMARY = [
  'id',
  'first_name',
  'last_name',
  'middle_name',
  'birth_date',
  'age_years',
  'age_recorded_on',
  'sex',
  'phone',
  'archived_at',
  'created_at',
] as const;
export type PatientSummaryRow = Pick<PatientRow, (typeof SUMMARY)[number]>;

export function findPatient(db: Executor, scope: TenantScope, id: string) {
  return db
    .selectFrom('patients')
    .selectAll()
    .where('workspace_id', '=', scope.workspaceId)
    .where('id', '=', id)
    .executeTakeFirst();
}

/** Locks the patient row for the rest of the transaction (updates and attachments). */
export function lockPatient(trx: Trx, scope: TenantScope, id: string) {
  return trx
    .selectFrom('patients')
    .selectAll()
    .where('workspace_id', '=', scope.workspaceId)
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
}

export type PatientValues = Omit<
  NewRow<'patients'>,
  'id' | 'workspace_id' | 'created_by' | 'created_at' | 'updated_at' | 'archived_at'
> & { sex: PatientSex };

export function insertPatient(
  trx: Trx,
  scope: TenantScope & { userId: string },
  values: PatientValues,
) {
  return trx
    .insertInto('patients')
    .values({ ...values, workspace_id: scope.workspaceId, created_by: scope.userId })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function updatePatient(
  trx: Trx,
  scope: TenantScope,
  id: string,
  changes: Omit<RowUpdate<'patients'>, 'id' | 'workspace_id' | 'created_by' | 'created_at'>,
) {
  return trx
    .updateTable('patients')
    .set({ ...changes, updated_at: sql`now()` })
    .where('workspace_id', '=', scope.workspaceId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
}

/** Archives (or restores) a patient unless it already is; undefined when nothing changed. */
export function setArchived(trx: Trx, scope: TenantScope, id: string, archived: boolean) {
  return trx
    .updateTable('patients')
    .set({ archived_at: archived ? sql`now()` : null, updated_at: sql`now()` })
    .where('workspace_id', '=', scope.workspaceId)
    .where('id', '=', id)
    .where('archived_at', archived ? 'is' : 'is not', null)
    .returningAll()
    .executeTakeFirst();
}

const recentCursor = z.tuple([pgTimestamp, uuidValue]);
const nameCursor = z.tuple([z.string(), z.string(), uuidValue]);

/**
 * A page of the workspace's patients and the number that match. Each search word must match a
 * name word by its start (`like`) or by trigram word similarity (`<%`); a number matches phone
 * digits. Both forms use the (workspace_id, search_key) trigram index. Search words are folded
 * to [a-z0-9] and digits to [0-9], so no `like` wildcard can reach a pattern.
 */
export async function listPatients(
  db: Executor,
  scope: TenantScope,
  input: ListPatients,
): Promise<{
  rows: (PatientSummaryRow & { cursor_at: string })[];
  total: number;
  nextCursor: string | null;
}> {
  const terms = input.search ? searchTerms(input.search) : { words: [], digits: null };
  let base = db
    .selectFrom('patients')
    .where('workspace_id', '=', scope.workspaceId)
    .where('archived_at', input.archived ? 'is not' : 'is', null);
  if (terms.digits) base = base.where('search_key', 'like', `% %${terms.digits}%`);
  for (const word of terms.words) {
    base = base.where((eb) =>
      eb.or([
        eb('search_key', 'like', `% ${word}%`),
        sql<SqlBool>`${word} <% search_key` as Expression<SqlBool>,
      ]),
    );
  }
  // A search that folds to nothing (only punctuation) matches nothing rather than everything.
  if (input.search && !terms.digits && terms.words.length === 0)
    return { rows: [], total: 0, nextCursor: null };

  const order = input.archived ? 'archived' : input.sort;
  const column = order === 'archived' ? 'archived_at' : 'created_at';
  let page = base
    .select([...SUMMARY])
    .select(
      order === 'name'
        ? sql<string>`''`.as('cursor_at')
        : sql<string>`${sql.ref(column)}::text`.as('cursor_at'),
    );
  if (order === 'name') {
    if (input.cursor) {
      const [last, first, id] = decodeCursor(input.cursor, nameCursor);
      page = page.where(
        sql<SqlBool>`(last_name, first_name, id) > (${last}, ${first}, ${id}::uuid)`,
      );
    }
    page = page.orderBy('last_name').orderBy('first_name').orderBy('id');
  } else {
    if (input.cursor) {
      const [at, id] = decodeCursor(input.cursor, recentCursor);
      page = page.where(sql<SqlBool>`(${sql.ref(column)}, id) < (${at}::timestamptz, ${id}::uuid)`);
    }
    page = page.orderBy(column, 'desc').orderBy('id', 'desc');
  }
  const [rows, count] = await Promise.all([
    page.limit(input.limit + 1).execute(),
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  const more = rows.length > input.limit;
  const items = more ? rows.slice(0, input.limit) : rows;
  const last = items.at(-1);
  const nextCursor =
    more && last
      ? encodeCursor(
          order === 'name' ? [last.last_name, last.first_name, last.id] : [last.cursor_at, last.id],
        )
      : null;
  return { rows: items, total: Number(count.n), nextCursor };
}
