import type { Executor } from '../db';

/** A row stays this long after it stopped being usable (support questions, reuse detection). */
export const SESSION_RETENTION_DAYS = 30;
/** Rows per DELETE: small statements hold their locks briefly and keep WAL bursts modest. */
export const SESSION_CLEANUP_BATCH = 5_000;
const DAY_MS = 86_400_000;

export interface SessionCleanupOptions {
  retentionDays?: number;
  batchSize?: number;
}

/**
 * Deletes session rows that stopped being usable more than `retentionDays` ago: revoked,
 * replaced by a newer token, or expired. A family's live row (neither revoked nor replaced, and
 * not expired) never matches. Works in batches until a batch comes back short; rows another
 * transaction holds (a refresh in flight) are skipped and left for the next run. Idempotent.
 * Returns how many rows went.
 */
export async function cleanupSessions(
  db: Executor,
  opts: SessionCleanupOptions = {},
): Promise<number> {
  const retentionDays = opts.retentionDays ?? SESSION_RETENTION_DAYS;
  const batchSize = opts.batchSize ?? SESSION_CLEANUP_BATCH;
  // This process's clock, not the database's: against a month's retention, skew does not matter.
  const cutoff = new Date(Date.now() - retentionDays * DAY_MS);
  let total = 0;
  for (;;) {
    const result = await db
      .deleteFrom('sessions')
      .where('id', 'in', (eb) =>
        eb
          .selectFrom('sessions')
          .select('id')
          .where((w) =>
            w.or([
              w('revoked_at', '<', cutoff),
              w('replaced_at', '<', cutoff),
              w('expires_at', '<', cutoff),
            ]),
          )
          .limit(batchSize)
          .forUpdate()
          .skipLocked(),
      )
      .executeTakeFirst();
    const deleted = Number(result.numDeletedRows);
    total += deleted;
    if (deleted < batchSize) return total;
  }
}
