/**
 * Pieces every HTTP benchmark shares: the real server started as its own process on a scratch
 * database, waiting for it, stopping it, and the commit a result belongs to.
 */
import { freePort } from '@medora/db';
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');

/** `url` pointing at another database on the same server. */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

export async function waitForHealth(
  base: string,
  deadline: number,
  child: ChildProcess,
): Promise<void> {
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${base}/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error('server did not become healthy');
}

export async function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

export interface ServerOptions {
  url: string;
  dataDir: string;
  tokenSecret: string;
  metricsToken?: string;
  /** More environment for the server (e.g. WEB_DIST_DIR). */
  env?: Record<string, string>;
  /** Called with the child as soon as it is spawned, so a caller's clean-up can stop it. */
  onSpawn?: (child: ChildProcess) => void;
}

/**
 * The real server (`NODE_ENV=production`) as its own process on `opts.url`, with the rate
 * limits out of the way of a load generator; resolves once `/health` answers.
 */
export async function startServer(
  opts: ServerOptions,
): Promise<{ child: ChildProcess; base: string; pid: number }> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, ['--import', 'tsx', 'apps/server/src/main.ts'], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: {
      ...process.env,
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: String(port),
      DATA_DIR: opts.dataDir,
      DATABASE_URL: opts.url,
      TOKEN_SECRET: opts.tokenSecret,
      ACCESS_TOKEN_TTL_SECONDS: '3600',
      ...(opts.metricsToken ? { METRICS_TOKEN: opts.metricsToken } : {}),
      LOG_LEVEL: 'warn',
      RATE_LIMIT_IP_PER_MINUTE: '1000000',
      RATE_LIMIT_ANON_PER_HOUR: '1000000',
      RATE_LIMIT_USER_PER_HOUR: '1000000',
      LOGIN_IP_MAX_FAILURES: '10000',
      REGISTRATION_IP_PER_HOUR: '1000000',
      REGISTRATION_NETWORK_PER_HOUR: '1000000',
      ...opts.env,
    },
  });
  opts.onSpawn?.(child);
  await waitForHealth(base, Date.now() + 90_000, child);
  return { child, base, pid: child.pid! };
}

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
