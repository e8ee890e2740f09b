import { mkdtempSync, rmSync } from 'node:fs';
import { readdir, readFile, stat, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { LocalDiskStorage, newStorageKey } from '../src/files/storage';

// The local disk driver: keys to paths, staging, the move into place, and the staging sweep.

const roots: string[] = [];
const freshRoot = () => {
  const root = mkdtempSync(path.join(tmpdir(), 'medora-storage-'));
  roots.push(root);
  return root;
};
afterAll(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

const modeOf = async (p: string) => (await stat(p)).mode & 0o777;

async function stageBytes(storage: LocalDiskStorage, bytes: Buffer) {
  const staged = await storage.stage();
  await pipeline(Readable.from([bytes]), staged.stream);
  return staged.path;
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

describe('newStorageKey', () => {
  it('is 64 hex characters, fresh on every call', () => {
    const keys = new Set(Array.from({ length: 50 }, newStorageKey));
    expect(keys.size).toBe(50);
    for (const key of keys) expect(key).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('LocalDiskStorage', () => {
  it('stages into a private, fresh .part file under staging/', async () => {
    const root = freshRoot();
    const storage = new LocalDiskStorage(root);
    const one = await storage.stage();
    const two = await storage.stage();
    expect(path.dirname(one.path)).toBe(path.join(root, 'staging'));
    expect(path.basename(one.path)).toMatch(/^[0-9a-f]{32}\.part$/);
    expect(one.path).not.toBe(two.path);
    await pipeline(Readable.from([Buffer.from('abc')]), one.stream);
    two.stream.end();
    await new Promise((resolve) => two.stream.once('close', resolve));
    expect(await modeOf(path.join(root, 'staging'))).toBe(0o700);
    expect(await modeOf(one.path)).toBe(0o600);
    expect(await readFile(one.path, 'utf8')).toBe('abc');
  });

  it('creates the staging folder inside a root that does not exist yet', async () => {
    const root = path.join(freshRoot(), 'data', 'files');
    const storage = new LocalDiskStorage(root);
    const staged = await storage.stage();
    staged.stream.end('x');
    await new Promise((resolve) => staged.stream.once('close', resolve));
    expect(await readdir(path.join(root, 'staging'))).toEqual([path.basename(staged.path)]);
  });

  it('moves a staged file under objects/ab/cd/<key>, and opens it with its size', async () => {
    const root = freshRoot();
    const storage = new LocalDiskStorage(root);
    const staged = await stageBytes(storage, Buffer.from('hello, bytes'));
    const key = newStorageKey();
    await storage.save(key, staged);
    const target = path.join(root, 'objects', key.slice(0, 2), key.slice(2, 4), key);
    expect(await readFile(target, 'utf8')).toBe('hello, bytes');
    expect(await readdir(path.join(root, 'staging'))).toEqual([]);
    expect(await modeOf(path.join(root, 'objects', key.slice(0, 2)))).toBe(0o700);
    expect(await modeOf(path.dirname(target))).toBe(0o700);
    const opened = await storage.open(key);
    expect(opened.size).toBe(12);
    expect((await readAll(opened.stream)).toString()).toBe('hello, bytes');
  });

  it('refuses to open a key under which nothing is stored', async () => {
    const storage = new LocalDiskStorage(freshRoot());
    await expect(storage.open(newStorageKey())).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('removes stored bytes, and removing them twice is no error', async () => {
    const root = freshRoot();
    const storage = new LocalDiskStorage(root);
    const key = newStorageKey();
    await storage.save(key, await stageBytes(storage, Buffer.from('x')));
    await storage.remove(key);
    await expect(storage.open(key)).rejects.toMatchObject({ code: 'ENOENT' });
    await expect(storage.remove(key)).resolves.toBeUndefined();
    await expect(storage.remove(newStorageKey())).resolves.toBeUndefined();
  });

  it('refuses anything that is not a key before touching the disk', async () => {
    // The storage root sits deep inside the test's own folder, so that even a key that climbs
    // out of objects/ (were the guard to fail) lands inside that folder, never elsewhere.
    const base = freshRoot();
    const root = path.join(base, 'l1', 'l2', 'l3', 'l4', 'l5', 'files');
    const storage = new LocalDiskStorage(root);
    const staged = await stageBytes(storage, Buffer.from('x'));
    const climbing = '../../../../outside';
    for (const bad of [
      climbing,
      'A'.repeat(64),
      'a'.repeat(63),
      'a'.repeat(65),
      `${'a'.repeat(64)}/`,
      `/${'a'.repeat(64)}`,
      '',
    ]) {
      await expect(storage.save(bad, staged), bad).rejects.toThrow('invalid storage key');
      await expect(storage.open(bad), bad).rejects.toThrow('invalid storage key');
      await expect(storage.remove(bad), bad).rejects.toThrow('invalid storage key');
    }
    // Nothing was moved or created.
    expect(await readdir(path.join(root, 'staging'))).toEqual([path.basename(staged)]);
    await expect(readdir(path.join(root, 'objects'))).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await readdir(path.join(base, 'l1'))).toEqual(['l2']);
  });

  it('sweeps only staging files older than the age given, and counts them', async () => {
    const root = freshRoot();
    const storage = new LocalDiskStorage(root);
    const old = await stageBytes(storage, Buffer.from('old'));
    const older = await stageBytes(storage, Buffer.from('older'));
    const fresh = await stageBytes(storage, Buffer.from('fresh'));
    const hourAgo = new Date(Date.now() - 60 * 60 * 1000);
    await utimes(old, hourAgo, hourAgo);
    const dayAgo = new Date(Date.now() - 24 * 60 * 60 * 1000);
    await utimes(older, dayAgo, dayAgo);
    // Stored objects are never the sweep's business.
    const key = newStorageKey();
    await storage.save(key, await stageBytes(storage, Buffer.from('kept')));
    await utimes(path.join(root, 'objects', key.slice(0, 2), key.slice(2, 4), key), dayAgo, dayAgo);

    expect(await storage.sweepStaging(2 * 24 * 60 * 60 * 1000)).toBe(0);
    expect(await storage.sweepStaging(2 * 60 * 60 * 1000)).toBe(1);
    expect((await readdir(path.join(root, 'staging'))).sort()).toEqual(
      [path.basename(old), path.basename(fresh)].sort(),
    );
    expect(await storage.sweepStaging(10 * 60 * 1000)).toBe(1);
    expect(await readdir(path.join(root, 'staging'))).toEqual([path.basename(fresh)]);
    expect((await storage.open(key)).size).toBe(4);
  });

  it('sweeps nothing, without failing, when there is no staging folder yet', async () => {
    const storage = new LocalDiskStorage(path.join(freshRoot(), 'never-used'));
    expect(await storage.sweepStaging(0)).toBe(0);
  });
});
