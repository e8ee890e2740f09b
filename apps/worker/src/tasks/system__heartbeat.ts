import type { Db } from '@medora/db';
import type { Task } from 'graphile-worker';
import { cronPayload } from './cron';

export const HEARTBEAT_TASK = 'system__heartbeat';
/** Rows of workers gone this long are removed (each restart has a new hostname:pid). */
const FORGET_AFTER_HOURS = 24;

export const heartbeatPayload = cronPayload;

export interface HeartbeatDeps {
  db: Db;
  workerId: string;
  version: string;
}

/**
 * Records that this worker is alive; /health/detailed reads max(beat_at). Idempotent: an
 * upsert keyed by worker id, times from the database clock.
 */
export async function beat({ db, workerId, version }: HeartbeatDeps): Promise<void> {
  const now = db.fn<Date>('now', []);
  await db
    .insertInto('worker_heartbeats')
    .values({ worker_id: workerId, version, beat_at: now, started_at: now })
    .onConflict((oc) => oc.column('worker_id').doUpdateSet({ beat_at: now, version }))
    .execute();
  await db
    .deleteFrom('worker_heartbeats')
    // A day's margin makes the app server's clock good enough here.
    .where('beat_at', '<', new Date(Date.now() - FORGET_AFTER_HOURS * 3_600_000))
    .execute();
}

export function heartbeatTask(deps: HeartbeatDeps): Task {
  return async (payload) => {
    heartbeatPayload.parse(payload);
    await beat(deps);
  };
}
