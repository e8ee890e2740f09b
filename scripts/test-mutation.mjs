#!/usr/bin/env node
// npm run test:mutation [-- schema core web] [-- --force]: one Stryker run per package, one
// after another; arguments starting with "--" go to Stryker (--force re-tests every mutant
// instead of reusing the last run's results). Not part of `npm test` or CI: a full run takes
// long. Reports go to reports/mutation/.
import { spawnSync } from 'node:child_process';
import net from 'node:net';

const all = ['schema', 'core', 'web'];
const args = process.argv.slice(2);
const targets = args.filter((a) => !a.startsWith('--'));
const strykerArgs = args.filter((a) => a.startsWith('--'));
for (const t of targets) {
  if (!all.includes(t)) {
    console.error(`unknown package "${t}": choose from ${all.join(', ')}`);
    process.exit(2);
  }
}

/** Whether something listens on the port (a local PostgreSQL or Redis). */
function listening(port) {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.setTimeout(1000);
    const done = (up) => {
      socket.destroy();
      resolve(up);
    };
    socket.once('connect', () => done(true));
    socket.once('timeout', () => done(false));
    socket.once('error', () => done(false));
  });
}

// The integration tests need PostgreSQL: a local server when one is running, else the test setup
// starts an embedded one. Redis too when one is listening, so the Redis branches are measured:
// every test that writes to Redis gives its run its own key prefix, so counts left by earlier
// runs (Stryker repeats the same tests hundreds of times) never trip a limit.
const env = { ...process.env, NODE_ENV: 'test' };
if (!env.TEST_DATABASE_URL && !env.DATABASE_URL && (await listening(5432)))
  env.TEST_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
if (!env.REDIS_URL && (await listening(6379))) env.REDIS_URL = 'redis://127.0.0.1:6379';

let failed = false;
for (const target of targets.length ? targets : all) {
  console.log(`\nmutation testing: ${target}`);
  const run = spawnSync('npx', ['stryker', 'run', 'stryker.config.mjs', ...strykerArgs], {
    stdio: 'inherit',
    env: { ...env, MUTATION_TARGET: target },
  });
  if (run.status !== 0) failed = true;
}
process.exit(failed ? 1 : 0);
