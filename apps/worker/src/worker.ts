import { EventEmitter } from 'node:events';
import { hostname } from 'node:os';
import {
  errorReportingOptions,
  recordHeartbeat,
  releaseAbandonedJobs,
  reportError,
  startErrorReporting,
  stopErrorReporting,
  WorkerLiveness,
  type Database,
  type Logger as PinoLogger,
  type Services,
} from '@medora/core';
import type { Server } from 'node:http';
import {
  Logger,
  parseCronItems,
  run,
  type Job,
  type LogLevel,
  type Runner,
  type WorkerEvents,
} from 'graphile-worker';
import { collectDefaultMetrics } from 'prom-client';
import { serveMetrics } from './metrics';
import { cronItemsOf, taskListOf, type AnyTaskDefinition } from './tasks/define';
import { tasks as allTasks } from './tasks/index';

export interface StartWorkerOptions {
  /** Built by `createServices`, exactly as the server builds them. */
  services: Services;
  /** The pool behind `services.db`: Graphile Worker runs on it (LISTEN, job fetching). */
  pool: Database['pool'];
  /** Defaults to `${hostname}:${pid}`. */
  workerId?: string;
  /** Defaults to every task of this worker. */
  tasks?: readonly AnyTaskDefinition[];
}

export interface RunningWorker {
  workerId: string;
  runner: Runner;
  /** Graceful: running jobs finish, no new ones start. Does not close the pool (the caller owns it). */
  stop(): Promise<void>;
}

/** How often a worker looks for jobs of dead workers to take over (also once on start). */
export const ABANDONED_JOBS_SWEEP_MS = 5_000;

const PINO_LEVEL: Record<LogLevel, 'error' | 'warn' | 'info' | 'debug'> = {
  error: 'error',
  warning: 'warn',
  info: 'info',
  debug: 'debug',
};

/** A job in a log line: which one and how often, never its payload (it may carry personal data). */
function jobSummary(job: Job) {
  return {
    id: job.id,
    task: job.task_identifier,
    attempts: job.attempts,
    maxAttempts: job.max_attempts,
  };
}

/**
 * Graphile Worker's log lines go through our pino logger (same format, same redaction). A job is
 * logged by its summary, and a successful run — every minute for the heartbeat — at debug, so
 * info stays readable; failures keep Graphile's level.
 */
export function graphileLogger(logger: PinoLogger): Logger {
  return new Logger((scope) => {
    // Most of Graphile's lines have an empty scope: bind it only when it says something.
    const child = Object.keys(scope).length ? logger.child({ graphile: scope }) : logger;
    return (level, message, meta) => {
      const { job, ...rest } = (meta ?? {}) as { job?: Job; success?: unknown };
      const fields = job ? { ...rest, job: jobSummary(job) } : rest;
      const to =
        PINO_LEVEL[level] === 'info' && rest.success === true ? 'debug' : PINO_LEVEL[level];
      child[to](fields, message);
    };
  });
}

/**
 * Runs Graphile Worker in library mode on our pool, with the task list and the crontab built
 * from the task definitions. Graphile migrates its own `graphile_worker` schema on start.
 * Signals are ours (main.ts).
 */
