/**
 * What every scenario needs around the product's processes: the repository root, one clean-up
 * that runs once (also on failure or Ctrl-C), scratch directories, the server, the worker or
 * another entry point started as its own process, RSS sampling, and the commit a result belongs
 * to. Scratch databases are in `db.ts`.
 */
import { freePort } from '@medora/db';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The repository root. */
export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');

// Plain JavaScript shared with `npm start` (loaded as such), so the bench starts exactly what
// production runs: the esbuild bundles, with the same Node arguments.
interface NodeBuild {
  buildNodeApps: (root: string) => Promise<void>;
  builtArgs: (root: string, app: 'server' | 'worker') => string[];
}
export const { buildNodeApps, builtArgs } = (await import(
  pathToFileURL(path.join(root, 'scripts/node-build.mjs')).href
)) as NodeBuild;

let built: Promise<void> | undefined;
/**
 * The Node arguments of the product's `app` as production starts it: its bundle (rebuilt first
 * when a source is newer), or `--import tsx` on the sources with BENCH_RUNTIME=tsx; with
 * BENCH_PROFILE_DIR, a CPU profile of each process lands there (`node --cpu-prof`; with
 * BENCH_PROFILE=heap, a sampling heap profile, `--heap-prof`).
 */
export async function productArgs(app: 'server' | 'worker'): Promise<string[]> {
  // BENCH_PROFILE_DIR: every product process writes a V8 CPU profile there when it exits.
  const dir = process.env.BENCH_PROFILE_DIR;
  // BENCH_PROFILE=heap: a sampling heap profile (where memory is allocated) instead.
  const kind = process.env.BENCH_PROFILE === 'heap' ? 'heap' : 'cpu';
  const profile = dir ? [`--${kind}-prof`, `--${kind}-prof-dir=${path.resolve(dir)}`] : [];
  if (process.env.BENCH_RUNTIME === 'tsx')
    return [...profile, '--import', 'tsx', `apps/${app}/src/main.ts`];
  await (built ??= buildNodeApps(root));
  return [...profile, ...builtArgs(root, app)];
}

/** Production's Node flags for `app` (V8's heap settings, source maps), without its bundle. */
export function productNodeFlags(app: 'server' | 'worker'): string[] {
  return builtArgs(root, app).filter((arg) => arg.startsWith('--'));
}

export const log = (scenario: string) => (msg: string) =>
  console.error(`[bench:${scenario}] ${msg}`);
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------------------------------------
// Clean-up

const steps: [name: string, run: () => unknown][] = [];
let cleaning: Promise<void> | undefined;
let trapped = false;

/**
 * Registers an undo step; `cleanUp` runs them last-registered first, so a process goes before
 * the database and directory it uses. The first registration also traps Ctrl-C and SIGTERM
 * (not at import: the runner only reads `root` and `gitCommit` here and handles its own).
 */
export function onCleanup(name: string, run: () => unknown): void {
  steps.push([name, run]);
  if (trapped) return;
  trapped = true;
  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    process.once(signal, () => {
      console.error(`\n${signal}: cleaning up`);
      // The scenario's requests in flight fail as its processes stop: that must not end this
      // process before the rest of the clean-up (the database, the directories) has run.
      process.on('unhandledRejection', () => undefined);
      void cleanUp().finally(() => process.exit(130));
    });
}

/** Runs every registered step once; a failing step is reported and the rest still run. */
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

/**
 * Runs a scenario's `main`, then the clean-up, and exits: with main's code (a number, 0 or 1 for
 * true or false, `process.exitCode` when it returns nothing), or `crashCode` when it threw.
 */
export function runMain(main: () => Promise<number | boolean | void>, crashCode = 1): void {
  void main()
    .then(
      (r) =>
        typeof r === 'number'
          ? r
          : typeof r === 'boolean'
            ? Number(!r)
            : Number(process.exitCode ?? 0),
      (err: unknown) => {
        console.error(err);
        return crashCode;
      },
    )
    .then(async (code) => {
      await cleanUp();
      process.exit(code);
    });
}

/** A fresh temporary directory (e.g. a DATA_DIR), removed by `remove` or at clean-up. */
export async function scratchDir(
  kind: string,
): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), `medora-bench-${kind}-`));
  let removed: Promise<void> | undefined;
  const remove = () => (removed ??= rm(dir, { recursive: true, force: true }));
  onCleanup(`dir ${dir}`, remove);
  return { dir, remove };
}

