import { createHash } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Db } from '@medora/db';
import {
  filePolicies,
  type FileListItem,
  type FileOutput,
  type UploadFields,
} from '@medora/schema';
import type { AuditService } from '../audit/index';
import { cancellableTransaction } from '../db';
import { AppError, notFound } from '../errors';
import type { Logger } from '../logger';
import { FOREIGN_KEY_VIOLATION, pgViolation } from '../pg-errors';
import { findPatient } from '../patients/queries';
import { assertWritable } from '../subscriptions/writable';
import type { DoctorScope, Scope } from '../scope';
import { claimContradicts, detectType, extensionOf, withTypeExtension } from './detect';
import { sanitizeFileName } from './filename';
import * as files from './queries';
import { newStorageKey, type FileStorage } from './storage';

/** An upload as the transport hands it over: the bytes and what the client claimed about them. */
export interface IncomingFile {
  stream: Readable;
  fileName?: string | undefined;
  mimeType?: string | undefined;
  /**
   * Settles when the whole request body has been read: rejects when something after the file
   * part broke the request (a second file, a cut-off body). Nothing is stored before it resolves,
   * so a refused request never leaves a file behind.
   */
  complete?: Promise<void>;
}

export interface Download {
  name: string;
  mime: string;
  size: number;
  stream: Readable;
}

const tooLarge = () => new AppError('PAYLOAD_TOO_LARGE', 'PAYLOAD_TOO_LARGE');

/** No space (or quota) left on the file system under DATA_DIR. */
const isDiskFull = (err: unknown) =>
  typeof err === 'object' &&
  err !== null &&
  ['ENOSPC', 'EDQUOT'].includes((err as { code?: unknown }).code as string);

/** Counts and hashes bytes on their way to the staging file; fails past `max`. */
function meter(max: number) {
  const hash = createHash('sha256');
  let size = 0;
  const transform = new Transform({
    transform(chunk: Buffer, _enc, done) {
      size += chunk.length;
      if (size > max) return done(tooLarge());
      hash.update(chunk);
      done(null, chunk);
    },
  });
  return { transform, result: () => ({ size, sha256: hash.digest('hex') }) };
}

/**
 * Attachments and receipts. Bytes are streamed into staging while counted and hashed (the cap
 * holds while streaming), typed by their content, and only then stored under a random key, in
 * the same transaction as their row and audit entry.
 */
