import type { Logger } from './logger';

/**
 * Entry-point plumbing shared by the server and the worker: on SIGTERM/SIGINT run `stop` (a
 * graceful drain) and exit 0, or 1 when it fails; a second signal exits at once.
 */
export function stopOnSignals(logger: Logger, stop: () => Promise<void>): void {
  let stopping = false;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      if (stopping) {
        logger.warn({ signal }, 'second signal: exiting immediately');
        process.exit(1);
      }
      stopping = true;
      logger.info({ signal }, 'signal received: shutting down');
      stop().then(
        () => process.exit(0),
        (err: unknown) => {
          logger.error({ err }, 'shutdown failed');
          process.exit(1);
        },
      );
    });
  }
}
