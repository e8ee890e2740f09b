import { mkdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

// `npm start`'s helper is plain Node (it runs before anything is built): load it as such.
interface WebBuild {
  webBuildReason: (root: string) => string | null;
}
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const moduleUrl = pathToFileURL(path.join(repoRoot, 'scripts/web-build.mjs')).href;
const { webBuildReason } = (await import(moduleUrl)) as WebBuild;
interface StartEnv {
  childEnv: (
    source: Record<string, string | undefined>,
    opts: { root: string; interactive: boolean },
  ) => Record<string, string | undefined>;
}
const { childEnv } = (await import(
  pathToFileURL(path.join(repoRoot, 'scripts/start-env.mjs')).href
)) as StartEnv;

let root: string;
beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'medora-start-'));
});
afterEach(() => rm(root, { recursive: true, force: true }));

const BUILT_AT = new Date('2026-01-02T00:00:00Z');
const BEFORE = new Date('2026-01-01T00:00:00Z');
const AFTER = new Date('2026-01-03T00:00:00Z');

/** Writes a file (parents included) with the given modification time. */
function file(relative: string, mtime: Date): void {
  const full = path.join(root, relative);
  mkdirSync(path.dirname(full), { recursive: true });
  writeFileSync(full, 'x');
  utimesSync(full, mtime, mtime);
}

/** A checkout whose web build is newer than every source. */
function builtTree(): void {
  file('apps/web/index.html', BEFORE);
  file('apps/web/src/main.tsx', BEFORE);
  file('apps/web/src/routes/deep/page.tsx', BEFORE);
  file('packages/schema/src/phone.ts', BEFORE);
  file('apps/web/dist/index.html', BUILT_AT);
}

describe('npm start: when to build the web app', () => {
  it('builds on first start', () => {
    file('apps/web/src/main.tsx', BEFORE);
    expect(webBuildReason(root)).toBe('first start');
  });

  it('skips the build when nothing changed since it', () => {
    builtTree();
    expect(webBuildReason(root)).toBeNull();
  });

  it('ignores build output and installed packages', () => {
    builtTree();
    file('apps/web/dist/assets/index-abc.js', AFTER);
    file('apps/web/node_modules/.vite/deps/chunk.js', AFTER);
    file('apps/web/src/node_modules/stray.js', AFTER);
    expect(webBuildReason(root)).toBeNull();
  });

  it.each([
    'apps/web/src/routes/deep/page.tsx',
    'apps/web/index.html',
    'apps/web/package.json',
    'packages/schema/src/phone.ts',
  ])('rebuilds when %s is newer than the build (e.g. after git pull)', (changed) => {
    builtTree();
    file(changed, AFTER);
    expect(webBuildReason(root)).toMatch(/changed/);
  });
});

describe('npm start and npm run cli: one environment for every process', () => {
  const checkout = '/srv/medora';

  it('fills in the data directory (against the checkout) and both ports', () => {
    expect(childEnv({}, { root: checkout, interactive: false })).toMatchObject({
      DATA_DIR: '/srv/medora/.data',
      PORT: '3000',
      EMBEDDED_PG_PORT: '54329',
    });
    const given = childEnv(
      { DATA_DIR: 'elsewhere', PORT: '8080', EMBEDDED_PG_PORT: '55000', EXTRA: 'kept' },
      { root: checkout, interactive: false },
    );
    expect(given).toMatchObject({
      DATA_DIR: '/srv/medora/elsewhere',
      PORT: '8080',
      EMBEDDED_PG_PORT: '55000',
      EXTRA: 'kept',
    });
    expect(
      childEnv({ DATA_DIR: '/var/lib/medora' }, { root: checkout, interactive: false }),
    ).toMatchObject({ DATA_DIR: '/var/lib/medora' });
  });

  it('logs at info for a person at a terminal outside production, as configured otherwise', () => {
    const level = (source: Record<string, string>, interactive: boolean) =>
      childEnv(source, { root: checkout, interactive }).LOG_LEVEL;
    expect(level({}, true)).toBe('info');
    expect(level({ NODE_ENV: 'development' }, true)).toBe('info');
    expect(level({ LOG_LEVEL: 'debug' }, true)).toBe('debug');
    expect(level({}, false)).toBeUndefined();
    expect(level({ NODE_ENV: 'production' }, true)).toBeUndefined();
  });
});

interface NodeBuild {
  nodeBuildReason: (root: string) => string | null;
  builtArgs: (root: string, app: 'server' | 'worker', entry?: string) => string[];
}
const { nodeBuildReason, builtArgs } = (await import(
  pathToFileURL(path.join(repoRoot, 'scripts/node-build.mjs')).href
)) as NodeBuild;

/** A checkout whose server and worker bundles are newer than every source. */
function builtNodeTree(): void {
  file('apps/server/src/main.ts', BEFORE);
  file('apps/worker/src/tasks/analysis__run.ts', BEFORE);
  file('packages/core/src/patients/service.ts', BEFORE);
  file('scripts/node-build.mjs', BEFORE);
  for (const bundle of ['apps/server/dist/main.js', 'apps/server/dist/cli.js'])
    file(bundle, BUILT_AT);
  file('apps/worker/dist/main.js', BUILT_AT);
}

describe('npm start in production: when to build the server and the worker', () => {
  it('builds on first start, and when one bundle is missing', () => {
    file('apps/server/src/main.ts', BEFORE);
    expect(nodeBuildReason(root)).toBe('first start');
    builtNodeTree();
    rmSync(path.join(root, 'apps/server/dist/cli.js'));
    expect(nodeBuildReason(root)).toBe('first start');
  });

  it('skips the build when nothing changed since it, whatever the build output says', () => {
    builtNodeTree();
    expect(nodeBuildReason(root)).toBeNull();
    file('apps/server/dist/main.js.map', AFTER);
    file('packages/core/node_modules/.cache/x.js', AFTER);
    expect(nodeBuildReason(root)).toBeNull();
  });

  it.each([
    'apps/server/src/routes/health.ts',
    'apps/worker/src/tasks/analysis__run.ts',
    'packages/core/src/patients/service.ts',
    'packages/schema/src/phone.ts',
    'apps/worker/package.json',
    'scripts/node-build.mjs',
  ])('rebuilds when %s is newer than the oldest bundle', (changed) => {
    builtNodeTree();
    file(changed, AFTER);
    expect(nodeBuildReason(root)).toMatch(/changed/);
  });

  it('the image and docker compose run the bundles exactly as npm start does', () => {
    const read = (name: string) => readFileSync(path.join(repoRoot, name), 'utf8');
    // Paths relative to the image's working directory, /app, the checkout's root.
    const expected = (app: 'server' | 'worker') => ['node', ...builtArgs('', app)];
    const cmd = /^CMD (\[.*\])$/m.exec(read('Dockerfile'));
    expect(JSON.parse(cmd![1]!)).toEqual(expected('server'));
    // The worker's command, a YAML flow sequence of quoted strings (one line or several).
    const command = /^ {4}command:\s*(\[[^\]]*'node'[^\]]*\])/m.exec(read('docker-compose.yml'));
    const list = command![1]!.replaceAll("'", '"').replace(/,\s*\]$/, ']');
    expect(JSON.parse(list)).toEqual(expected('worker'));
  });
});
