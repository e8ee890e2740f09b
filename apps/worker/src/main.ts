import {
  createLogger,
  createServices,
  loadConfigOrExit,
  openDatabase,
  reportReady,
  stopOnSignals,
} from '@medora/core';
import { startWorker, type RunningWorker } from './worker';

const config = loadConfigOrExit(process.env);

const logger = createLogger(config, 'worker');
process.on('unhandledRejection', (err) => logger.error({ err }, 'unhandled promise rejection'));

// Stop requests are handled from the first moment: one that arrives while the worker is still
// starting waits for that step to finish, then undoes what was started.
let started: Promise<(() => Promise<void>) | undefined> = Promise.resolve(undefined);
const stopping = stopOnSignals(logger, async () => {
  const close = await started;
  await close?.();
  logger.info('worker stopped');
});
logger.info('worker starting');
started = start();

async function start(): Promise<() => Promise<void>> {
  // Our Kysely migrations (both processes run them under a lock); Graphile migrates its own schema.
  const database = await openDatabase(config, logger, {
    migrate: true,
    applicationName: 'medora-worker',
  }).catch((err: unknown) => {
    logger.fatal({ err }, 'database unavailable');
    process.exit(1);
  });
  const services = createServices({ config, db: database.db, logger, databaseUrl: database.url });
  const close = async (worker?: RunningWorker) => {
    await worker?.stop();
    await services.cache
      .close()
      .catch((err: unknown) => logger.warn({ err }, 'cache close failed'));
    await database.close();
  };
  if (stopping.aborted) return () => close();
  const worker = await startWorker({ services, pool: database.pool }).catch(
    async (err: unknown) => {
      logger.fatal({ err }, 'worker failed to start');
      await close().catch(() => undefined);
      process.exit(1);
    },
  );
  reportReady();
  return () => close(worker);
}
