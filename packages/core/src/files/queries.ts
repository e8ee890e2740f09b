import { sql } from 'kysely';
import type { Executor, NewRow, Trx } from '../db';
import type { TenantScope } from '../scope';

// Tenant queries: every one filters on the caller's workspace.

const COLUMNS = [
  'f.id',
  'f.workspace_id',
  'f.purpose',
  'f.patient_id',
  'f.name',
  'f.mime',
  'f.size',
  'f.sha256',
  'f.storage_key',
  'f.created_at',
  'f.uploaded_by',
] as const;

/**
 * The workspace's storage use and quota, with the workspace row locked until the transaction
 * ends: two uploads racing for the last megabytes are counted one after the other. Receipts do
 * not count: a doctor whose storage is full must still be able to pay (each receipt has its own
 * 5 MB cap, and unattached ones go after a day).
 */
export async function lockQuota(
  trx: Trx,
  scope: TenantScope,
): Promise<{ used: number; quota: number }> {
  const ws = await trx
    .selectFrom('workspaces as w')
    .innerJoin('plans as p', 'p.id', 'w.plan_id')
    .select('p.storage_quota_bytes as quota')
    .where('w.id', '=', scope.workspaceId)
    // No key update: foreign-key inserts elsewhere in the workspace need not wait for it.
    .forNoKeyUpdate('w')
    .executeTakeFirstOrThrow();
  const { used } = await trx
    .selectFrom('files')
    .select(sql<number>`coalesce(sum(size), 0)::bigint`.as('used'))
    .where('workspace_id', '=', scope.workspaceId)
    .where('purpose', '<>', 'receipt')
    .executeTakeFirstOrThrow();
  return { used: Number(used), quota: ws.quota };
}

export function insertFile(
  trx: Trx,
  scope: TenantScope & { userId: string },
  file: Omit<NewRow<'files'>, 'id' | 'workspace_id' | 'uploaded_by' | 'created_at'>,
) {
  return trx
    .insertInto('files')
    .values({ ...file, workspace_id: scope.workspaceId, uploaded_by: scope.userId })
    .returning(['id', 'name', 'mime', 'size', 'sha256', 'created_at'])
    .executeTakeFirstOrThrow();
}

export function findFile(db: Executor, scope: TenantScope, id: string) {
  return db
    .selectFrom('files as f')
    .select(COLUMNS)
    .where('f.workspace_id', '=', scope.workspaceId)
    .where('f.id', '=', id)
    .executeTakeFirst();
}

/**
 * Any workspace's receipt that a payment was submitted with, for an administrator reviewing it.
 * An upload never submitted stays the doctor's own: administrators see receipts, not uploads.
 */
export function findReceipt(db: Executor, id: string) {
  return db
    .selectFrom('files as f')
    .select(COLUMNS)
    .where('f.purpose', '=', 'receipt')
    .where('f.id', '=', id)
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('payments as p')
          .select('p.id')
          .whereRef('p.receipt_file_id', '=', 'f.id')
          .whereRef('p.workspace_id', '=', 'f.workspace_id'),
      ),
    )
    .executeTakeFirst();
}

export function listPatientFiles(db: Executor, scope: TenantScope, patientId: string) {
  return db
    .selectFrom('files as f')
    .innerJoin('users as u', 'u.id', 'f.uploaded_by')
    .select([...COLUMNS, 'u.name as uploader_name'])
    .where('f.workspace_id', '=', scope.workspaceId)
    .where('f.patient_id', '=', patientId)
    .orderBy('f.created_at', 'desc')
    .orderBy('f.id', 'desc')
    .execute();
}

export function deleteFile(trx: Trx, scope: TenantScope, id: string) {
  return trx
    .deleteFrom('files')
    .where('workspace_id', '=', scope.workspaceId)
    .where('id', '=', id)
    .returning(['id', 'storage_key', 'patient_id', 'purpose'])
    .executeTakeFirst();
}
