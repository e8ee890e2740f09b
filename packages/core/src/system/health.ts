import { statfs } from 'node:fs/promises';
import { pendingMigrations } from '@medora/db';
import type { Executor } from '../db';

export interface DatabaseProbe {
  /** The newest worker heartbeat, or null when no worker has beaten. */
  lastHeartbeatAt: Date | null;
  /** The database's clock, so the heartbeat's age needs no agreement between machines. */
  now: Date;
}

/**
 * One query that both proves the database answers and reads the workers' last heartbeat, for
 * the detailed health check. Throws when the database does not answer.
 */
export async function probeDatabase(db: Executor): Promise<DatabaseProbe> {
  const row = await db
    .selectFrom('worker_heartbeats')
    .select((eb) => [eb.fn.max('beat_at').as('last'), eb.fn<Date>('now', []).as('now')])
    .executeTakeFirstOrThrow();
  return {
    lastHeartbeatAt: row.last ? new Date(row.last) : null,
    now: new Date(row.now),
  };
}

/** Names of migrations the code has that this database has not applied yet. */
export function listPendingMigrations(db: Executor): Promise<string[]> {
  return pendingMigrations(db);
}

export interface DiskProbe {
  /** Bytes an unprivileged process may still write under the directory. */
  freeBytes: number;
  totalBytes: number;
}

/** Free and total space of the file system under `dir` (DATA_DIR: uploaded files, staging). */
export async function probeDisk(dir: string): Promise<DiskProbe> {
  const s = await statfs(dir);
  return { freeBytes: s.bavail * s.bsize, totalBytes: s.blocks * s.bsize };
}
