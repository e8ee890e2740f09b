/** Child processes of a benchmark: the server (as in production), health checks, RSS samples. */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '@medora/db';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');

export const log = (scenario: string) => (msg: string) =>
  console.error(`[bench:${scenario}] ${msg}`);

export async function waitForHealth(
  base: string,
  deadline: number,
  child?: ChildProcess,
): Promise<void> {
  while (Date.now() < deadline) {
    if (child && child.exitCode !== null) throw new Error(`process exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${base}/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${base} did not become healthy`);
}

export async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

/** Rate limits out of the way: the benchmark measures the work, not the refusals. */
export const UNLIMITED = {
  RATE_LIMIT_IP_PER_MINUTE: '1000000',
  RATE_LIMIT_ANON_PER_HOUR: '1000000',
  RATE_LIMIT_USER_PER_HOUR: '1000000',
  LOGIN_IP_MAX_FAILURES: '10000',
  REGISTRATION_IP_PER_HOUR: '1000000',
  REGISTRATION_NETWORK_PER_HOUR: '1000000',
};

export interface Started {
  child: ChildProcess;
  base: string;
  pid: number;
}

/**
 * A Node entry point of the repository as its own process on a free loopback port (PORT), healthy
 * before this returns. `track` receives the child at once, so a cleanup can stop it even when
 * the health check fails.
 */
export async function startNode(opts: {
  entry: string;
  env: Record<string, string>;
  track?: (child: ChildProcess) => void;
  timeoutMs?: number;
}): Promise<Started> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, ['--import', 'tsx', opts.entry], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, HOST: '127.0.0.1', PORT: String(port), ...opts.env },
  });
  opts.track?.(child);
  await waitForHealth(base, Date.now() + (opts.timeoutMs ?? 90_000), child);
  return { child, base, pid: child.pid! };
}

/** The real server on `url`, in production mode, with limits out of the way. */
export function startServer(opts: {
  url: string;
  dataDir: string;
  tokenSecret: string;
  metricsToken: string;
  env?: Record<string, string>;
  track?: (child: ChildProcess) => void;
}): Promise<Started> {
  return startNode({
    entry: 'apps/server/src/main.ts',
    track: opts.track,
    env: {
      NODE_ENV: 'production',
      DATA_DIR: opts.dataDir,
      DATABASE_URL: opts.url,
      TOKEN_SECRET: opts.tokenSecret,
      ACCESS_TOKEN_TTL_SECONDS: '3600',
      METRICS_TOKEN: opts.metricsToken,
      LOG_LEVEL: 'warn',
      ...UNLIMITED,
      ...opts.env,
    },
  });
}

export function rssKb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) : NaN;
}
export const mb = (kb: number) => Math.round((kb / 1024) * 10) / 10;

/** Samples a process's VmRSS every `everyMs` until stopped; MB. */
export function sampleRss(pid: number, everyMs: number) {
  const samples: { atMs: number; mb: number }[] = [];
  const started = Date.now();
  const take = () => {
    try {
      samples.push({ atMs: Date.now() - started, mb: mb(rssKb(pid)) });
    } catch {
      // the process is gone; its requests' errors will say so
    }
  };
  take();
  const timer = setInterval(take, everyMs);
  return {
    samples,
    peak: () => Math.max(...samples.map((s) => s.mb)),
    stop: () => {
      clearInterval(timer);
      take();
      return samples;
    },
  };
}

export async function gitCommit(): Promise<string> {
  return new Promise<string>((resolve) => {
    const git = spawn('git', ['rev-parse', '--short', 'HEAD'], { cwd: root });
    let out = '';
    git.stdout.on('data', (d: Buffer) => (out += d.toString()));
    git.on('close', () => resolve(out.trim() || 'unknown'));
    git.on('error', () => resolve('unknown'));
  });
}
