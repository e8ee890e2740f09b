import { rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, startEmbeddedPostgres, type EmbeddedDatabase } from '@medora/core/testing';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');

export interface OwnPostgres {
  /** The `medora` database of this cluster. */
  url: string;
  /** Stops the cluster (a fast shutdown: sessions are cut, committed data stays). */
  stop(): Promise<void>;
  /** Starts it again on the same port and data, as after a restart or a failover. */
  start(): Promise<void>;
  /** Stops it if running and deletes its data. */
  destroy(): Promise<void>;
}

/**
 * A PostgreSQL cluster of the test's own, on a free port, for fault tests that stop and start
 * the database: the shared test cluster is never disturbed.
 */
export async function startOwnPostgres(name: string): Promise<OwnPostgres> {
  const port = await freePort();
  const dir = path.join(repoRoot, '.data', `test-pg-${name}-${port}`);
  // Persistent, so that a stop keeps the data for the next start; destroy() removes it.
  const open = () => startEmbeddedPostgres({ dir, port, persistent: true });
  let running: EmbeddedDatabase | null = await open();
  const url = running.url;
  return {
    url,
    stop: async () => {
      await running?.stop();
      running = null;
    },
    start: async () => {
      running ??= await open();
    },
    destroy: async () => {
      await running?.stop().catch(() => undefined);
      running = null;
      await rm(dir, { recursive: true, force: true });
    },
  };
}
