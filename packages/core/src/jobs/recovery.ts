import { sql } from 'kysely';
import type pg from 'pg';
import type { Executor } from '../db';
import type { Logger } from '../logger';

/**
 * Graphile Worker leaves the jobs of a worker that died without stopping (SIGKILL, OOM, a lost
 * machine) locked for four hours. To take them over sooner without ever stealing a live worker's
 * job, each worker process holds, on a connection of its own, a session advisory lock per
 * Graphile worker id it runs: PostgreSQL drops the locks the moment that connection ends. A job
 * locked by an id whose advisory lock nobody holds belongs to a process that is gone.
 */
export const WORKER_LIVENESS_LOCK_SPACE = 72_210_417;
/**
 * A Graphile worker may lock its first job a moment before its process has taken the liveness
 * lock for it; jobs locked this recently are left alone.
 */
export const ABANDONED_JOB_GRACE_SECONDS = 2;

/**
 * Unlocks every job (and job queue) held by a Graphile worker whose liveness lock nobody holds,
 * so that a live worker runs it again as a retry. Returns the ids of the dead workers.
 * `pg_try_advisory_xact_lock` succeeds only when no session holds the lock, and is released at
 * commit, so the check costs nothing to the live workers.
 */
export async function releaseAbandonedJobs(db: Executor): Promise<string[]> {
  const { rows } = await sql<{ dead: string[] | null }>`
    with unlocked as (
      select array_agg(holder) as dead from (
        select distinct locked_by as holder from graphile_worker.jobs
          where locked_by is not null
            and locked_at < now() - make_interval(secs => ${ABANDONED_JOB_GRACE_SECONDS})
      ) held
      where pg_try_advisory_xact_lock(${WORKER_LIVENESS_LOCK_SPACE}, hashtext(holder))
    )
    select dead, graphile_worker.force_unlock_workers(coalesce(dead, '{}')) from unlocked
  `.execute(db);
  return rows[0]?.dead ?? [];
}

/**
 * The liveness locks of one worker process: `hold(id)` for every Graphile worker it starts. The
 * connection is taken from the pool for the life of the process; when it is lost, a new one
 * takes every lock again.
 */
export class WorkerLiveness {
  private client: pg.PoolClient | null = null;
  private connecting: Promise<pg.PoolClient> | null = null;
  private readonly ids = new Set<string>();
  private stopped = false;
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly pool: pg.Pool,
    private readonly logger: Logger,
  ) {}

  /** Takes the liveness lock of a Graphile worker id (at once when connected). */
  hold(workerId: string): Promise<void> {
    this.ids.add(workerId);
    // One query at a time on the connection.
    const next = this.queue.then(async () => lock(await this.connection(), workerId));
    this.queue = next.catch(() => undefined);
    return next;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    const client = this.client ?? (await this.connecting?.catch(() => null)) ?? null;
    this.client = null;
    // Releasing the connection would hand the locks to the pool: end it instead.
    client?.release(true);
  }

  /** Opens the connection (before any worker starts, so that hold() only sends a query). */
  async connection(): Promise<pg.PoolClient> {
    if (this.client) return this.client;
    this.connecting ??= this.open().finally(() => (this.connecting = null));
    return this.connecting;
  }

  private async open(): Promise<pg.PoolClient> {
    const client = await this.pool.connect();
    client.on('error', (err) => {
      if (this.client !== client) return;
      this.client = null;
      client.release(err);
      this.logger.warn({ err }, 'worker liveness connection lost');
      this.reconnect();
    });
    try {
      for (const id of this.ids) await lock(client, id);
    } catch (err) {
      client.release(true);
      throw err;
    }
    this.client = client;
    return client;
  }

  private reconnect() {
    if (this.stopped) return;
    setTimeout(() => {
      if (this.stopped || this.client) return;
      this.connection().catch((err: unknown) => {
        this.logger.warn({ err }, 'worker liveness connection not restored, retrying');
        this.reconnect();
      });
    }, 1000).unref();
  }
}

async function lock(client: pg.PoolClient, workerId: string): Promise<void> {
  await client.query('select pg_advisory_lock($1, hashtext($2))', [
    WORKER_LIVENESS_LOCK_SPACE,
    workerId,
  ]);
}
