// Starts MedoraAI on one machine: `npm start` (server + worker), `npm run start:server`,
// `npm run start:worker`. Plain Node, no dependencies, so it runs before anything is built.
//
// Without DATABASE_URL the server starts the embedded PostgreSQL under DATA_DIR; the worker,
// started once the server answers /health, joins that same cluster.
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { webBuildReason } from './web-build.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const mode = process.argv[2] ?? 'all';
if (!['all', 'server', 'worker'].includes(mode)) {
  console.error(`Unknown mode "${mode}". Use: node scripts/start.mjs [server|worker]`);
  process.exit(2);
}
const withServer = mode !== 'worker';
const withWorker = mode !== 'server';

const port = Number(process.env.PORT || 3000);
const webDist = path.join(root, 'apps/web/dist');
const env = { ...process.env };

if (withServer) {
  // Rebuild when the build is missing or older than its sources, so a `git pull` never leaves
  // an old interface being served.
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
  env.WEB_DIST_DIR ||= webDist;
}

/** @type {Map<string, import('node:child_process').ChildProcess>} */
const children = new Map();
let stopping = false;
let exitCode = 0;

function launch(name, entry) {
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    cwd: root,
    env,
    stdio: 'inherit',
    // Own process group: a Ctrl-C in the terminal reaches only this script, which then stops
    // the worker before the server (the server may own the embedded database).
    detached: true,
  });
  children.set(name, child);
  child.on('exit', (code, signal) => {
    children.delete(name);
    if (!stopping) {
      console.error(`${name} exited unexpectedly (${signal ?? `code ${code}`}); stopping.`);
      exitCode = code || 1;
      void shutdown();
    } else if (code) {
      exitCode = code;
    }
    if (children.size === 0 && stopping) process.exit(exitCode);
  });
  return child;
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

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    if (stopping) {
      // Second signal: do not wait any longer.
      for (const child of children.values()) child.kill('SIGKILL');
      process.exit(1);
    }
    void shutdown();
  });
}
// If this script dies, do not leave detached children behind.
process.on('exit', () => {
  for (const child of children.values()) child.kill('SIGTERM');
});

async function waitForHealth(timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!children.has('server')) return false;
    try {
      const res = await fetch(`http://127.0.0.1:${port}/health`);
      if (res.ok) return true;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return false;
}

if (withServer) {
  launch('server', 'apps/server/src/main.ts');
  // The first start initialises the embedded database, which can take a while.
  if (!(await waitForHealth(180_000))) {
    if (!stopping) {
      console.error(`The server did not become healthy on port ${port}.`);
      exitCode = 1;
      await shutdown();
    }
  }
}
if (withWorker && !stopping) launch('worker', 'apps/worker/src/main.ts');

if (withServer && !stopping) {
  console.log(`
  MedoraAI is running at http://localhost:${port}

  Create an administrator (in another terminal):
    npm run cli -- create-admin --phone +998901234567 --name "Full Name"
  or start with ADMIN_PHONE and ADMIN_PASSWORD set. Press Ctrl-C to stop.
`);
}
