import { createLogger, loadConfigOrExit, stopOnSignals } from '@medora/core';
import { startServer } from './server';

const config = loadConfigOrExit(process.env);

const logger = createLogger(config, 'server');
process.on('unhandledRejection', (err) => logger.error({ err }, 'unhandled promise rejection'));

const running = await startServer({ config, logger }).catch((err: unknown) => {
  logger.fatal({ err }, 'server failed to start');
  process.exit(1);
});

stopOnSignals(logger, () => running.close());
