import type { AnalysisStatus, FeedbackVerdict } from '@medora/schema';
import { sql, type SqlBool } from 'kysely';
import { z } from 'zod';
import type { Executor, Trx } from '../db';
import { decodeCursor, encodeCursor, pgTimestamp, uuidValue } from '../pagination/cursor';
import type { TenantScope } from '../scope';

// Tenant queries filter on the caller's workspace; the worker's queries (by analysis id only)
// are marked as such and are never reachable from a request.

const COLUMNS = [
  'a.id',
  'a.workspace_id',
  'a.patient_id',
  'a.created_by',
  'a.status',
  'a.input',
  'a.report',
  'a.enrichment',
  'a.enrichment_failure',
  'a.engine',
  'a.failure_reason',
  'a.usage_period',
  'a.refunded_at',
  'a.created_at',
  'a.completed_at',
] as const;

export function findAnalysis(db: Executor, scope: TenantScope, id: string) {
  return db
    .selectFrom('analyses as a')
    .innerJoin('users as u', 'u.id', 'a.created_by')
    .select([...COLUMNS, 'u.name as author_name'])
    .where('a.workspace_id', '=', scope.workspaceId)
    .where('a.id', '=', id)
    .executeTakeFirst();
}
export type AnalysisRow = NonNullable<Awaited<ReturnType<typeof findAnalysis>>>;

/**
 * The status alone, for the live view's read on every notice: no input, report or author, whose
 * JSON would be fetched and parsed for nothing between a completion's commit and its SSE frame.
 */
