/**
 * What a scenario needs around the product: a scratch database, the server and worker started as
 * their own processes the way `scripts/start.mjs` starts them (`node --import tsx <entry>` with an
 * IPC channel that carries the ready message and doubles as the child's lifeline), RSS sampling,
 * and a clean-up that runs once, also on failure or Ctrl-C.
 */
import { createDb, freePort, migrateToLatest } from '@medora/db';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
export const log = (msg: string) => console.error(`[bench] ${msg}`);
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type Step = [name: string, run: () => Promise<unknown>];
const steps: Step[] = [];
let cleaning: Promise<void> | undefined;

/** Registers an undo step; they run last-registered first. */
export function onCleanup(name: string, run: () => Promise<unknown>): void {
  steps.push([name, run]);
}

export function cleanUp(): Promise<void> {
  cleaning ??= (async () => {
    for (const [name, run] of steps.reverse()) {
      try {
        await run();
      } catch (err) {
        console.error(`cleanup (${name}) failed:`, err);
      }
    }
  })();
  return cleaning;
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.error(`\n${signal}: cleaning up`);
    void cleanUp().finally(() => process.exit(130));
  });
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

export interface Scratch {
  /** Connection string of the scratch database. */
  url: string;
  db: ReturnType<typeof createDb>['db'];
  pool: ReturnType<typeof createDb>['pool'];
  dataDir: string;
}

/** Creates and migrates `medora_bench_<name>_<pid>` and a DATA_DIR; both go at clean-up. */
export async function scratchDatabase(name: string): Promise<Scratch> {
  const adminUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const database = `medora_bench_${name}_${process.pid}`;
  const admin = createDb(adminUrl, { max: 1 });
  await admin.pool.query(`create database ${database}`);
  onCleanup('admin pool', () => admin.pool.end());
  onCleanup('database', () => admin.pool.query(`drop database if exists ${database} with (force)`));
  const url = withDatabase(adminUrl, database);
  const { db, pool } = createDb(url, { max: 4 });
  onCleanup('pool', () => pool.end());
  await migrateToLatest(db);
  const dataDir = await mkdtemp(path.join(tmpdir(), `medora-bench-${name}-`));
  onCleanup('data dir', () => rm(dataDir, { recursive: true, force: true }));
  return { url, db, pool, dataDir };
}

export interface Product {
  kind: 'server' | 'worker';
  child: ChildProcess;
  pid: number;
  /** The server's base URL (servers only). */
  base: string;
  stop(): Promise<void>;
}

const ENTRY = { server: 'apps/server/src/main.ts', worker: 'apps/worker/src/main.ts' } as const;

/**
 * Starts the server or the worker in production mode with `env` on top of this process's
 * environment, and resolves once it reports ready over IPC. A server gets a free port.
 */
export async function startProduct(
  kind: 'server' | 'worker',
  env: Record<string, string | undefined>,
): Promise<Product> {
  const port = kind === 'server' ? await freePort() : 0;
  const child = spawn(process.execPath, ['--import', 'tsx', ENTRY[kind]], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    env: {
      ...process.env,
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      HOST: '127.0.0.1',
      PORT: String(port),
      ...env,
    },
  });
  let stopped: Promise<void> | undefined;
  const stop = () =>
    (stopped ??= (async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    })());
  onCleanup(`${kind} ${child.pid}`, stop);
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${kind} did not report ready`)), 120_000);
    child.on('message', (m: { type?: string }) => {
      if (m?.type !== 'ready') return;
      clearTimeout(timer);
      resolve();
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${kind} exited (${signal ?? code}) before it was ready`));
    });
  });
  return { kind, child, pid: child.pid!, base: `http://127.0.0.1:${port}`, stop };
}

export function rssMb(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Math.round((Number(m[1]) / 1024) * 10) / 10 : NaN;
  } catch {
    return NaN; // the process is gone
  }
}

/** Samples each pid's RSS every `everyMs` until `stop`, which returns the peak and last per pid. */
export function sampleRss(pids: readonly number[], everyMs = 100) {
  const peak = new Map<number, number>(pids.map((p) => [p, rssMb(p)]));
  const timer = setInterval(() => {
    for (const p of pids) peak.set(p, Math.max(peak.get(p)!, rssMb(p) || 0));
  }, everyMs);
  return {
    stop(): { pid: number; peakMb: number; lastMb: number }[] {
      clearInterval(timer);
      return pids.map((pid) => ({ pid, peakMb: peak.get(pid)!, lastMb: rssMb(pid) }));
    },
  };
}
