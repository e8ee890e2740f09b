import type { ListPatients, PatientSex } from '@medora/schema';
import { sql, type Expression, type SelectQueryBuilder, type SqlBool } from 'kysely';
import { z } from 'zod';
import {
  compiledOnce,
  type Executor,
  type NewRow,
  type Row,
  type RowUpdate,
  type Trx,
} from '../db';
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

/** Searches count their matches up to this many; beyond it the total is "1,000 or more". */
export const SEARCH_COUNT_CAP = 1000;

export type PatientPage = {
  rows: (PatientSummaryRow & { cursor_at: string })[];
  total: number;
  /** True when more than `total` patients match (a search that reached the cap). */
  totalCapped: boolean;
  nextCursor: string | null;
};

/**
 * A page of the workspace's patients and how many match. Without a search the total is the
 * workspace's counter row (kept by triggers, see the patient_counts migration). A search word
 * is first expanded to the workspace's name words it starts or resembles (`nameWordsLike`, over
 * the small dictionary of the patient_name_words migration); each word must then match one of
 * its expansions, exactly, by array overlap on `search_words`. A number matches phone digits in
 * `search_key` (trigram `like`). The search is planned by hand in two steps, because GIN
 * selectivity is only guessed: left alone, the planner sometimes walks the newest-first index and
 * rechecks row after row for a rare name (a 12 ms search became 326 ms when a new ANALYZE sample
 * changed the guess).
 *  1. Up to 1,001 matches through the GIN indexes only (bitmap scan, no ordered walk), sorted
 *     and paged from that set: exact and cheap whenever a search matches at most 1,000 patients.
 *  2. A search that matches more is dense, so walking the ordered index finds a page within a
 *     few hundred rows; the total is then reported as capped.
 * Words are folded to [a-z0-9] and digits to [0-9], so no `like` wildcard can reach a pattern.
 */
export async function listPatients(
  trx: Trx,
  scope: TenantScope,
  input: ListPatients,
): Promise<PatientPage> {
  const terms = input.search ? searchTerms(input.search) : { words: [], digits: null };
  // A search that folds to nothing (only punctuation) matches nothing rather than everything.
  if (input.search && !terms.digits && terms.words.length === 0)
    return { rows: [], total: 0, totalCapped: false, nextCursor: null };

  let base = trx
    .selectFrom('patients')
    .where('workspace_id', '=', scope.workspaceId)
    .where('archived_at', input.archived ? 'is not' : 'is', null);
  if (terms.digits) base = base.where('search_key', 'like', `% %${terms.digits}%`);
  for (const word of terms.words) {
    const names = await nameWordsLike(trx, scope, word);
    if (names.length === 0) return { rows: [], total: 0, totalCapped: false, nextCursor: null };
    base = base.where(sql<SqlBool>`search_words && ${sql.val(names)}::text[]`);
  }
  const order: PageOrder = input.archived ? 'archived' : input.sort;
  const limit = input.limit;

  if (!input.search) {
    const [rows, [counts]] = await Promise.all([
      input.cursor
        ? pageQuery(base.select([...SUMMARY]), order, input.cursor, limit + 1).execute()
        : firstPages[order](trx, scope.workspaceId, limit + 1),
      countsQuery(trx, scope.workspaceId),
    ]);
    const total = (input.archived ? counts?.archived : counts?.listed) ?? 0;
    return { ...pageOf(rows, order, limit), total, totalCapped: false };
  }

  // Step 1: the capped set of matches, through the trigram index only.
  const capped = () =>
    trx.with(
      (cte) => cte('matches').materialized(),
      () => base.select([...SUMMARY]).limit(SEARCH_COUNT_CAP + 1),
    );
  const found = await withPlanner(trx, BITMAP_ONLY, () =>
    capped()
      .selectFrom('matches')
      .selectAll()
      .select(sql<string>`(select count(*) from matches)`.as('n'))
      .$call((q) => pageQuery(q, order, input.cursor, limit + 1))
      .execute(),
  );
  // The count rides on every row; a page past the last match (its rows archived since) has none.
  const n = found[0]
    ? Number(found[0].n)
    : input.cursor
      ? await withPlanner(trx, BITMAP_ONLY, async () => {
          const row = await capped()
            .selectFrom('matches')
            .select((eb) => eb.fn.countAll<string>().as('n'))
            .executeTakeFirstOrThrow();
          return Number(row.n);
        })
      : 0;
  if (n <= SEARCH_COUNT_CAP) {
    const rows = found.map(({ n: _count, ...row }) => row);
    return { ...pageOf(rows, order, limit), total: n, totalCapped: false };
  }
  // Step 2: a dense search, paged off the ordered index.
  const rows = await withPlanner(trx, { enable_bitmapscan: 'off' }, () =>
    pageQuery(base.select([...SUMMARY]), order, input.cursor, limit + 1).execute(),
  );
  return { ...pageOf(rows, order, limit), total: SEARCH_COUNT_CAP, totalCapped: true };
}

