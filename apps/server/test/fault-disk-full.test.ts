import { execFileSync } from 'node:child_process';
import { mkdtemp, open, rm, rmdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { factories, filesUnder, signInDirectly } from '@medora/core/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DETAILED_HEALTH_CACHE_MS } from '../src/routes/health';
import { startTestServer, type TestServer } from './start-test-server';

// A fault test: DATA_DIR is a 2 MB tmpfs of the test's own, filled up on purpose. Mounting needs
// root, as in the CI container.
let mountDir: string;
let mounted = false;
let server: TestServer;
let token: string;
let patientId: string;

const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);
const pngOfSize = (size: number) => Buffer.concat([PNG, Buffer.alloc(size - PNG.length, 7)]);
const KB = 1024;

beforeAll(async () => {
  mountDir = await mkdtemp(path.join(tmpdir(), 'medora-disk-full-'));
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=2m,mode=0700', 'tmpfs', mountDir]);
  mounted = true;
  // Low below 1 MB free: a fresh 2 MB disk is fine, a full one is not.
  server = await startTestServer({ env: { DATA_DIR: mountDir, DISK_LOW_MB: '1' } });
  const make = factories(server.services.db);
  const doctor = await make.doctor();
  token = (await signInDirectly(server.services, doctor)).accessToken;
  patientId = (await make.patient(doctor)).id;
}, 120_000);

afterAll(async () => {
  await server?.stop();
  if (mounted) execFileSync('umount', [mountDir]);
  if (mountDir) await rmdir(mountDir);
});

async function upload(bytes: Buffer) {
  const form = new FormData();
  form.append('purpose', 'attachment');
  form.append('patientId', patientId);
  form.append('file', new Blob([bytes], { type: 'image/png' }), 'scan.png');
  const res = await fetch(`${server.baseUrl}/api/files`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
    body: form,
  });
  const body = (await res.json().catch(() => ({}))) as { id?: string; error?: { code: string } };
  return { status: res.status, id: body.id ?? null, code: body.error?.code ?? null };
}

const tree = async (dir: string) =>
  (await filesUnder(dir)).map((file) => path.relative(mountDir, file));
const staged = () => tree(path.join(mountDir, 'files', 'staging'));
const stored = () => tree(path.join(mountDir, 'files', 'objects'));
const recorded = async () => ({
  files: (await server.services.db.selectFrom('files').select('id').execute()).map((r) => r.id),
  audits: (
    await server.services.db
      .selectFrom('audit_log')
      .select('entity_id')
      .where('action', '=', 'file.upload')
      .execute()
  ).map((r) => r.entity_id),
});

/** /health/detailed once its shared answer has expired, so it reflects the disk now. */
async function freshHealth() {
  await new Promise((r) => setTimeout(r, DETAILED_HEALTH_CACHE_MS + 100));
  const res = await fetch(`${server.baseUrl}/health/detailed`);
  const body = (await res.json()) as { status: string; checks: { disk: { status: string } } };
  return { status: res.status, overall: body.status, disk: body.checks.disk.status };
}

/** Writes a file until the disk refuses more; returns its path. */
async function fillDisk(): Promise<string> {
  const file = path.join(mountDir, 'filler');
  const handle = await open(file, 'w');
  try {
    const chunk = Buffer.alloc(16 * KB, 1);
    for (;;) await handle.write(chunk);
  } catch (err) {
    expect((err as { code?: string }).code).toBe('ENOSPC');
  } finally {
    await handle.close();
  }
  return file;
}

it('refuses an upload the disk cannot hold with 503 STORAGE_FULL, leaving no file and no row', async () => {
  expect(await freshHealth()).toEqual({ status: 200, overall: 'degraded', disk: 'ok' });
  const first = await upload(pngOfSize(100 * KB));
  expect(first).toMatchObject({ status: 201 });
  const before = { stored: await stored(), recorded: await recorded() };
  expect(before.stored).toHaveLength(1);

  // Bigger than the whole disk: it fills up while streaming.
  const big = await upload(pngOfSize(3 * 1024 * KB));
  expect(big).toEqual({ status: 503, id: null, code: 'STORAGE_FULL' });
  expect(await staged()).toEqual([]);
  expect(await stored()).toEqual(before.stored);
  expect(await recorded()).toEqual(before.recorded);

  // Already full: even a small one is refused the same way, and the health check says so.
  const filler = await fillDisk();
  expect(await freshHealth()).toEqual({ status: 200, overall: 'degraded', disk: 'low' });
  const small = await upload(pngOfSize(50 * KB));
  expect(small).toEqual({ status: 503, id: null, code: 'STORAGE_FULL' });
  expect(await staged()).toEqual([]);
  expect(await stored()).toEqual(before.stored);
  expect(await recorded()).toEqual(before.recorded);

  // The server keeps serving: reads, and the file stored before.
  const download = await fetch(`${server.baseUrl}/api/files/${first.id}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  expect(download.status).toBe(200);
  expect((await download.arrayBuffer()).byteLength).toBe(100 * KB);
  const list = await fetch(
    `${server.baseUrl}/trpc/patient.list?input=${encodeURIComponent('{"json":{}}')}`,
    { headers: { authorization: `Bearer ${token}` } },
  );
  expect(list.status).toBe(200);

  // Space again: uploads work again, without a restart.
  await rm(filler);
  expect(await freshHealth()).toEqual({ status: 200, overall: 'degraded', disk: 'ok' });
  expect(await upload(pngOfSize(50 * KB))).toMatchObject({ status: 201 });
}, 90_000);
