// Starts MedoraAI on one machine: `npm start` (server + worker), `npm run start:server`,
// `npm run start:worker`, and runs the admin command line (`npm run cli -- …`) with the same
// environment. Plain Node, no dependencies, so it runs before anything is built.
//
// With NODE_ENV=production the processes run the built JavaScript (scripts/node-build.mjs),
// built first when missing or older than the sources; otherwise the TypeScript sources run
// through tsx, with no build step between an edit and a restart.
//
// Without DATABASE_URL the server starts the embedded PostgreSQL under DATA_DIR; the worker,
// started once the server reports ready, joins that same cluster.
//
// Children never outlive this supervisor: each has an IPC channel to it and shuts down (the
// server stopping the embedded PostgreSQL it started) when the channel closes, which happens
// however this process ends, SIGKILL included. Readiness comes over the same channel from the
// child itself, never from probing a port that some other process might answer.
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildNodeApps, builtArgs, nodeBuildReason } from './node-build.mjs';
import { childEnv } from './start-env.mjs';
import { webBuildReason } from './web-build.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const mode = process.argv[2] ?? 'all';
if (!['all', 'server', 'worker', 'cli'].includes(mode)) {
  console.error(`Unknown mode "${mode}". Use: node scripts/start.mjs [server|worker|cli]`);
  process.exit(2);
}

// The CLI reads no logs a person watches: its own level (warn) stands.
const env = childEnv(process.env, {
  root,
  interactive: mode !== 'cli' && process.stdout.isTTY === true,
});

const production = env.NODE_ENV === 'production';

/** How node runs an app's entry: the built bundle in production, the sources through tsx else. */
function entryArgs(app, entry = 'main') {
  return production
    ? builtArgs(root, app, entry)
    : ['--import', 'tsx', `apps/${app}/src/${entry}.ts`];
}

// Never falls back to tsx: a production start that cannot build stops here.
if (production) {
  const reason = nodeBuildReason(root);
  if (reason) {
    if (mode !== 'cli') console.log(`Building the server and the worker (${reason})...`);
    try {
      await buildNodeApps(root);
    } catch (err) {
      console.error(err);
      console.error(
        'The server and the worker failed to build; fix the error above and start again.',
      );
      process.exit(1);
    }
  }
}

if (mode === 'cli') {
  // Not detached: the command reads the password from this terminal.
  const cli = spawn(process.execPath, [...entryArgs('server', 'cli'), ...process.argv.slice(3)], {
    cwd: root,
    env,
    stdio: 'inherit',
  });
  // Ctrl-C reaches the command directly (same process group); wait for its answer.
  process.on('SIGINT', () => undefined);
  process.on('SIGTERM', () => cli.kill('SIGTERM'));
  cli.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
} else {
  await supervise();
}

