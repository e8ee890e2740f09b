import { createLogger, loadConfigOrExit, reportReady, stopOnSignals } from '@medora/core';
import { startServer, type RunningServer } from './server';

const config = loadConfigOrExit(process.env);

const logger = createLogger(config, 'server');
process.on('unhandledRejection', (err) => logger.error({ err }, 'unhandled promise rejection'));

// Stop requests are handled from the first moment: one that arrives while the server is still
// starting (the embedded database can take a while) waits for that, then closes what started.
let started: Promise<RunningServer | undefined> = Promise.resolve(undefined);
const stopping = stopOnSignals(logger, async () => {
  const running = await started;
  await running?.close();
});

started = startServer({ config, logger }).then(
  (running) => {
    if (!stopping.aborted) reportReady({ url: running.url });
    return running;
  },
  (err: unknown) => {
    if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      logger.fatal(
        { port: config.port, host: config.host },
        `port ${config.port} is already in use: stop whatever listens there (perhaps an earlier MedoraAI), or set PORT to a free port`,
      );
    } else {
      logger.fatal({ err }, 'server failed to start');
    }
    process.exit(1);
  },
);
