import { createLogger, loadConfigOrExit } from '@medora/core';
import { startServer } from './server';

const config = loadConfigOrExit(process.env);

const logger = createLogger(config, 'server');
process.on('unhandledRejection', (err) => logger.error({ err }, 'unhandled promise rejection'));

const running = await startServer({ config, logger }).catch((err: unknown) => {
  logger.fatal({ err }, 'server failed to start');
  process.exit(1);
});

let stopping = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    if (stopping) {
      // A second signal means "now": skip the drain.
      logger.warn({ signal }, 'second signal: exiting immediately');
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal }, 'signal received');
    running.close().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  });
}