async function supervise() {
  const withServer = mode !== 'worker';
  const withWorker = mode !== 'server';
  const embedded = !env.DATABASE_URL;

  if (withServer) {
    const problem =
      (await portProblem(Number(env.PORT), env.HOST || '0.0.0.0')) ??
      (embedded ? await embeddedPortProblem(Number(env.EMBEDDED_PG_PORT), env.DATA_DIR) : null);
    if (problem) {
      console.error(problem);
      process.exit(1);
    }
    // Rebuild when the build is missing or older than its sources, so a `git pull` never leaves
    // an old interface being served. A WEB_DIST_DIR given by the caller is served as it is.
    if (!env.WEB_DIST_DIR) {
      const reason = webBuildReason(root);
      if (reason) {
        console.log(`Building the web app (${reason})...`);
        const build = spawnSync('npm', ['run', 'build', '-w', '@medora/web'], {
          cwd: root,
          stdio: 'inherit',
        });
        if (build.status !== 0) {
          console.error('The web app failed to build; fix the error above and start again.');
          process.exit(build.status ?? 1);
        }
      }
      // Serve the built app even outside production; NODE_ENV stays as given, so development
      // keeps its generated local token secret instead of demanding TOKEN_SECRET.
      env.WEB_DIST_DIR = path.join(root, 'apps/web/dist');
    }
  }

  /** @type {Map<string, import('node:child_process').ChildProcess>} */
  const children = new Map();
  let stopping = false;
  let exitCode = 0;

  function launch(name) {
    const child = spawn(process.execPath, entryArgs(name), {
      cwd: root,
      env,
      // The IPC channel is both the readiness report and the child's lifeline to this process.
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      // Own process group: a Ctrl-C in the terminal reaches only this script, which then stops
      // the worker before the server (the server may own the embedded database).
      detached: true,
    });
    children.set(name, child);
    child.on('exit', (code, signal) => {
      children.delete(name);
      if (!stopping) {
        console.error(`${name} exited unexpectedly (${signal ?? `code ${code}`}); stopping.`);
        // A child killed hard (out of memory, SIGKILL) could not stop what it started, such as
        // the embedded PostgreSQL in its process group: a fast shutdown of the group does.
        signalGroup(child, 'SIGINT');
        exitCode = code || 1;
        void shutdown();
      } else if (code) {
        exitCode = code;
      }
      if (children.size === 0 && stopping) process.exit(exitCode);
    });
    return child;
  }

  /** Resolves with the child's ready message, or null when it exits or takes too long. */
  function ready(child, timeoutMs) {
    return new Promise((resolve) => {
      const timer = setTimeout(() => done(null), timeoutMs);
      const onMessage = (message) => {
        if (message && message.type === 'ready') done(message);
      };
      const onExit = () => done(null);
      function done(value) {
        clearTimeout(timer);
        child.off('message', onMessage);
        child.off('exit', onExit);
        resolve(value);
      }
      child.on('message', onMessage);
      child.once('exit', onExit);
    });
  }

  function stopChild(name) {
    const child = children.get(name);
    if (!child) return Promise.resolve();
    return new Promise((resolve) => {
      child.once('exit', resolve);
      child.kill('SIGTERM');
    });
  }

  async function shutdown() {
    if (stopping) return;
    stopping = true;
    await stopChild('worker');
    await stopChild('server');
    process.exit(exitCode);
  }

  // SIGHUP: the terminal was closed; stop as gracefully as for Ctrl-C.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(signal, () => {
      if (stopping) {
        // Second signal: do not wait any longer. The whole process group goes, so the embedded
        // PostgreSQL the server started goes with it.
        for (const child of children.values()) killGroup(child);
        process.exit(1);
      }
      void shutdown();
    });
  }
  // If this script exits on its own, ask the children to stop too (they also see the channel
  // close; this covers a child that is between the two).
  process.on('exit', () => {
    for (const child of children.values()) child.kill('SIGTERM');
  });

  // The first start initialises the embedded database, which can take a while.
  const READY_TIMEOUT_MS = 180_000;
  let url;
  if (withServer) {
    const server = launch('server');
    const message = await ready(server, READY_TIMEOUT_MS);
    if (!message) return failed('server');
    url = message.url;
  }
  if (withWorker && !stopping) {
    const worker = launch('worker');
    if (!(await ready(worker, READY_TIMEOUT_MS))) return failed('worker');
  }

  if (withServer && !stopping) {
    console.log(`
  MedoraAI is running at ${url ?? `http://localhost:${env.PORT}`}

  Create an administrator (in another terminal):
    npm run cli -- create-admin --phone +998901234567 --name "Full Name"
  or start with ADMIN_PHONE and ADMIN_PASSWORD set. Press Ctrl-C to stop.
`);
  } else if (!stopping) {
    console.log('\n  The MedoraAI worker is running. Press Ctrl-C to stop.\n');
  }

  async function failed(name) {
    if (stopping) return;
    console.error(`The ${name} did not start; see its messages above.`);
    exitCode = 1;
    await shutdown();
  }
}

/** Signals the child's whole process group (it leads one: spawned detached); never throws. */
function signalGroup(child, signal) {
  try {
    process.kill(-child.pid, signal);
  } catch {
    // The group is already gone.
  }
}

function killGroup(child) {
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    child.kill('SIGKILL');
  }
}

/** Whether something already listens on the port (resolves false when it is free). */
function inUse(port, host) {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once('error', (err) => resolve(err.code === 'EADDRINUSE'));
    probe.listen({ port, host, exclusive: true }, () => probe.close(() => resolve(false)));
  });
}

async function portProblem(port, host) {
  if (port === 0 || !(await inUse(port, host))) return null;
  return `Port ${port} is already in use, so MedoraAI cannot listen there.
  Another MedoraAI may still be running (stop it first), or another program uses the port.
  To use a different port:  PORT=${port + 1} npm start`;
}

async function embeddedPortProblem(port, dataDir) {
  if (!(await inUse(port, '127.0.0.1'))) return null;
  const cluster = path.join(dataDir, 'postgres');
  const leftover = runningCluster(cluster, port);
  const what = leftover
    ? `A PostgreSQL for ${cluster} is still running from an earlier start (pid ${leftover}).
  Stop it with:  kill -INT ${leftover}   then start again.`
    : `Another program (perhaps another MedoraAI's database) listens on it.`;
  return `Port ${port}, which the embedded PostgreSQL needs, is already in use.
  ${what}
  To use a different port:  EMBEDDED_PG_PORT=${port + 1} npm start
  (or set DATABASE_URL to use a PostgreSQL of your own).`;
}

/** The pid of a live postmaster serving `dir` on `port`, from its postmaster.pid, or null. */
function runningCluster(dir, port) {
  let lines;
  try {
    lines = readFileSync(path.join(dir, 'postmaster.pid'), 'utf8').split('\n');
  } catch {
    return null;
  }
  const pid = Number(lines[0]);
  if (!Number.isInteger(pid) || pid <= 0 || Number(lines[3]) !== port) return null;
  try {
    process.kill(pid, 0);
    return pid;
  } catch (err) {
    return err.code === 'EPERM' ? pid : null;
  }
}
