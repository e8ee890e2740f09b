import { listPendingMigrations, probeDatabase, probeDisk, type Services } from '@medora/core';
import type { Middleware } from 'koa';
import type { AppState } from '../state';

const DB_TIMEOUT_MS = 2_000;
const CACHE_TIMEOUT_MS = 1_000;
const DISK_TIMEOUT_MS = 1_000;
/** The heartbeat cron beats every minute; three missed beats mean the worker is gone. */
export const WORKER_STALE_SECONDS = 180;
/**
 * /health/detailed is public and queries the database: its answer is reused this long, so a
 * flood costs at most one check per period, and an outage shows within one period.
 */
export const DETAILED_HEALTH_CACHE_MS = 2_000;

type Outcome<T> = { ok: true; value: T; latencyMs: number } | { ok: false; latencyMs: number };

/** Runs a probe with a deadline so a hung dependency cannot hang the monitor. */
async function probe<T>(op: () => Promise<T>, timeoutMs: number): Promise<Outcome<T>> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    const value = await Promise.race([op(), deadline]);
    return { ok: true, value, latencyMs: Math.round(performance.now() - started) };
  } catch {
    return { ok: false, latencyMs: Math.round(performance.now() - started) };
  } finally {
    clearTimeout(timer);
  }
}

export function healthRoutes(
  services: Services,
  opts: { startedAt: number; isDraining: () => boolean; cacheMs?: number },
) {
  const { db, cache, config } = services;
  const uptimeSeconds = () => Math.round((Date.now() - opts.startedAt) / 1000);
  const cacheMs = opts.cacheMs ?? DETAILED_HEALTH_CACHE_MS;
  // Migrations only change with a deploy: once none are pending, stop asking.
  let migrationsDone = false;

  const basic: Middleware<AppState> = (ctx) => {
    ctx.state.route = '/health';
    ctx.set('Cache-Control', 'no-store');
    // While draining, a load balancer should stop sending new requests here.
    ctx.status = opts.isDraining() ? 503 : 200;
    ctx.body = {
      status: opts.isDraining() ? 'shutting_down' : 'ok',
      version: config.version,
      uptimeSeconds: uptimeSeconds(),
    };
  };

  /** Probes every dependency once; never throws (each probe has its own deadline). */
  const check = async () => {
    const checkedAt = new Date().toISOString();
    // One query both proves the database answers and reads the worker's last heartbeat, timed
    // by the database's clock so app and worker clocks need not agree.
    const [dbProbe, cacheProbe, diskProbe] = await Promise.all([
      probe(() => probeDatabase(db), DB_TIMEOUT_MS),
      probe(() => cache.ping(), CACHE_TIMEOUT_MS),
      probe(() => probeDisk(config.dataDir), DISK_TIMEOUT_MS),
    ]);
    const pending =
      dbProbe.ok && !migrationsDone
        ? await probe(() => listPendingMigrations(db), DB_TIMEOUT_MS)
        : null;
    if (pending?.ok && pending.value.length === 0) migrationsDone = true;

    const beat = dbProbe.ok ? dbProbe.value : null;
    const last = beat?.lastHeartbeatAt ?? null;
    const ageSeconds =
      beat && last ? Math.max(0, Math.round((beat.now.getTime() - last.getTime()) / 1000)) : null;
    const workerOk = ageSeconds !== null && ageSeconds <= WORKER_STALE_SECONDS;
    const migrations = !dbProbe.ok
      ? { status: 'unknown', pending: [] as string[] }
      : migrationsDone
        ? { status: 'ok', pending: [] as string[] }
        : pending?.ok
          ? { status: 'pending', pending: pending.value }
          : { status: 'unknown', pending: [] as string[] };

    const checks = {
      database: { status: dbProbe.ok ? 'ok' : 'down', latencyMs: dbProbe.latencyMs },
      cache: {
        status: cacheProbe.ok ? 'ok' : 'down',
        backend: cache.kind,
        latencyMs: cacheProbe.latencyMs,
      },
      worker: {
        status: workerOk ? 'ok' : 'stale',
        lastHeartbeatAt: last?.toISOString() ?? null,
        ageSeconds,
      },
      migrations,
      // Uploads need room under DATA_DIR; only the verdict is public, not the numbers.
      disk: {
        status: !diskProbe.ok
          ? 'unknown'
          : diskProbe.value.freeBytes < config.diskLowBytes
            ? 'low'
            : 'ok',
      },
    };
    const status = !dbProbe.ok
      ? 'down'
      : !cacheProbe.ok || !workerOk || migrations.status !== 'ok' || checks.disk.status !== 'ok'
        ? 'degraded'
        : 'ok';
    if (!dbProbe.ok) services.logger.warn({ checks }, 'health: database unreachable');
    if (checks.disk.status === 'low')
      services.logger.warn('health: little free space under DATA_DIR');
    return { status, checkedAt, checks };
  };

  // Concurrent callers share the check in flight; later ones reuse its result until `cacheMs`
  // after it started. Failures are kept as well: during an outage the probes wait for their
  // deadlines, which is exactly when a flood must not multiply them.
  let memo: { startedAt: number; result: ReturnType<typeof check> } | undefined;
  const cachedCheck = () => {
    const now = Date.now();
    if (!memo || now - memo.startedAt >= cacheMs) memo = { startedAt: now, result: check() };
    return memo.result;
  };

  const detailed: Middleware<AppState> = async (ctx) => {
    ctx.state.route = '/health/detailed';
    ctx.set('Cache-Control', 'no-store');
    const { status, checkedAt, checks } = await cachedCheck();
    ctx.status = status === 'down' ? 503 : 200;
    ctx.body = {
      status,
      version: config.version,
      uptimeSeconds: uptimeSeconds(),
      checkedAt,
      checks,
    };
  };

  return { basic, detailed };
}
