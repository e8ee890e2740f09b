import { spawn, type ChildProcess } from 'node:child_process';
import { freePort } from '@medora/db';

/**
 * A Redis server of the test's own (never the shared one) that the test can stop and start
 * again on the same port to play an outage. Without `dir` it keeps nothing; with it, it writes
 * every change to an append-only file there, so a killed server comes back with its data.
 */
export interface TestRedisServer {
  port: number;
  url: string;
  /** Kills the server (SIGKILL by default: an outage, not a shutdown) and waits for it to exit. */
  stop(signal?: NodeJS.Signals): Promise<void>;
  /** Starts it again on the same port (empty unless started with a `dir`). */
  start(): Promise<void>;
}

const START_TIMEOUT_MS = 15_000;

export async function startRedisServer(
  opts: { dir?: string; bin?: string } = {},
): Promise<TestRedisServer> {
  const port = await freePort();
  const persistence = opts.dir
    ? ['--dir', opts.dir, '--appendonly', 'yes', '--appendfsync', 'always']
    : ['--appendonly', 'no'];
  let child: ChildProcess | null = null;

  const start = () =>
    new Promise<void>((resolve, reject) => {
      const proc = spawn(
        opts.bin ?? 'redis-server',
        ['--port', String(port), '--bind', '127.0.0.1', '--save', '', ...persistence],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      );
      child = proc;
      let output = '';
      const timer = setTimeout(() => {
        proc.kill('SIGKILL');
        reject(new Error(`redis-server did not start on ${port}: ${output}`));
      }, START_TIMEOUT_MS);
      proc.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('Ready to accept connections')) {
          clearTimeout(timer);
          resolve();
        }
      });
      proc.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      proc.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`redis-server exited with ${code}: ${output}`));
      });
      proc.once('error', (err) => {
        clearTimeout(timer);
        reject(
          new Error(
            `cannot run ${opts.bin ?? 'redis-server'} (Debian: apt-get install redis-server)`,
            {
              cause: err,
            },
          ),
        );
      });
    });

  const stop = async (signal: NodeJS.Signals = 'SIGKILL') => {
    const proc = child;
    child = null;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    proc.kill(signal);
    await exited;
  };

  await start();
  return { port, url: `redis://127.0.0.1:${port}`, start, stop };
}
