import type { Executor } from '../db';

/** Rows of workers gone this long are removed (each restart has a new hostname:pid). */
export const FORGET_WORKERS_AFTER_HOURS = 24;

/**
 * Records that a worker is alive; the detailed health check reads the newest beat. Idempotent: an
 * upsert keyed by worker id, times from the database clock. Also forgets workers silent for a day.
 */
export async function recordHeartbeat(
  db: Executor,
  worker: { workerId: string; version: string },
): Promise<void> {
  const now = db.fn<Date>('now', []);
  await db
    .insertInto('worker_heartbeats')
    .values({ worker_id: worker.workerId, version: worker.version, beat_at: now, started_at: now })
    .onConflict((oc) =>
      oc.column('worker_id').doUpdateSet({ beat_at: now, version: worker.version }),
    )
    .execute();
  await db
    .deleteFrom('worker_heartbeats')
    // A day's margin makes this process's clock good enough here.
    .where('beat_at', '<', new Date(Date.now() - FORGET_WORKERS_AFTER_HOURS * 3_600_000))
    .execute();
}

export interface WorkerHeartbeat {
  workerId: string;
  version: string;
  startedAt: Date;
  beatAt: Date;
}

/** Every worker that beat within the last day, newest beat first. */
export async function listHeartbeats(db: Executor): Promise<WorkerHeartbeat[]> {
  const rows = await db
    .selectFrom('worker_heartbeats')
    .select(['worker_id', 'version', 'started_at', 'beat_at'])
    .orderBy('beat_at', 'desc')
    .execute();
  return rows.map((r) => ({
    workerId: r.worker_id,
    version: r.version,
    startedAt: r.started_at,
    beatAt: r.beat_at,
  }));
}
