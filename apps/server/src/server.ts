import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  createLogger,
  createServices,
  errorReportingOptions,
  openDatabase,
  startErrorReporting,
  stopErrorReporting,
  waitForOtherConnections,
  type AppConfig,
  type Logger,
  type Services,
} from '@medora/core';
import { createApp, type CreateAppOptions } from './app';
import { onClientError } from './client-error';
import { RefusalLog } from './middleware/refusal-log';

/** The app options a caller may set (see CreateAppOptions); the server supplies the rest. */
export type ServerAppOptions = Pick<
  CreateAppOptions,
  'routes' | 'healthCacheMs' | 'rateLimitKeyPrefix' | 'trpcFetchAdapterOnly'
>;

export interface StartServerOptions extends ServerAppOptions {
  config: AppConfig;
  logger?: Logger;
}

export interface RunningServer {
  url: string;
  port: number;
  services: Services;
  /** Graceful stop: refuse new connections, drain in-flight requests, then close cache and db. */
  close(): Promise<void>;
}

const APPLICATION_NAME = 'medora-server';
const EMBEDDED_STOP_GRACE_MS = 5_000;

/**
 * Opens the database (embedded when DATABASE_URL is unset), migrates, wires the services,
 * creates the configured admin if none exists, and listens. Used by main.ts and by tests.
 */
export async function startServer(opts: StartServerOptions): Promise<RunningServer> {
  const { config } = opts;
  const logger = opts.logger ?? createLogger(config, 'server');
  if (await startErrorReporting(errorReportingOptions(config, 'server')))
    logger.info('reporting faults to SENTRY_DSN');
  const database = await openDatabase(config, logger, {
    migrate: true,
    applicationName: APPLICATION_NAME,
  });
  let services: Services | undefined;
  try {
    services = createServices({ config, db: database.db, logger, databaseUrl: database.url });
    await waitForRedis(services, logger);
    await bootstrapAdmin(services);
    // Uploads cut off by a crash leave staging files; none lives longer than an hour.
    const swept = await services.storage.sweepStaging(60 * 60 * 1000);
    if (swept) logger.info({ swept }, 'removed abandoned upload staging files');

    let draining = false;
    const refusals = new RefusalLog(logger);
    const app = createApp({
      refusals,
      services,
      isDraining: () => draining,
      routes: opts.routes,
      healthCacheMs: opts.healthCacheMs,
      rateLimitKeyPrefix: opts.rateLimitKeyPrefix,
      trpcFetchAdapterOnly: opts.trpcFetchAdapterOnly,
    });
    const handle = app.callback();
    const server = http.createServer((req, res) => {
      // Keep-alive connections would otherwise outlive the drain; ask clients to reconnect.
      if (draining) res.setHeader('Connection', 'close');
      void handle(req, res);
    });
    server.on('clientError', onClientError({ isProduction: config.isProduction }));
    server.headersTimeout = 30_000;
    server.requestTimeout = 120_000;

    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.port, config.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    const { port } = server.address() as AddressInfo;
    const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
    const url = `http://${host}:${port}`;
    logger.info(
      { url, cache: services.cache.kind, embeddedDatabase: database.embedded },
      `MedoraAI server listening on ${url}`,
    );

    const ownServices = services;
    let closing: Promise<void> | undefined;
    const close = () =>
      (closing ??= (async () => {
        draining = true;
        logger.info({ timeoutMs: config.shutdownTimeoutMs }, 'shutting down: draining requests');
        await drain(server, config.shutdownTimeoutMs, logger);
        // The counts of refusals not logged one by one are not lost with the process.
        refusals.flush();
        await ownServices.analyses.events.stop();
        await ownServices.cache
          .close()
          .catch((err: unknown) => logger.warn({ err }, 'cache close failed'));
        if (database.embedded) {
          // This process stops the embedded PostgreSQL: a worker stopping at the same moment
          // (both lose the supervisor together) gets a few seconds to finish with it first.
          const alone = await waitForOtherConnections(
            database.db,
            APPLICATION_NAME,
            EMBEDDED_STOP_GRACE_MS,
          );
          if (!alone) logger.warn('stopping the embedded database with other clients connected');
        }
        await database.close();
        // What is still queued for the error tracker goes out before the process ends.
        await stopErrorReporting();
        logger.info('shutdown complete');
      })());
    return { url, port, services, close };
  } catch (err) {
    await services?.cache.close().catch(() => undefined);
    await database.close().catch(() => undefined);
    throw err;
  }
}

/** Stops accepting, lets in-flight requests finish for up to `timeoutMs`, then cuts the rest. */
async function drain(server: http.Server, timeoutMs: number, logger: Logger): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  // Idle keep-alive sockets hold close() open; keep reaping them as requests finish.
  server.closeIdleConnections();
  const reaper = setInterval(() => server.closeIdleConnections(), 100);
  const deadline = setTimeout(() => {
    logger.warn({ timeoutMs }, 'shutdown timeout: closing remaining connections');
    server.closeAllConnections();
  }, timeoutMs);
  try {
    await closed;
  } finally {
    clearInterval(reaper);
    clearTimeout(deadline);
  }
}

/**
 * Give Redis a moment to connect before taking traffic: the client fails fast while offline, so
 * the first requests would otherwise skip the shared rate limits. Without Redis we still start.
 */
async function waitForRedis(services: Services, logger: Logger, timeoutMs = 3_000): Promise<void> {
  const redis = services.cache.redis;
  if (!redis || redis.status === 'ready') return;
  let timer: NodeJS.Timeout | undefined;
  const ready = await Promise.race([
    new Promise<boolean>((resolve) => redis.once('ready', () => resolve(true))),
    new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs))),
  ]);
  clearTimeout(timer);
  if (!ready) logger.warn('redis not reachable yet: starting with rate limits counted in memory');
}

async function bootstrapAdmin(services: Services): Promise<void> {
  const { logger } = services;
  const outcome = await services.admins.bootstrap(services.config.admin);
  if (outcome === 'created') logger.info('administrator created from ADMIN_PHONE / ADMIN_PASSWORD');
  else if (outcome === 'exists' && services.config.admin)
    logger.info('administrator exists: ADMIN_PHONE / ADMIN_PASSWORD ignored');
  else if (outcome === 'missing') {
    logger.warn(
      'no administrator yet; create one with: npm run cli -- create-admin --phone +998901234567 --name "Full Name"',
    );
  }
}
