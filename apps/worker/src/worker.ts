import { hostname } from 'node:os';
import type { AppConfig, Database, Logger as PinoLogger } from '@medora/core';
import type { Db } from '@medora/db';
import { Logger, parseCronItems, run, type LogLevel, type Runner } from 'graphile-worker';
import { beat } from './tasks/system__heartbeat';
import { createTaskList, cronItems } from './tasks/index';

export interface StartWorkerOptions {
  config: Pick<AppConfig, 'workerConcurrency' | 'version'>;
  logger: PinoLogger;
  db: Db;
  pool: Database['pool'];
  /** Defaults to `${hostname}:${pid}`. */
  workerId?: string;
}

export interface RunningWorker {
  workerId: string;
  runner: Runner;
  /** Graceful: running jobs finish, no new ones start. Does not close the pool (the caller owns it). */
  stop(): Promise<void>;
}

const PINO_LEVEL: Record<LogLevel, 'error' | 'warn' | 'info' | 'debug'> = {
  error: 'error',
  warning: 'warn',
  info: 'info',
  debug: 'debug',
};

/** Graphile Worker's log lines go through our pino logger (same format, same redaction). */
export function graphileLogger(logger: PinoLogger): Logger {
  return new Logger((scope) => {
    const child = logger.child({ graphile: scope });
    return (level, message, meta) => child[PINO_LEVEL[level]](meta ?? {}, message);
  });
}

/**
 * Runs Graphile Worker in library mode on our pool with an explicit task list and crontab.
 * Graphile migrates its own `graphile_worker` schema on start. Signals are ours (main.ts).
 */
export async function startWorker(opts: StartWorkerOptions): Promise<RunningWorker> {
  const workerId = opts.workerId ?? `${hostname()}:${process.pid}`;
  const deps = { db: opts.db, workerId, version: opts.config.version };
  // A pooled client whose server goes away emits 'error'; unhandled, that would kill the
  // process. Graphile checks for this handler (it holds a long-lived LISTEN connection).
  opts.pool.on('connect', (client) => {
    client.on('error', (err) => opts.logger.warn({ err }, 'database connection lost'));
  });
  const runner = await run({
    pgPool: opts.pool,
    taskList: createTaskList(deps),
    parsedCronItems: parseCronItems(cronItems),
    concurrency: opts.config.workerConcurrency,
    noHandleSignals: true,
    logger: graphileLogger(opts.logger),
  });
  // Beat now rather than at the next minute, so health checks see a fresh worker at once.
  await beat(deps).catch((err: unknown) => opts.logger.warn({ err }, 'first heartbeat failed'));
  opts.logger.info({ workerId, concurrency: opts.config.workerConcurrency }, 'worker started');
  let stopping: Promise<void> | undefined;
  return {
    workerId,
    runner,
    stop: () =>
      (stopping ??= (async () => {
        await runner.stop();
        await runner.promise.catch((err: unknown) =>
          opts.logger.warn({ err }, 'worker stopped with an error'),
        );
      })()),
  };
}
