import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Readable, Writable } from 'node:stream';

/**
 * Where file bytes live. Callers see keys and streams only, so an S3-compatible driver can
 * replace the local disk without touching them. Uploads arrive in a local staging file first
 * (size, hash and type are checked there); `save` moves a complete, valid file under its key in
 * one step, so a partial file never exists under a key.
 */
export interface FileStorage {
  /** A new staging file to stream an upload into. */
  stage(): Promise<{ path: string; stream: Writable }>;
  /** Moves a complete staging file under `key` (a rename on local disk). */
  save(key: string, stagingPath: string): Promise<void>;
  /** The stored bytes and their size; rejects when nothing is stored under the key. */
  open(key: string): Promise<{ stream: Readable; size: number }>;
  remove(key: string): Promise<void>;
  /** Deletes staging files older than `olderThanMs` (left by a crash mid-upload). */
  sweepStaging(olderThanMs: number): Promise<number>;
}

/** A fresh random storage key: 256 bits, hex (the database CHECK expects this shape). */
export const newStorageKey = (): string => randomBytes(32).toString('hex');

const KEY = /^[0-9a-f]{64}$/;

/** Local disk under `<DATA_DIR>/files`: objects/ab/cd/<key>, and staging/ for uploads in flight. */
export class LocalDiskStorage implements FileStorage {
  private readonly objects: string;
  private readonly staging: string;

  constructor(root: string) {
    this.objects = path.join(root, 'objects');
    this.staging = path.join(root, 'staging');
  }

  private pathOf(key: string): string {
    // Keys are ours, but a path is built from them: refuse anything that is not one.
    if (!KEY.test(key)) throw new Error('invalid storage key');
    return path.join(this.objects, key.slice(0, 2), key.slice(2, 4), key);
  }

  async stage(): Promise<{ path: string; stream: Writable }> {
    await mkdir(this.staging, { recursive: true, mode: 0o700 });
    const file = path.join(this.staging, `${randomBytes(16).toString('hex')}.part`);
    // 'wx': never follow or reuse an existing file.
    return { path: file, stream: createWriteStream(file, { flags: 'wx', mode: 0o600 }) };
  }

  async save(key: string, stagingPath: string): Promise<void> {
    const target = this.pathOf(key);
    await mkdir(path.dirname(target), { recursive: true, mode: 0o700 });
    await rename(stagingPath, target);
  }

  async open(key: string): Promise<{ stream: Readable; size: number }> {
    const file = this.pathOf(key);
    const { size } = await stat(file);
    return { stream: createReadStream(file), size };
  }

  async remove(key: string): Promise<void> {
    await rm(this.pathOf(key), { force: true });
  }

  async sweepStaging(olderThanMs: number): Promise<number> {
    let names: string[];
    try {
      names = await readdir(this.staging);
    } catch {
      return 0;
    }
    let removed = 0;
    const cutoff = Date.now() - olderThanMs;
    for (const name of names) {
      const file = path.join(this.staging, name);
      const info = await stat(file).catch(() => null);
      if (info && info.mtimeMs < cutoff) {
        await rm(file, { force: true });
        removed++;
      }
    }
    return removed;
  }
}
