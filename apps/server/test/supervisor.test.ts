import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync, utimesSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createTestDatabase, freePort } from '@medora/core/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

// `npm start` is scripts/start.mjs: these tests run it as a user would, on free ports and a
// temporary data directory, with the embedded PostgreSQL (no DATABASE_URL).
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'medora-supervisor-'));
  // Run as root, the embedded PostgreSQL runs as its own user, which must reach its directory.
  await chmod(dir, 0o755);
  await mkdir(path.join(dir, 'web'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

function startScript(env: Record<string, string>) {
  const child = spawn(process.execPath, ['scripts/start.mjs'], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'test',
      LOG_LEVEL: process.env.MEDORA_TEST_LOG_LEVEL ?? 'error',
      TOKEN_SECRET: 'a'.repeat(40),
      DATA_DIR: path.join(dir, 'data'),
      // An empty build: the script serves it as given instead of building the web app.
      WEB_DIST_DIR: path.join(dir, 'web'),
      ...env,
    },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  return { child, exited, output: () => ({ stdout, stderr }) };
}

/** A process that exists and is not a zombie waiting to be reaped. */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

function childrenOf(pid: number): number[] {
  return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
    .trim()
    .split(/\s+/)
    .filter(Boolean)
    .map(Number);
}

/** Waits for the supervisor's "running" line; fails with its output if it exits or stalls. */
async function untilRunning(
  child: ChildProcess,
  output: () => { stdout: string; stderr: string },
): Promise<void> {
  const deadline = Date.now() + 150_000;
  while (!output().stdout.includes('MedoraAI is running at')) {
    if (Date.now() > deadline || child.exitCode !== null)
      throw new Error(`did not start:\n${output().stdout}\n${output().stderr}`);
    await sleep(200);
  }
}

const portTaken = (port: number, host = '127.0.0.1') =>
  new Promise<boolean>((resolve) => {
    const probe = net.createServer();
    probe.once('error', () => resolve(true));
    probe.listen(port, host, () => probe.close(() => resolve(false)));
  });

interface NodeBuild {
  builtArgs: (root: string, app: 'server' | 'worker') => string[];
}
const { builtArgs } = (await import(
  pathToFileURL(path.join(repoRoot, 'scripts/node-build.mjs')).href
)) as NodeBuild;

/** A process's command line, as the kernel has it. */
const commandLine = (pid: number) =>
  readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);

describe('npm start in production', () => {
  it('runs the built server and worker, never the TypeScript sources through tsx', async () => {
    // An out-of-date build (its output only is touched), so the start builds first and the
    // builder must not leave a process of its own behind.
    const bundle = path.join(repoRoot, 'apps/server/dist/main.js');
    if (existsSync(bundle)) utimesSync(bundle, new Date(0), new Date(0));
    const database = await createTestDatabase();
    const port = await freePort();
    const { child, exited, output } = startScript({
      NODE_ENV: 'production',
      DATABASE_URL: database.url,
      HOST: '127.0.0.1',
      PORT: String(port),
    });
    try {
      await untilRunning(child, output);
      expect(output().stdout).toContain('Building the server and the worker');
      const commands = childrenOf(child.pid!).map(commandLine);
      expect(commands.map((c) => c.slice(1))).toEqual([
        builtArgs(repoRoot, 'server'),
        builtArgs(repoRoot, 'worker'),
      ]);
      expect(commands.flat().join(' ')).not.toMatch(/tsx|\.ts\b/);
      expect((await fetch(`http://127.0.0.1:${port}/health`)).status).toBe(200);
      child.kill('SIGTERM');
      expect((await exited)[0]).toBe(0);
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await database.drop();
    }
  }, 180_000);
});

describe('npm start: children never outlive the supervisor', () => {
  it('SIGKILL of the supervisor stops the server, the worker and the embedded PostgreSQL', async () => {
    const [port, pgPort] = [await freePort(), await freePort()];
    const { child, exited, output } = startScript({
      PORT: String(port),
      EMBEDDED_PG_PORT: String(pgPort),
    });
    const started: number[] = [];
    try {
      await untilRunning(child, output);
      expect(output().stdout).toContain(`MedoraAI is running at http://localhost:${port}`);
      // Everything it started: the server and the worker, and the server's database cluster.
      started.push(...childrenOf(child.pid!));
      const postmaster = Number(
        readFileSync(path.join(dir, 'data/postgres/postmaster.pid'), 'utf8').split('\n')[0],
      );
      started.push(postmaster);
      expect(started).toHaveLength(3);
      expect(started.every(alive)).toBe(true);
      expect(await portTaken(port)).toBe(true);

      child.kill('SIGKILL');
      await exited;
      for (let i = 0; i < 100 && started.some(alive); i++) await sleep(100);
      expect(started.filter(alive)).toEqual([]);
      expect(await portTaken(port)).toBe(false);
      expect(await portTaken(pgPort)).toBe(false);
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      for (const pid of started.filter(alive)) process.kill(pid, 'SIGKILL');
    }
  }, 180_000);

  it('a server killed hard takes its embedded PostgreSQL and the worker down with it', async () => {
    const [port, pgPort] = [await freePort(), await freePort()];
    const { child, exited, output } = startScript({
      PORT: String(port),
      EMBEDDED_PG_PORT: String(pgPort),
    });
    const started: number[] = [];
    try {
      await untilRunning(child, output);
      const kids = childrenOf(child.pid!);
      const server = kids.find((pid) =>
        readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('server'),
      );
      expect(server).toBeDefined();
      const postmaster = Number(
        readFileSync(path.join(dir, 'data/postgres/postmaster.pid'), 'utf8').split('\n')[0],
      );
      started.push(...kids, postmaster);
      // An out-of-memory kill: the server gets no chance to stop its database.
      process.kill(server!, 'SIGKILL');
      const [code] = await exited;
      expect(code).not.toBe(0);
      for (let i = 0; i < 100 && started.some(alive); i++) await sleep(100);
      expect(started.filter(alive)).toEqual([]);
      expect(await portTaken(pgPort)).toBe(false);
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      for (const pid of started.filter(alive)) process.kill(pid, 'SIGKILL');
    }
  }, 180_000);
});

describe('npm start: what a person sees', () => {
  it('short readable logs, then the address and the admin hint last', async () => {
    const database = await createTestDatabase();
    const port = await freePort();
    // On a terminal LOG_FORMAT=auto picks pretty and the supervisor picks info (both tested on
    // their own); here they are asked for, so the output can be read from a pipe.
    const { child, exited, output } = startScript({
      NODE_ENV: 'development',
      LOG_FORMAT: 'pretty',
      LOG_LEVEL: 'info',
      NO_COLOR: '1',
      DATABASE_URL: database.url,
      PORT: String(port),
    });
    try {
      const deadline = Date.now() + 120_000;
      while (!output().stdout.includes('Press Ctrl-C to stop.')) {
        if (Date.now() > deadline || child.exitCode !== null)
          throw new Error(`did not start:\n${output().stdout}\n${output().stderr}`);
        await sleep(200);
      }
      // Anything a child would still write arrives before the order is looked at.
      await sleep(1_000);
      const { stdout } = output();
      const lines = stdout.split('\n').filter((l) => l.trim());
      const logLine = /^\[\d\d:\d\d:\d\d\] [A-Z]+ \((server|worker)\): /;
      expect(
        lines.some((l) => l.startsWith('{')),
        stdout,
      ).toBe(false);
      expect(stdout).not.toMatch(/DEBUG/);
      expect(stdout).toMatch(/^\[\d\d:\d\d:\d\d\] INFO \(server\): MedoraAI server listening/m);
      expect(stdout).toMatch(/INFO \(worker\): worker started/);
      const running = lines.findIndex((l) =>
        l.includes(`MedoraAI is running at http://localhost:${port}`),
      );
      expect(running).toBeGreaterThan(0);
      // Both processes logged before it; nothing after it but the hint.
      expect(lines.slice(0, running).filter((l) => logLine.test(l)).length).toBeGreaterThan(3);
      expect(lines.slice(running).some((l) => logLine.test(l))).toBe(false);
      expect(lines.slice(running).join('\n')).toContain('npm run cli -- create-admin');
      expect(lines.at(-1)).toMatch(/Press Ctrl-C to stop\.$/);
    } finally {
      child.kill('SIGINT');
      await exited;
      await database.drop();
    }
  }, 150_000);
});

describe('npm start: ports already in use', () => {
  it('refuses a PORT another process answers /health on, says so, and never says "running"', async () => {
    // What an orphaned server looks like from outside: something answering 200 on /health.
    const impostor = http.createServer((_req, res) => res.end('{"status":"ok"}'));
    await new Promise<void>((resolve) => impostor.listen(0, '0.0.0.0', resolve));
    const { port } = impostor.address() as net.AddressInfo;
    try {
      const { exited, output } = startScript({
        PORT: String(port),
        EMBEDDED_PG_PORT: String(await freePort()),
      });
      const [code] = await exited;
      expect(code).not.toBe(0);
      expect(output().stderr).toContain(`Port ${port} is already in use`);
      expect(output().stderr).toContain(`PORT=${port + 1} npm start`);
      expect(output().stdout).not.toMatch(/running/i);
    } finally {
      impostor.close();
    }
  });

  it('the server itself names a port taken after the check (a race), and exits 1', async () => {
    const holder = net.createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const { port } = holder.address() as net.AddressInfo;
    const database = await createTestDatabase();
    try {
      const server = spawn(process.execPath, ['--import', 'tsx', 'apps/server/src/main.ts'], {
        cwd: repoRoot,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: {
          PATH: process.env.PATH ?? '',
          NODE_ENV: 'test',
          LOG_LEVEL: 'fatal',
          LOG_FORMAT: 'json',
          TOKEN_SECRET: 'a'.repeat(40),
          DATA_DIR: path.join(dir, 'data'),
          DATABASE_URL: database.url,
          HOST: '127.0.0.1',
          PORT: String(port),
        },
      });
      let stdout = '';
      server.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      const [code] = (await once(server, 'exit')) as [number | null];
      expect(code).toBe(1);
      const fatal = stdout
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as { msg: string; port?: number });
      expect(fatal).toHaveLength(1);
      expect(fatal[0]!.port).toBe(port);
      expect(fatal[0]!.msg).toMatch(new RegExp(`^port ${port} is already in use: .*set PORT`));
    } finally {
      holder.close();
      await database.drop();
    }
  });

  it('refuses an EMBEDDED_PG_PORT in use and names a leftover database with how to stop it', async () => {
    const holder = net.createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const { port: pgPort } = holder.address() as net.AddressInfo;
    try {
      const env = { PORT: String(await freePort()), EMBEDDED_PG_PORT: String(pgPort) };
      const other = startScript(env);
      const [code] = await other.exited;
      expect(code).not.toBe(0);
      expect(other.output().stderr).toContain(
        `Port ${pgPort}, which the embedded PostgreSQL needs, is already in use`,
      );
      expect(other.output().stdout).not.toMatch(/running/i);

      // A cluster of this data directory that outlived its server (its postmaster.pid names a
      // live process and this port): the message says which process and how to stop it.
      await mkdir(path.join(dir, 'data/postgres'), { recursive: true });
      await writeFile(
        path.join(dir, 'data/postgres/postmaster.pid'),
        `${process.pid}\n${dir}/data/postgres\n1700000000\n${pgPort}\n/tmp\n127.0.0.1\n`,
      );
      const leftover = startScript(env);
      const [leftoverCode] = await leftover.exited;
      expect(leftoverCode).not.toBe(0);
      expect(leftover.output().stderr).toContain(`still running from an earlier start`);
      expect(leftover.output().stderr).toContain(`kill -INT ${process.pid}`);
      expect(leftover.output().stdout).not.toMatch(/running/i);
    } finally {
      holder.close();
    }
  });
});