export class FileService {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
    private readonly storage: FileStorage,
    private readonly logger: Logger,
  ) {}

  async upload(
    scope: DoctorScope,
    fields: UploadFields,
    incoming: IncomingFile,
  ): Promise<FileOutput> {
    const policy = filePolicies[fields.purpose];
    // Attachments are clinical data (read-only once the subscription has ended); receipts are
    // how an expired workspace pays, so they stay open.
    if (fields.purpose === 'attachment') await assertWritable(this.db, scope);
    if (fields.patientId && !(await findPatient(this.db, scope, fields.patientId)))
      return this.deny(scope, 'file.upload', fields.patientId, 'patient');

    const staged = await this.storage.stage().catch((err: unknown) => {
      incoming.stream.resume();
      throw this.storageFull(err) ?? err;
    });
    let stored: string | null = null;
    try {
      const m = meter(policy.maxBytes);
      await pipeline(incoming.stream, m.transform, staged.stream);
      await incoming.complete;
      const { size, sha256 } = m.result();
      if (size === 0) throw new AppError('BAD_REQUEST', 'FILE_EMPTY');
      const mime = await detectType(staged.path);
      if (!mime || !(policy.mimes as readonly string[]).includes(mime))
        throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'FILE_TYPE_NOT_ALLOWED');
      if (claimContradicts(mime, incoming))
        throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'FILE_TYPE_MISMATCH');
      // Sanitized again after the extension: the length cap keeps the appended one.
      const name = sanitizeFileName(
        withTypeExtension(sanitizeFileName(incoming.fileName, extensionOf(mime)), mime),
      );

      const row = await this.db.transaction().execute(async (trx) => {
        if (fields.purpose !== 'receipt') {
          const { used, quota } = await files.lockQuota(trx, scope);
          if (used + size > quota)
            throw new AppError('PAYLOAD_TOO_LARGE', 'STORAGE_QUOTA_EXCEEDED');
        }
        const key = newStorageKey();
        const inserted = await files.insertFile(trx, scope, {
          purpose: fields.purpose,
          patient_id: fields.patientId ?? null,
          name,
          mime,
          size,
          sha256,
          storage_key: key,
        });
        await this.audit.record(
          scope,
          {
            action: 'file.upload',
            outcome: 'success',
            entityType: 'file',
            entityId: inserted.id,
            meta: {
              purpose: fields.purpose,
              mime,
              size,
              ...(fields.patientId && { patientId: fields.patientId }),
            },
          },
          trx,
        );
        // Last step before the commit: if the commit then fails, the stored bytes go again.
        await this.storage.save(key, staged.path);
        stored = key;
        return inserted;
      });
      return { id: row.id, name: row.name, mime: row.mime, size: row.size, sha256: row.sha256 };
    } catch (err) {
      if (stored) await this.storage.remove(stored).catch(() => undefined);
      // The transport's stream may be mid-way: stop reading it.
      incoming.stream.resume();
      throw this.storageFull(err) ?? err;
    } finally {
      await rm(staged.path, { force: true });
    }
  }

  /**
   * A full disk under DATA_DIR is the server's outage, not the client's mistake: a 503
   * STORAGE_FULL the client may retry later (the partial staging file is removed).
   */
  private storageFull(err: unknown): AppError | null {
    if (!isDiskFull(err)) return null;
    this.logger.error({ err }, 'file storage is full: upload refused');
    return new AppError('SERVICE_UNAVAILABLE', 'STORAGE_FULL');
  }

  /** `signal`: the caller gave up (the client hung up); the query stops in PostgreSQL too. */
  async list(
    scope: DoctorScope,
    patientId: string,
    opts: { signal?: AbortSignal } = {},
  ): Promise<{ items: FileListItem[] }> {
    const rows = await cancellableTransaction(this.db, opts.signal, async (trx) => {
      if (!(await findPatient(trx, scope, patientId))) return null;
      await this.audit.record(
        scope,
        { action: 'file.list', outcome: 'success', entityType: 'patient', entityId: patientId },
        trx,
      );
      return files.listPatientFiles(trx, scope, patientId);
    });
    if (!rows) return this.deny(scope, 'file.list', patientId, 'patient');
    return {
      items: rows.map((r) => ({
        id: r.id,
        name: r.name,
        mime: r.mime,
        size: r.size,
        sha256: r.sha256,
        purpose: r.purpose,
        patientId: r.patient_id,
        uploadedBy: { id: r.uploaded_by, name: r.uploader_name },
        createdAt: r.created_at,
      })),
    };
  }

  /** A doctor reads their workspace's files; an administrator reads receipts only. */
  async download(scope: Scope, id: string): Promise<Download> {
    const row = await this.db.transaction().execute(async (trx) => {
      const found =
        scope.role === 'admin'
          ? await files.findReceipt(trx, id)
          : scope.workspaceId
            ? await files.findFile(trx, { workspaceId: scope.workspaceId }, id)
            : undefined;
      if (!found) return undefined;
      await this.audit.record(
        scope,
        {
          action: 'file.download',
          outcome: 'success',
          entityType: 'file',
          entityId: id,
          meta: found.patient_id ? { patientId: found.patient_id } : {},
        },
        trx,
      );
      return found;
    });
    if (!row) return this.deny(scope, 'file.download', id, 'file');
    const { stream, size } = await this.storage.open(row.storage_key);
    return { name: row.name, mime: row.mime, size, stream };
  }

  async delete(scope: DoctorScope, id: string): Promise<void> {
    const gone = await this.db.transaction().execute(async (trx) => {
      const row = await files.deleteFile(trx, scope, id).catch((err: unknown) => {
        // The only references that restrict a delete: a payment's receipt (the ledger keeps it).
        if (pgViolation(err)?.code === FOREIGN_KEY_VIOLATION)
          throw new AppError('CONFLICT', 'FILE_IN_USE');
        throw err;
      });
      if (!row) return undefined;
      if (row.purpose === 'attachment') await assertWritable(trx, scope);
      await this.audit.record(
        scope,
        {
          action: 'file.delete',
          outcome: 'success',
          entityType: 'file',
          entityId: id,
          meta: row.patient_id ? { patientId: row.patient_id } : {},
        },
        trx,
      );
      return row;
    });
    if (!gone) return this.deny(scope, 'file.delete', id, 'file');
    // After the commit: a failure here leaves unreferenced bytes (logged), never a row without bytes.
    await this.storage.remove(gone.storage_key).catch((err: unknown) => {
      this.logger.error({ err, fileId: id }, 'stored file could not be removed');
    });
  }

  private async deny(
    scope: Scope,
    action: string,
    id: string,
    entityType: 'file' | 'patient',
  ): Promise<never> {
    await this.audit.record(scope, { action, outcome: 'denied', entityType, entityId: id });
    throw notFound();
  }
}