// ---------------------------------------------------------------------------------------------
// Processes

/** Rate limits out of the way: the benchmark measures the work, not the refusals. */
export const UNLIMITED = {
  RATE_LIMIT_IP_PER_MINUTE: '1000000',
  RATE_LIMIT_ANON_PER_HOUR: '1000000',
  RATE_LIMIT_USER_PER_HOUR: '1000000',
  LOGIN_IP_MAX_FAILURES: '10000',
  REGISTRATION_IP_PER_HOUR: '1000000',
  REGISTRATION_NETWORK_PER_HOUR: '1000000',
};

export interface NodeProcess {
  child: ChildProcess;
  pid: number;
  /** `http://127.0.0.1:<PORT>` of a process that listens. */
  base: string;
  /** SIGTERM, then SIGKILL after 15 s; runs once, and at clean-up when not called before. */
  stop(): Promise<void>;
}

export async function waitForHealth(
  base: string,
  deadline: number,
  child: ChildProcess,
): Promise<void> {
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`process exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${base}/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await sleep(250);
  }
  throw new Error(`${base} did not become healthy`);
}

/** Resolves on the `{ type: 'ready' }` message the server and the worker send their supervisor. */
function waitForReady(name: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not report ready`)), timeoutMs);
    child.on('message', (m: { type?: string }) => {
      if (m?.type !== 'ready') return;
      clearTimeout(timer);
      resolve();
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited (${signal ?? code}) before it was ready`));
    });
  });
}

/**
 * A Node entry point of the repository as its own process, up before this returns. It is
 * stopped at clean-up even when it never came up.
 *
 * - `ready: 'health'`: polled on GET /health (90 s); `'ipc'`: the ready message over an IPC
 *   channel, as `scripts/start.mjs` starts the product (120 s); the channel is also the child's
 *   lifeline, so it stops when this process dies.
 * - `listen` (default true): HOST 127.0.0.1 and a free PORT; otherwise PORT 0.
 * - `args`: the Node arguments instead of `--import tsx <entry>` (a built bundle, a preload).
 * - `inheritEnv: false`: the child sees `env` alone, not this process's environment.
 *   A variable set to `undefined` in `env` is left out (spawn skips it).
 */
export async function startNode(opts: {
  name: string;
  entry?: string;
  args?: string[];
  env: Record<string, string | undefined>;
  ready: 'health' | 'ipc';
  listen?: boolean;
  inheritEnv?: boolean;
  timeoutMs?: number;
}): Promise<NodeProcess> {
  const port = opts.listen === false ? 0 : await freePort();
  const base = `http://127.0.0.1:${port}`;
  const args = opts.args ?? ['--import', 'tsx', opts.entry!];
  const child = spawn(process.execPath, args, {
    cwd: root,
    // stdout: the JSON log lines are written, nobody reads them.
    stdio: ['ignore', 'ignore', 'inherit', ...(opts.ready === 'ipc' ? (['ipc'] as const) : [])],
    env: {
      ...(opts.inheritEnv === false ? {} : process.env),
      HOST: '127.0.0.1',
      PORT: String(port),
      ...opts.env,
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
  onCleanup(`${opts.name} ${child.pid}`, stop);
  if (opts.ready === 'ipc') await waitForReady(opts.name, child, opts.timeoutMs ?? 120_000);
  else await waitForHealth(base, Date.now() + (opts.timeoutMs ?? 90_000), child);
  return { child, pid: child.pid!, base, stop };
}

/**
 * The real server in production mode on `opts.url`, with limits out of the way, healthy before
 * this returns.
 */
export async function startServer(opts: {
  url: string;
  dataDir: string;
  tokenSecret: string;
  metricsToken?: string;
  /** More environment for the server (e.g. WEB_DIST_DIR). */
  env?: Record<string, string>;
}): Promise<NodeProcess> {
  return startNode({
    name: 'server',
    args: await productArgs('server'),
    ready: 'health',
    env: {
      NODE_ENV: 'production',
      DATA_DIR: opts.dataDir,
      DATABASE_URL: opts.url,
      TOKEN_SECRET: opts.tokenSecret,
      ACCESS_TOKEN_TTL_SECONDS: '3600',
      ...(opts.metricsToken ? { METRICS_TOKEN: opts.metricsToken } : {}),
      LOG_LEVEL: 'warn',
      ...UNLIMITED,
      ...opts.env,
    },
  });
}

/**
 * The server or the worker in production mode as `scripts/start.mjs` starts them (the bundle,
 * ready over IPC), with `env` on top of this process's environment. A server gets a free port.
 */
export async function startProduct(
  kind: 'server' | 'worker',
  env: Record<string, string | undefined>,
): Promise<NodeProcess> {
  return startNode({
    name: kind,
    args: await productArgs(kind),
    ready: 'ipc',
    listen: kind === 'server',
    env: { NODE_ENV: 'production', LOG_LEVEL: 'warn', ...env },
  });
}

/**
 * What the server and the worker of one scenario share: its database and data directory, a fresh
 * token secret, and the rules engine only, whatever the calling shell has configured.
 */
export const productEnv = (url: string, dataDir: string) => ({
  DATABASE_URL: url,
  DATA_DIR: dataDir,
  TOKEN_SECRET: randomBytes(32).toString('base64url'),
  ACCESS_TOKEN_TTL_SECONDS: '3600',
  LLM_PROVIDER: undefined,
  LLM_BASE_URL: undefined,
  LLM_API_KEY: undefined,
});

// ---------------------------------------------------------------------------------------------
// Memory

/**
 * VmRSS (kB), its anonymous and file-backed parts, and the thread count from /proc/<pid>/status;
 * throws when the process is gone. The file-backed part is mostly the pages of the `node`
 * binary itself (its code and the ICU data it embeds): clean, shared by every Node process on
 * the host and dropped by the kernel under pressure, unlike the anonymous part (heap, buffers).
 */
export function procStatus(pid: number): {
  rssKb: number;
  anonKb: number;
  fileKb: number;
  threads: number;
} {
  const text = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(text)?.[1] ?? NaN);
  return {
    rssKb: kb('VmRSS'),
    anonKb: kb('RssAnon'),
    fileKb: kb('RssFile') + kb('RssShmem'),
    threads: Number(/Threads:\s+(\d+)/.exec(text)?.[1] ?? NaN),
  };
}
export const rssKb = (pid: number) => procStatus(pid).rssKb;
export const mb = (kb: number) => Math.round((kb / 1024) * 10) / 10;
/** RSS in MB, NaN when the process is gone. */
export function rssMb(pid: number): number {
  try {
    return mb(rssKb(pid));
  } catch {
    return NaN;
  }
}

export interface RssSample {
  atMs: number;
  mb: number;
  /** Anonymous and file-backed parts of `mb`. */
  anonMb: number;
  fileMb: number;
}

/**
 * Samples each pid's RSS every `everyMs`, once at the start and once at `stop`, which returns
 * every pid's samples, peak (with its parts at that sample), peak of the anonymous part and last
 * reading (MB). A process that is gone leaves no sample.
 */
export function sampleRss(pids: readonly number[], everyMs: number) {
  const started = Date.now();
  const samples = pids.map(() => [] as RssSample[]);
  const take = () =>
    pids.forEach((pid, i) => {
      let now: ReturnType<typeof procStatus>;
      try {
        now = procStatus(pid);
      } catch {
        return;
      }
      samples[i]!.push({
        atMs: Date.now() - started,
        mb: mb(now.rssKb),
        anonMb: mb(now.anonKb),
        fileMb: mb(now.fileKb),
      });
    });
  take();
  const timer = setInterval(take, everyMs);
  return {
    stop() {
      clearInterval(timer);
      take();
      return pids.map((pid, i) => {
        const all = samples[i]!;
        const peak = all.reduce<RssSample | undefined>(
          (a, b) => (a && a.mb >= b.mb ? a : b),
          undefined,
        );
        return {
          pid,
          samples: all,
          peakMb: peak?.mb ?? NaN,
          peak,
          peakAnonMb: Math.max(...all.map((s) => s.anonMb)),
          lastMb: all.at(-1)?.mb ?? NaN,
        };
      });
    },
  };
}

// ---------------------------------------------------------------------------------------------

/** The short hash of HEAD, or 'unknown'. */
export function gitCommit(): Promise<string> {
  return new Promise<string>((resolve) => {
    const git = spawn('git', ['rev-parse', '--short', 'HEAD'], { cwd: root });
    let out = '';
    git.stdout.on('data', (d: Buffer) => (out += d.toString()));
    git.on('close', () => resolve(out.trim() || 'unknown'));
    git.on('error', () => resolve('unknown'));
  });
}
