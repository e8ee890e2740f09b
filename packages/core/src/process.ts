import type { Logger } from './logger';

/** What a child of the `npm start` supervisor tells it over the IPC channel. */
export type SupervisorMessage = { type: 'ready'; url?: string };

/**
 * Entry-point plumbing shared by the server and the worker. Call it first, before any start-up
 * work, so a stop request that arrives while the process is still starting is handled too.
 *
 * Stops on SIGTERM/SIGINT and, when the process was started with an IPC channel (by the
 * `npm start` supervisor), when that channel closes: the supervisor died, perhaps by SIGKILL,
 * and nothing else will ever ask this process to stop. `stop` runs once (a graceful drain); the
 * process then exits 0, or 1 when `stop` fails. A second signal exits at once.
 *
 * Returns a signal that is aborted as soon as a stop begins, for start-up code to check
 * between steps (no point opening a listener or beating after a stop was asked for).
 */
/** The parts of `process` the entry-point plumbing uses (tests hand in a stand-in). */
export type ProcessHost = Pick<NodeJS.Process, 'on' | 'exit' | 'channel'>;

export function stopOnSignals(
  logger: Logger,
  stop: () => Promise<void>,
  host: ProcessHost = process,
): AbortSignal {
  const controller = new AbortController();
  const begin = (reason: string) => {
    if (controller.signal.aborted) {
      logger.warn({ reason }, 'second stop request: exiting immediately');
      host.exit(1);
    }
    controller.abort(reason);
    logger.info({ reason }, 'shutting down');
    stop().then(
      () => host.exit(0),
      (err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        host.exit(1);
      },
    );
  };
  for (const signal of ['SIGTERM', 'SIGINT'] as const) host.on(signal, () => begin(signal));
  if (host.channel) {
    host.on('disconnect', () => {
      // The channel also closes when the supervisor itself disconnects on its way out; either
      // way there is nobody left to stop this process later.
      if (!controller.signal.aborted) begin('supervisor gone');
    });
  }
  return controller.signal;
}

/**
 * Tells the supervisor (if any) that this process is up: the server once it listens, the worker
 * once it runs. The supervisor announces "running" only then, never by probing a port that
 * another process might answer.
 */
export function reportReady(
  message: Omit<SupervisorMessage, 'type'> = {},
  host: Pick<NodeJS.Process, 'send' | 'connected'> = process,
): void {
  if (host.send && host.connected) host.send({ type: 'ready', ...message });
}
