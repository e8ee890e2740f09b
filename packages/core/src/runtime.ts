import path from 'node:path';
import { createDb, migrateToLatest, startEmbeddedPostgres, type Db } from '@medora/db';
import type pg from 'pg';
import type { AuditService } from './audit/index';
import { AuditService as Audit } from './audit/index';
import { AuthService } from './auth/service';
import { createCache, type Cache } from './cache/index';
import type { AppConfig } from './config';
import type { Logger } from './logger';

export interface Database {
  db: Db;
  pool: pg.Pool;
  url: string;
  embedded: boolean;
  close(): Promise<void>;
}

/**
 * Connects to DATABASE_URL, or starts the embedded PostgreSQL under DATA_DIR when it is unset,
 * and optionally brings the schema up to date (server and worker both do, under Kysely's lock).
 */
export async function openDatabase(
  config: AppConfig,
  logger: Logger,
  opts: { migrate: boolean; applicationName: string },
): Promise<Database> {
  let url = config.databaseUrl;
  let stopEmbedded: (() => Promise<void>) | undefined;
  if (!url) {
    logger.info(
      { port: config.embeddedPgPort },
      'DATABASE_URL is not set: using the embedded PostgreSQL',
    );
    const embedded = await startEmbeddedPostgres({
      dir: path.join(config.dataDir, 'postgres'),
      port: config.embeddedPgPort,
      log: (m) => logger.debug({ postgres: m.trim() }, 'embedded postgres'),
    });
    url = embedded.url;
    stopEmbedded = () => embedded.stop();
  }
  const { db, pool } = createDb(url, {
    max: config.databasePoolMax,
    applicationName: opts.applicationName,
  });
  if (opts.migrate) {
    const applied = await migrateToLatest(db);
    if (applied.length) logger.info({ applied }, 'database migrated');
  }
  return {
    db,
    pool,
    url,
    embedded: Boolean(stopEmbedded),
    close: async () => {
      await db.destroy();
      await stopEmbedded?.();
    },
  };
}

export interface Services {
  config: AppConfig;
  db: Db;
  cache: Cache;
  logger: Logger;
  audit: AuditService;
  auth: AuthService;
}

/** Wires the domain services once per process; the API and the worker receive this object. */
export function createServices(deps: {
  config: AppConfig;
  db: Db;
  logger: Logger;
  cache?: Cache;
}): Services {
  const cache = deps.cache ?? createCache(deps.config.redisUrl, deps.logger);
  const audit = new Audit(deps.db);
  const auth = new AuthService({
    db: deps.db,
    cache,
    config: deps.config,
    audit,
  });
  return { config: deps.config, db: deps.db, cache, logger: deps.logger, audit, auth };
}