/**
 * The workspace's name words that a search word stands for: those it starts (a range of the
 * dictionary's btree, "C" collation over [a-z0-9]) and those it resembles by trigram word
 * similarity (`<%`, pg_trgm's threshold). The dictionary holds a few thousand words where the
 * workspace holds 100,000 patients, so the fuzzy part never runs on patients.
 */
async function nameWordsLike(trx: Trx, scope: TenantScope, word: string): Promise<string[]> {
  const rows = await trx
    .selectFrom('patient_name_words')
    .select('word')
    .where('workspace_id', '=', scope.workspaceId)
    .where((eb) =>
      eb.or([
        eb.and([eb('word', '>=', word), eb('word', '<', `${word}~`)]),
        sql<SqlBool>`${word} <% word` as Expression<SqlBool>,
      ]),
    )
    .execute();
  return rows.map((r) => r.word);
}

/** Index only: no ordered index walk, no sequential scan of the workspace. */
const BITMAP_ONLY = { enable_indexscan: 'off', enable_seqscan: 'off' } as const;

type PageOrder = 'recent' | 'name' | 'archived';

/** The keyset page (one row more than asked, to know whether another page follows). */
/** `fetch`: the page's size plus one, which says whether there is a next page. */
function pageQuery<DB, TB extends keyof DB, O extends PatientSummaryRow>(
  query: SelectQueryBuilder<DB, TB, O>,
  order: PageOrder,
  cursor: string | undefined,
  fetch: number,
) {
  const column = order === 'archived' ? 'archived_at' : 'created_at';
  let page = query.select(
    order === 'name'
      ? sql<string>`''`.as('cursor_at')
      : sql<string>`${sql.ref(column)}::text`.as('cursor_at'),
  );
  if (order === 'name') {
    if (cursor) {
      const [last, first, id] = decodeCursor(cursor, nameCursor);
      page = page.where(
        sql<SqlBool>`(last_name, first_name, id) > (${last}, ${first}, ${id}::uuid)`,
      );
    }
    return page
      .orderBy(sql.ref('last_name'))
      .orderBy(sql.ref('first_name'))
      .orderBy(sql.ref('id'))
      .limit(fetch);
  }
  if (cursor) {
    const [at, id] = decodeCursor(cursor, recentCursor);
    page = page.where(sql<SqlBool>`(${sql.ref(column)}, id) < (${at}::timestamptz, ${id}::uuid)`);
  }
  return page.orderBy(sql.ref(column), 'desc').orderBy(sql.ref('id'), 'desc').limit(fetch);
}

// The first page of each order without a search, and the counter row, compiled once: opening
// the patients page asks for them every time.
const firstPage = (order: PageOrder) =>
  compiledOnce(2, (db: Executor, workspaceId: string, fetch: number) =>
    pageQuery(
      db
        .selectFrom('patients')
        .where('workspace_id', '=', workspaceId)
        .where('archived_at', order === 'archived' ? 'is not' : 'is', null)
        .select([...SUMMARY]),
      order,
      undefined,
      fetch,
    ),
  );
const firstPages = {
  recent: firstPage('recent'),
  name: firstPage('name'),
  archived: firstPage('archived'),
};
const countsQuery = compiledOnce(1, (db: Executor, workspaceId: string) =>
  db
    .selectFrom('patient_counts')
    .select(['listed', 'archived'])
    .where('workspace_id', '=', workspaceId),
);

function pageOf<R extends PatientSummaryRow & { cursor_at: string }>(
  rows: R[],
  order: PageOrder,
  limit: number,
) {
  const more = rows.length > limit;
  const items = more ? rows.slice(0, limit) : rows;
  const last = items.at(-1);
  const nextCursor =
    more && last
      ? encodeCursor(
          order === 'name' ? [last.last_name, last.first_name, last.id] : [last.cursor_at, last.id],
        )
      : null;
  return { rows: items, nextCursor };
}

type PlannerSetting = 'enable_indexscan' | 'enable_seqscan' | 'enable_bitmapscan';

/**
 * Runs one query with planner switches set for this transaction only (`set_config(…, true)`),
 * then puts them back, so the rest of the transaction plans as usual.
 */
async function withPlanner<T>(
  trx: Trx,
  settings: Partial<Record<PlannerSetting, 'on' | 'off'>>,
  run: () => Promise<T>,
): Promise<T> {
  const names = Object.keys(settings) as PlannerSetting[];
  const set = (value: (name: PlannerSetting) => string) =>
    sql`select ${sql.join(names.map((name) => sql`set_config(${name}, ${value(name)}, true)`))}`.execute(
      trx,
    );
  await set((name) => settings[name]!);
  try {
    return await run();
  } finally {
    await set(() => 'on');
  }
}
