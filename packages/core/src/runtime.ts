import path from 'node:path';
import { createDb, migrateToLatest, startEmbeddedPostgres, type Db } from '@medora/db';
import type pg from 'pg';
import { analyze } from '@medora/clinical';
import { AdminConsoleService } from './admin/console';
import { AdminJobsService } from './admin/jobs';
import { AdminService } from './admin/service';
import { AnalysisEvents } from './analyses/events';
import { AnalysisService, type Enricher } from './analyses/service';
import { AuditService } from './audit/index';
import { CredentialsService } from './auth/credentials';
import { SecondFactorService } from './auth/second-factor';
import { createCache, type Cache } from './cache/index';
import type { AppConfig } from './config';
import type { Logger } from './logger';
import { DemoService } from './demo/service';
import { FileService } from './files/service';
import { createLlmClient, deidentify } from './llm/index';
import { LocalDiskStorage, type FileStorage } from './files/storage';
import { JobMetrics } from './jobs/runs';
import { NotificationService, type NotificationSenders } from './notifications/service';
import { PatientService } from './patients/service';
import { PaymentService } from './payments/service';
import { PlanService } from './plans/service';
import { ProfileService } from './profile/service';
import { SessionService } from './sessions/service';
import { SubscriptionService } from './subscriptions/service';
import { WorkspaceService } from './workspaces/service';

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

/**
 * Every domain service, wired once per process; the API and the worker receive this object.
 * One entry per domain folder under src/.
 */
export interface Services {
  config: AppConfig;
  db: Db;
  cache: Cache;
  logger: Logger;
  audit: AuditService;
  sessions: SessionService;
  credentials: CredentialsService;
  secondFactor: SecondFactorService;
  profile: ProfileService;
  workspaces: WorkspaceService;
  admins: AdminService;
  adminConsole: AdminConsoleService;
  adminJobs: AdminJobsService;
  patients: PatientService;
  files: FileService;
  storage: FileStorage;
  analyses: AnalysisService;
  demo: DemoService;
  /** This process's scheduled-job metrics (the worker serves them; see jobs/runs.ts). */
  jobMetrics: JobMetrics;
  notifications: NotificationService;
  // Billing: plans, the subscription, receipt payments.
  plans: PlanService;
  payments: PaymentService;
  subscriptions: SubscriptionService;
}

export function createServices(deps: {
  config: AppConfig;
  db: Db;
  logger: Logger;
  cache?: Cache;
  /** Where file bytes go; the local disk under DATA_DIR/files by default. */
  storage?: FileStorage;
  /** The database's URL, for the live-status LISTEN connection (opened on first use). */
  databaseUrl?: string;
  /** The optional language-model enrichment of reports; none by default. */
  enricher?: Enricher | null;
  /** Outbound notification senders in place of the configured ones (tests). */
  notificationSenders?: Partial<NotificationSenders>;
}): Services {
  const { config, db, logger } = deps;
  const storage = deps.storage ?? new LocalDiskStorage(path.join(config.dataDir, 'files'));
  const cache = deps.cache ?? createCache(config.redisUrl, logger);
  const audit = new AuditService(db);
  const sessions = new SessionService(db, config, audit);
  const secondFactor = new SecondFactorService(db, cache, config, audit, sessions);
  const workspaces = new WorkspaceService(db);
  // Reports are enriched only when a model is configured, and then from de-identified input.
  const llm = createLlmClient(config.llm, logger);
  const enricher: Enricher | null =
    deps.enricher !== undefined
      ? deps.enricher
      : llm && { enrich: (input, report) => llm.enrich(deidentify(input), report) };
  const patients = new PatientService(db, audit);
  const payments = new PaymentService(db, audit, storage);
  const analyses = new AnalysisService(
    db,
    audit,
    cache,
    logger,
    analyze,
    new AnalysisEvents(deps.databaseUrl ?? config.databaseUrl, logger),
    enricher,
  );
  return {
    config,
    db,
    cache,
    logger,
    audit,
    sessions,
    credentials: new CredentialsService(
      db,
      cache,
      config,
      audit,
      sessions,
      workspaces,
      secondFactor,
    ),
    secondFactor,
    profile: new ProfileService(db, audit, workspaces),
    workspaces,
    admins: new AdminService(db, audit, secondFactor.vault),
    adminConsole: new AdminConsoleService(db, audit),
    adminJobs: new AdminJobsService(db, audit),
    patients,
    files: new FileService(db, audit, storage, logger),
    storage,
    analyses,
    demo: new DemoService(db, audit, workspaces, patients, analyses),
    jobMetrics: new JobMetrics(),
    notifications: new NotificationService(
      db,
      config.notifications,
      cache,
      logger,
      deps.notificationSenders,
    ),
    plans: new PlanService(db, audit, cache),
    payments,
    subscriptions: new SubscriptionService(db, audit, payments, config.bankDetails),
  };
}
