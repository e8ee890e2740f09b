import { createLogger, loadConfigOrExit, openDatabase, stopOnSignals } from '@medora/core';
import { startWorker } from './worker';

const config = loadConfigOrExit(process.env);

const logger = createLogger(config, 'worker');
process.on('unhandledRejection', (err) => logger.error({ err }, 'unhandled promise rejection'));

// Our Kysely migrations (both processes run them under a lock); Graphile migrates its own schema.
const database = await openDatabase(config, logger, {
  migrate: true,
  applicationName: 'medora-worker',
}).catch((err: unknown) => {
  logger.fatal({ err }, 'database unavailable');
  process.exit(1);
});
const worker = await startWorker({ config, logger, db: database.db, pool: database.pool }).catch(
  async (err: unknown) => {
    logger.fatal({ err }, 'worker failed to start');
    await database.close().catch(() => undefined);
    process.exit(1);
  },
);

stopOnSignals(logger, async () => {
  await worker.stop();
  await database.close();
  logger.info('worker stopped');
});