export async function startWorker(opts: StartWorkerOptions): Promise<RunningWorker> {
  const { services, pool } = opts;
  const { logger, config } = services;
  const workerId = opts.workerId ?? `${hostname()}:${process.pid}`;
  const tasks = opts.tasks ?? allTasks;
  // A pooled client whose server goes away emits 'error'; unhandled, that would kill the
  // process. Graphile checks for this handler (it holds a long-lived LISTEN connection).
  pool.on('connect', (client) => {
    client.on('error', (err) => logger.warn({ err }, 'database connection lost'));
  });
  // Crash recovery (see WorkerLiveness): the liveness connection is open before any Graphile
  // worker exists, so each one's lock is a single query sent as it is created.
  const liveness = new WorkerLiveness(pool, logger);
  await liveness.connection();
  const events: WorkerEvents = new EventEmitter();
  const hold = (graphileId: string) =>
    liveness
      .hold(graphileId)
      .catch((err: unknown) => logger.warn({ err, graphileId }, 'worker liveness lock not taken'));
  // Graphile Worker 0.17 locks jobs in the name of the pool (`pool-…`); the ids of its workers
  // are held as well, in case a job names one of them.
  events.on('pool:create', ({ workerPool }) => void hold(workerPool.id));
  events.on('worker:create', ({ worker }) => void hold(worker.workerId));
  if (await startErrorReporting(errorReportingOptions(config, 'worker')))
    logger.info('reporting job failures to SENTRY_DSN');
  // Every failed attempt, by task, job id and attempt: never the payload (it may name a patient).
  events.on('job:error', ({ job, error }) =>
    reportError(error, {
      task: job.task_identifier,
      jobId: String(job.id),
      attempt: job.attempts,
      maxAttempts: job.max_attempts,
    }),
  );
  // The liveness connection is checked out of the pool: give it back if Graphile cannot start.
  const runner = await run({
    pgPool: pool,
    events,
    taskList: taskListOf(tasks, { services, workerId }),
    parsedCronItems: parseCronItems(cronItemsOf(tasks)),
    concurrency: config.workerConcurrency,
    noHandleSignals: true,
    logger: graphileLogger(logger),
  }).catch(async (err: unknown) => {
    await liveness.stop();
    throw err;
  });
  // Beat now rather than at the next minute, so health checks see a fresh worker at once.
  await recordHeartbeat(services.db, { workerId, version: config.version }).catch((err: unknown) =>
    logger.warn({ err }, 'first heartbeat failed'),
  );
  const sweep = () =>
    releaseAbandonedJobs(services.db).then(
      (dead) => {
        if (dead.length) logger.warn({ deadWorkers: dead }, 'took over the jobs of dead workers');
      },
      (err: unknown) => logger.warn({ err }, 'looking for jobs of dead workers failed'),
    );
  await sweep();
  const sweeper = setInterval(() => void sweep(), ABANDONED_JOBS_SWEEP_MS);
  sweeper.unref();
  const metrics = await startMetrics(services);
  logger.info({ workerId, concurrency: config.workerConcurrency }, 'worker started');
  let stopping: Promise<void> | undefined;
  return {
    workerId,
    runner,
    stop: () =>
      (stopping ??= (async () => {
        clearInterval(sweeper);
        await runner.stop();
        await runner.promise.catch((err: unknown) =>
          logger.warn({ err }, 'worker stopped with an error'),
        );
        await liveness.stop();
        if (metrics) await new Promise((resolve) => metrics.close(resolve));
        await stopErrorReporting();
      })()),
  };
}

/**
 * The job metrics on WORKER_METRICS_PORT when set, with the process's defaults beside them.
 * Production without METRICS_TOKEN serves nothing (as the server's /metrics), and says so.
 */
async function startMetrics(services: Services): Promise<Server | undefined> {
  const { config, logger, jobMetrics } = services;
  if (config.workerMetricsPort === undefined) return undefined;
  if (config.isProduction && !config.metricsToken) {
    logger.warn('METRICS_TOKEN is not set: the worker does not serve its metrics until it is');
    return undefined;
  }
  collectDefaultMetrics({ register: jobMetrics.registry });
  const server = await serveMetrics(jobMetrics.registry, {
    port: config.workerMetricsPort,
    access: config.metricsToken ? { token: config.metricsToken } : 'open',
    // Without a token the metrics are open, so only to this machine; with one, to the network.
    host: config.metricsToken ? undefined : '127.0.0.1',
    logger,
  });
  logger.info({ port: config.workerMetricsPort }, 'worker metrics served');
  return server;
}