export function findStatus(db: Executor, scope: TenantScope, id: string) {
  return db
    .selectFrom('analyses')
    .select(['id', 'status', 'failure_reason'])
    .where('workspace_id', '=', scope.workspaceId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export function findByIdempotencyKey(db: Executor, scope: TenantScope, key: string) {
  return db
    .selectFrom('analyses')
    .select('id')
    .where('workspace_id', '=', scope.workspaceId)
    .where('idempotency_key', '=', key)
    .executeTakeFirst();
}

/** Inserts the queued analysis; undefined when the workspace already used this key. */
export function insertAnalysis(
  trx: Trx,
  scope: TenantScope & { userId: string },
  values: { patientId: string; input: unknown; idempotencyKey: string; usagePeriod: string },
) {
  return trx
    .insertInto('analyses')
    .values({
      workspace_id: scope.workspaceId,
      patient_id: values.patientId,
      created_by: scope.userId,
      input: JSON.stringify(values.input),
      idempotency_key: values.idempotencyKey,
      usage_period: values.usagePeriod,
    })
    .onConflict((oc) => oc.constraint('analyses_idempotency_key').doNothing())
    .returning('id')
    .executeTakeFirst();
}

/** Links the patient's own attachments; returns how many of the ids were such files. */
export async function attachFiles(
  trx: Trx,
  scope: TenantScope,
  analysisId: string,
  patientId: string,
  fileIds: string[],
): Promise<number> {
  if (fileIds.length === 0) return 0;
  const rows = await trx
    .insertInto('analysis_files')
    .columns(['workspace_id', 'analysis_id', 'file_id'])
    .expression((eb) =>
      eb
        .selectFrom('files')
        .select([
          'workspace_id',
          sql<string>`${analysisId}::uuid`.as('analysis_id'),
          'id as file_id',
        ])
        .where('workspace_id', '=', scope.workspaceId)
        .where('patient_id', '=', patientId)
        .where('purpose', '=', 'attachment')
        .where('id', 'in', fileIds),
    )
    .returning('file_id')
    .execute();
  return rows.length;
}

export function analysisFiles(db: Executor, scope: TenantScope, analysisId: string) {
  return db
    .selectFrom('analysis_files as af')
    .innerJoin('files as f', (j) =>
      j.onRef('f.id', '=', 'af.file_id').onRef('f.workspace_id', '=', 'af.workspace_id'),
    )
    .innerJoin('users as u', 'u.id', 'f.uploaded_by')
    .select([
      'f.id',
      'f.name',
      'f.mime',
      'f.size',
      'f.sha256',
      'f.purpose',
      'f.patient_id',
      'f.uploaded_by',
      'u.name as uploader_name',
      'f.created_at',
    ])
    .where('af.workspace_id', '=', scope.workspaceId)
    .where('af.analysis_id', '=', analysisId)
    .orderBy('f.created_at', 'desc')
    .orderBy('f.id', 'desc')
    .execute();
}

export function feedbackOf(db: Executor, analysisId: string, userId: string) {
  return db
    .selectFrom('analysis_feedback')
    .select(['condition_code', 'verdict', 'comment', 'updated_at'])
    .where('analysis_id', '=', analysisId)
    .where('user_id', '=', userId)
    .orderBy('condition_code')
    .execute();
}

/** One doctor's verdict on one condition of a report: written again, it replaces the last. */
export function upsertFeedback(
  trx: Trx,
  values: {
    analysisId: string;
    userId: string;
    conditionCode: string;
    verdict: FeedbackVerdict;
    comment: string | null;
  },
) {
  return trx
    .insertInto('analysis_feedback')
    .values({
      analysis_id: values.analysisId,
      user_id: values.userId,
      condition_code: values.conditionCode,
      verdict: values.verdict,
      comment: values.comment,
    })
    .onConflict((oc) =>
      oc.columns(['analysis_id', 'user_id', 'condition_code']).doUpdateSet({
        verdict: values.verdict,
        comment: values.comment,
        updated_at: sql`now()`,
      }),
    )
    .execute();
}

const listCursor = z.tuple([pgTimestamp, uuidValue]);

/**
 * A page of the workspace's analyses (of one patient when asked), newest first, with what the
 * list shows — the patient's and the author's names and the report's headline — from one query.
 */
export async function listAnalyses(
  db: Executor,
  scope: TenantScope,
  input: { patientId?: string; cursor?: string; limit: number },
) {
  let q = db
    .selectFrom('analyses as a')
    .innerJoin('patients as p', (j) =>
      j.onRef('p.id', '=', 'a.patient_id').onRef('p.workspace_id', '=', 'a.workspace_id'),
    )
    .innerJoin('users as u', 'u.id', 'a.created_by')
    .select([
      'a.id',
      'a.status',
      'a.patient_id',
      'p.first_name',
      'p.last_name',
      'a.created_by',
      'u.name as author_name',
      'a.created_at',
      'a.completed_at',
      sql<string>`a.created_at::text`.as('cursor_at'),
      sql<{
        code: string;
        name: string;
        score: number;
      } | null>`a.report -> 'differential' -> 0`.as('top'),
      sql<number>`coalesce(jsonb_array_length(a.report -> 'redFlags'), 0)`.as('red_flags'),
      sql<number>`jsonb_array_length(a.input -> 'labs')`.as('labs'),
    ])
    .where('a.workspace_id', '=', scope.workspaceId);
  if (input.patientId) q = q.where('a.patient_id', '=', input.patientId);
  if (input.cursor) {
    const [at, id] = decodeCursor(input.cursor, listCursor);
    q = q.where(sql<SqlBool>`(a.created_at, a.id) < (${at}::timestamptz, ${id}::uuid)`);
  }
  const rows = await q
    .orderBy('a.created_at', 'desc')
    .orderBy('a.id', 'desc')
    .limit(input.limit + 1)
    .execute();
  const more = rows.length > input.limit;
  const items = more ? rows.slice(0, input.limit) : rows;
  const last = items.at(-1);
  return {
    rows: items,
    nextCursor: more && last ? encodeCursor([last.cursor_at, last.id]) : null,
  };
}

export async function workspaceStats(db: Executor, scope: TenantScope) {
  const totals = await db
    .selectFrom('analyses')
    .select([
      sql<number>`count(*)::int`.as('total'),
      sql<number>`(count(*) filter (where created_at >=
        (date_trunc('month', now() at time zone 'Asia/Tashkent')::timestamp
          at time zone 'Asia/Tashkent')))::int`.as('this_month'),
    ])
    .where('workspace_id', '=', scope.workspaceId)
    .executeTakeFirstOrThrow();
  // The conditions ranked first in completed reports, most frequent first.
  const top = await db
    .selectFrom('analyses')
    .select([
      sql<string>`report -> 'differential' -> 0 ->> 'code'`.as('code'),
      sql<string>`min(report -> 'differential' -> 0 ->> 'name')`.as('name'),
      sql<number>`count(*)::int`.as('count'),
    ])
    .where('workspace_id', '=', scope.workspaceId)
    .where('status', '=', 'completed')
    .where(sql<SqlBool>`jsonb_array_length(report -> 'differential') > 0`)
    .groupBy(sql`report -> 'differential' -> 0 ->> 'code'`)
    .orderBy('count', 'desc')
    .orderBy('code')
    .limit(5)
    .execute();
  return { total: totals.total, thisMonth: totals.this_month, top };
}

// ---- The worker's queries: by analysis id, for the job that was enqueued with it. ----

/** The analysis row locked for the job's transaction. */
export function lockForRun(trx: Trx, id: string) {
  return trx
    .selectFrom('analyses')
    .select(['id', 'workspace_id', 'status', 'input', 'usage_period', 'refunded_at'])
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
}

export function setStatus(
  trx: Trx,
  id: string,
  status: AnalysisStatus,
  extra: {
    report?: unknown;
    enrichment?: unknown;
    enrichmentFailure?: string | null;
    engine?: string;
    failureReason?: string;
    refunded?: boolean;
    /** Completed in the transaction that started it (a rules-only run): set started_at too. */
    startedNow?: boolean;
  } = {},
) {
  return trx
    .updateTable('analyses')
    .set({
      status,
      updated_at: sql`now()`,
      // now() is the transaction's start, i.e. when the worker took the row; the completion is
      // stamped when it is written, so a run done in one transaction still shows its length.
      ...((status === 'running' || extra.startedNow) && { started_at: sql`now()` }),
      ...(status === 'completed' || status === 'failed'
        ? { completed_at: sql`clock_timestamp()` }
        : {}),
      ...(extra.report !== undefined && { report: JSON.stringify(extra.report) }),
      ...(extra.enrichment !== undefined && {
        enrichment: extra.enrichment === null ? null : JSON.stringify(extra.enrichment),
      }),
      ...(extra.enrichmentFailure !== undefined && {
        enrichment_failure: extra.enrichmentFailure,
      }),
      ...(extra.engine !== undefined && { engine: extra.engine }),
      ...(extra.failureReason !== undefined && { failure_reason: extra.failureReason }),
      ...(extra.refunded && { refunded_at: sql`now()` }),
    })
    .where('id', '=', id)
    .execute();
}

/** Tells every server listening (LISTEN analysis_status) at commit; ids and status only. */
export async function notifyStatus(
  trx: Trx,
  event: { id: string; workspaceId: string; status: AnalysisStatus },
) {
  await sql`select pg_notify('analysis_status', ${JSON.stringify(event)})`.execute(trx);
}
