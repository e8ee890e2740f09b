import { sql } from 'kysely';
import type { Db } from '@medora/db';
import type { Logger } from '../logger';
import type { FileStorage } from './storage';

/** An upload nobody attached within this long is abandoned. */
export const UNATTACHED_FILE_TTL_HOURS = 24;
/** Rows per transaction: short locks, and a crash loses at most one batch's bytes to orphans. */
export const FILE_CLEANUP_BATCH = 500;

export interface FileCleanupResult {
  /** File rows deleted. */
  deleted: number;
  /** Stored objects removed. */
  removed: number;
  /** Objects whose removal failed (their rows are gone; the keys are in the log). */
  orphaned: number;
}

/**
 * Deletes files uploaded more than 24 hours ago and never attached to anything: no patient, no
 * analysis (analysis_files) and no payment (payments.receipt_file_id). Rows go first, in batches,
 * each batch in one transaction with one system audit row; the bytes go after the commit. So a
 * crash half-way leaves at worst orphan bytes (no row points at them, nobody can read them),
 * never a row whose bytes are missing, and a re-run finds only what is still to do: nothing is
 * deleted twice. Rows locked by a concurrent attach are skipped (and that attach then keeps its
 * file). A failed byte removal is logged with its key and the run throws at the end, so the run
 * is recorded as failed; the remaining objects are still removed.
 */
export async function cleanupFiles(
  deps: { db: Db; storage: FileStorage; logger: Logger },
  opts: { now?: Date; batchSize?: number; ttlHours?: number } = {},
): Promise<FileCleanupResult> {
  const batchSize = opts.batchSize ?? FILE_CLEANUP_BATCH;
  const ttlHours = opts.ttlHours ?? UNATTACHED_FILE_TTL_HOURS;
  const at = opts.now ? sql`${opts.now}::timestamptz` : sql`now()`;
  const total: FileCleanupResult = { deleted: 0, removed: 0, orphaned: 0 };
  const failures: string[] = [];
  for (;;) {
    const keys = await deps.db.transaction().execute(async (trx) => {
      const { rows } = await sql<{ storage_key: string }>`
        delete from files where id in (
          select f.id from files f
          where f.created_at < ${at} - make_interval(hours => ${ttlHours})
            and f.patient_id is null
            and not exists (select 1 from analysis_files a where a.file_id = f.id)
            and not exists (select 1 from payments p where p.receipt_file_id = f.id)
          order by f.created_at
          limit ${batchSize}
          for update skip locked)
        returning storage_key`.execute(trx);
      if (rows.length > 0) {
        await trx
          .insertInto('audit_log')
          .values({
            action: 'file.cleanup',
            outcome: 'success',
            actor_role: 'system',
            entity_type: 'file',
            meta: sql`${JSON.stringify({ deleted: rows.length })}::jsonb`,
          })
          .execute();
      }
      return rows.map((r) => r.storage_key);
    });
    total.deleted += keys.length;
    for (const key of keys) {
      try {
        await deps.storage.remove(key);
        total.removed++;
      } catch (err) {
        total.orphaned++;
        failures.push(key);
        deps.logger.warn({ err, storageKey: key }, 'file cleanup: stored object not removed');
      }
    }
    if (keys.length < batchSize) break;
  }
  if (failures.length > 0) {
    throw Object.assign(
      new Error(
        `file cleanup: ${total.deleted} files deleted, ${failures.length} stored objects not removed`,
      ),
      { result: total },
    );
  }
  return total;
}
