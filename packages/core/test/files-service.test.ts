import { doctorScope, filesUnder } from '../src/testing';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { Readable } from 'node:stream';
import { MB } from '@medora/schema';
import pino from 'pino';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../src/errors';
import { FileService, type IncomingFile } from '../src/files/service';
import { LocalDiskStorage, type FileStorage } from '../src/files/storage';
import type { DoctorScope, Scope } from '../src/scope';
import { coreServices, type CoreHarness } from './services';

// FileService on a real database and the real disk storage: what an upload stores and audits,
// what it refuses and leaves behind (nothing), and who may list, read and delete.

let h: CoreHarness;
let scope: DoctorScope;
let otherScope: DoctorScope;
let patient: { id: string };

const scopeOf = (d: { userId: string; workspaceId: string }) => doctorScope(d);

const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);
const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
);
const GIF = Buffer.concat([
  Buffer.from('GIF89a'),
  Buffer.from([1, 0, 1, 0, 0, 0, 0]),
  Buffer.alloc(64),
]);
const pngOfSize = (size: number) => Buffer.concat([PNG, Buffer.alloc(size - PNG.length, 0)]);
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** The bytes as a transport would hand them over, in chunks. */
const incoming = (bytes: Buffer, claim: Omit<IncomingFile, 'stream'> = {}): IncomingFile => {
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += 64 * 1024) chunks.push(bytes.subarray(i, i + 64 * 1024));
  return { stream: Readable.from(chunks), ...claim };
};

const filesRoot = () => path.join(h.services.config.dataDir, 'files');
const staged = () => filesUnder(path.join(filesRoot(), 'staging'));
const stored = () => filesUnder(path.join(filesRoot(), 'objects'));
const rowCount = async () =>
  Number(
    (
      await h.t.db
        .selectFrom('files')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );
const auditOf = (entityId: string) =>
  h.t.db
    .selectFrom('audit_log')
    .select(['action', 'outcome', 'entity_type', 'actor_user_id', 'workspace_id', 'meta'])
    .where('entity_id', '=', entityId)
    .orderBy('id')
    .execute();

/** The error a promise rejects with, as an AppError's kind and code. */
async function refusal(p: Promise<unknown>): Promise<{ kind: string; code: string }> {
  const err = await p.then(
    () => {
      throw new Error('expected a refusal');
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  const { kind, code } = err as AppError;
  return { kind, code };
}

beforeAll(async () => {
  h = await coreServices();
  const a = await h.make.doctor({ name: 'Nodira Yusupova' });
  scope = scopeOf(a);
  otherScope = scopeOf(await h.make.doctor());
  patient = await h.make.patient(a);
});
afterAll(() => h.close());

describe('FileService.upload', () => {
  it('stores the bytes under a random key, with the row and an audit entry for the patient', async () => {
    const out = await h.services.files.upload(
      scope,
      { purpose: 'attachment', patientId: patient.id },
      incoming(PNG, { fileName: 'lab sheet.png', mimeType: 'image/png' }),
    );
    expect(out).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/) as unknown,
      name: 'lab sheet.png',
      mime: 'image/png',
      size: PNG.length,
      sha256: sha(PNG),
    });
    const row = await h.t.db
      .selectFrom('files')
      .selectAll()
      .where('id', '=', out.id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      workspace_id: scope.workspaceId,
      uploaded_by: scope.userId,
      purpose: 'attachment',
      patient_id: patient.id,
      name: 'lab sheet.png',
      mime: 'image/png',
      size: PNG.length,
      sha256: sha(PNG),
    });
    const key = row.storage_key;
    expect((await stored()).map((f) => path.basename(f))).toContain(key);
    const opened = await h.services.storage.open(key);
    expect(opened.size).toBe(PNG.length);
    opened.stream.destroy();
    expect(await auditOf(out.id)).toEqual([
      {
        action: 'file.upload',
        outcome: 'success',
        entity_type: 'file',
        actor_user_id: scope.userId,
        workspace_id: scope.workspaceId,
        meta: { purpose: 'attachment', mime: 'image/png', size: PNG.length, patientId: patient.id },
      },
    ]);
    expect(await staged()).toEqual([]);
  });

  it('stores a file of no patient, and names a nameless one by its detected type', async () => {
    const out = await h.services.files.upload(scope, { purpose: 'receipt' }, incoming(PDF));
    expect(out).toMatchObject({ name: 'file.pdf', mime: 'application/pdf', size: PDF.length });
    const row = await h.t.db
      .selectFrom('files')
      .select(['purpose', 'patient_id'])
      .where('id', '=', out.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ purpose: 'receipt', patient_id: null });
    const [audit] = await auditOf(out.id);
    expect(audit!.meta).toEqual({ purpose: 'receipt', mime: 'application/pdf', size: PDF.length });
  });

  it('cleans the name it stores', async () => {
    const out = await h.services.files.upload(
      scope,
      { purpose: 'attachment' },
      incoming(PNG, { fileName: '..\\..\\con.png' }),
    );
    expect(out.name).toBe('_con.png');
  });

  it("answers NOT_FOUND for another workspace's patient, audits the denial and stores nothing", async () => {
    const [rows, objects] = [await rowCount(), await stored()];
    const bytes = incoming(PNG, { fileName: 'a.png' });
    expect(
      await refusal(
        h.services.files.upload(
          otherScope,
          { purpose: 'attachment', patientId: patient.id },
          bytes,
        ),
      ),
    ).toEqual({ kind: 'NOT_FOUND', code: 'NOT_FOUND' });
    expect(await rowCount()).toBe(rows);
    expect(await stored()).toEqual(objects);
    expect(await staged()).toEqual([]);
    const denied = (await auditOf(patient.id)).filter((a) => a.outcome === 'denied');
    expect(denied).toEqual([
      {
        action: 'file.upload',
        outcome: 'denied',
        entity_type: 'patient',
        actor_user_id: otherScope.userId,
        workspace_id: otherScope.workspaceId,
        meta: {},
      },
    ]);
  });

  it.each([
    ['a zero-byte file', Buffer.alloc(0), {}, 'BAD_REQUEST', 'FILE_EMPTY'],
    [
      'bytes of no known type',
      Buffer.from('plain text'),
      {},
      'UNSUPPORTED_MEDIA_TYPE',
      'FILE_TYPE_NOT_ALLOWED',
    ],
    [
      'a GIF as a receipt',
      GIF,
      { purpose: 'receipt' },
      'UNSUPPORTED_MEDIA_TYPE',
      'FILE_TYPE_NOT_ALLOWED',
    ],
    [
      'a PDF labelled a PNG',
      PDF,
      { mimeType: 'image/png' },
      'UNSUPPORTED_MEDIA_TYPE',
      'FILE_TYPE_MISMATCH',
    ],
    [
      'a PDF named .jpg',
      PDF,
      { fileName: 'scan.jpg' },
      'UNSUPPORTED_MEDIA_TYPE',
      'FILE_TYPE_MISMATCH',
    ],
  ] as const)('refuses %s and keeps nothing', async (_label, bytes, extra, kind, code) => {
    const [rows, objects] = [await rowCount(), await stored()];
    const { purpose = 'attachment', ...claim } = extra as {
      purpose?: 'attachment' | 'receipt';
      mimeType?: string;
      fileName?: string;
    };
    expect(
      await refusal(h.services.files.upload(scope, { purpose }, incoming(bytes, claim))),
    ).toEqual({
      kind,
      code,
    });
    expect(await rowCount()).toBe(rows);
    expect(await stored()).toEqual(objects);
    expect(await staged()).toEqual([]);
  });

  it('takes a GIF as an attachment', async () => {
    const out = await h.services.files.upload(scope, { purpose: 'attachment' }, incoming(GIF));
    expect(out).toMatchObject({ mime: 'image/gif', name: 'file.gif' });
  });

  it('holds each purpose to its size: exactly the limit passes, one byte more does not', async () => {
    const receipt = await h.services.files.upload(
      scope,
      { purpose: 'receipt' },
      incoming(pngOfSize(5 * MB), { fileName: 'r.png' }),
    );
    expect(receipt.size).toBe(5 * MB);
    expect(receipt.sha256).toBe(sha(pngOfSize(5 * MB)));
    const [rows, objects] = [await rowCount(), await stored()];
    expect(
      await refusal(
        h.services.files.upload(scope, { purpose: 'receipt' }, incoming(pngOfSize(5 * MB + 1))),
      ),
    ).toEqual({ kind: 'PAYLOAD_TOO_LARGE', code: 'PAYLOAD_TOO_LARGE' });
    expect(await rowCount()).toBe(rows);
    expect(await stored()).toEqual(objects);
    expect(await staged()).toEqual([]);
    // An attachment may be larger.
    const attachment = await h.services.files.upload(
      scope,
      { purpose: 'attachment' },
      incoming(pngOfSize(5 * MB + 1)),
    );
    expect(attachment.size).toBe(5 * MB + 1);
  });

  it('stores nothing when the rest of the request turns out broken', async () => {
    const [rows, objects] = [await rowCount(), await stored()];
    const broken = new AppError('BAD_REQUEST', 'VALIDATION_FAILED');
    const complete = Promise.reject(broken);
    complete.catch(() => undefined);
    await expect(
      h.services.files.upload(scope, { purpose: 'attachment' }, { ...incoming(PNG), complete }),
    ).rejects.toBe(broken);
    expect(await rowCount()).toBe(rows);
    expect(await stored()).toEqual(objects);
    expect(await staged()).toEqual([]);
  });

  it('fills the storage quota up to the byte and refuses what would pass it', async () => {
    const c = await h.make.doctor();
    const cScope = scopeOf(c);
    const plan = await h.t.db
      .insertInto('plans')
      .values({
        code: `tiny_${Date.now()}`,
        name_uz: 'Kichik',
        name_ru: 'Малый',
        name_en: 'Tiny',
        price_tiyin: 0,
        duration_days: 30,
        storage_quota_bytes: 1000,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await h.t.db
      .updateTable('workspaces')
      .set({ plan_id: plan.id })
      .where('id', '=', c.workspaceId)
      .execute();
    await h.services.files.upload(cScope, { purpose: 'attachment' }, incoming(pngOfSize(600)));
    // Another workspace's files do not count against this one.
    await h.services.files.upload(scope, { purpose: 'attachment' }, incoming(pngOfSize(900)));
    const [rows, objects] = [await rowCount(), await stored()];
    expect(
      await refusal(
        h.services.files.upload(cScope, { purpose: 'attachment' }, incoming(pngOfSize(401))),
      ),
    ).toEqual({ kind: 'PAYLOAD_TOO_LARGE', code: 'STORAGE_QUOTA_EXCEEDED' });
    expect(await rowCount()).toBe(rows);
    expect(await stored()).toEqual(objects);
    expect(await staged()).toEqual([]);
    const last = await h.services.files.upload(
      cScope,
      { purpose: 'attachment' },
      incoming(pngOfSize(400)),
    );
    expect(last.size).toBe(400);

    // Full: a receipt still uploads (a doctor must be able to pay), and takes nothing from it.
    const receipt = await h.services.files.upload(
      cScope,
      { purpose: 'receipt' },
      incoming(pngOfSize(700)),
    );
    expect(receipt.size).toBe(700);
    expect(
      await refusal(
        h.services.files.upload(cScope, { purpose: 'attachment' }, incoming(pngOfSize(100))),
      ),
    ).toEqual({ kind: 'PAYLOAD_TOO_LARGE', code: 'STORAGE_QUOTA_EXCEEDED' });
    await h.t.db.deleteFrom('files').where('id', '=', last.id).execute();
    const again = await h.services.files.upload(
      cScope,
      { purpose: 'attachment' },
      incoming(pngOfSize(400)),
    );
    expect(again.size).toBe(400);
  });
});

describe('an upload whose commit fails', () => {
  // A deferred check fails at COMMIT, after the bytes were moved under their key.
  beforeAll(async () => {
    await sql`
      create function refuse_named_commit_fails() returns trigger language plpgsql as $$
      begin
        if new.name like 'commit-fails%' then raise exception 'refused at commit'; end if;
        return new;
      end $$`.execute(h.t.db);
    await sql`
      create constraint trigger refuse_named_commit_fails after insert on files
      deferrable initially deferred for each row execute function refuse_named_commit_fails()`.execute(
      h.t.db,
    );
  });

  it('removes the bytes it had already stored', async () => {
    const [rows, objects] = [await rowCount(), await stored()];
    await expect(
      h.services.files.upload(
        scope,
        { purpose: 'attachment' },
        incoming(PNG, { fileName: 'commit-fails.png' }),
      ),
    ).rejects.toThrow('refused at commit');
    expect(await rowCount()).toBe(rows);
    expect(await stored()).toEqual(objects);
    expect(await staged()).toEqual([]);
  });

  it('removes nothing from storage for an upload refused before its bytes were stored', async () => {
    const disk = new LocalDiskStorage(filesRoot());
    const removed: string[] = [];
    const storage: FileStorage = {
      stage: () => disk.stage(),
      save: (key, p) => disk.save(key, p),
      open: (key) => disk.open(key),
      remove: (key) => {
        removed.push(key);
        return disk.remove(key);
      },
      sweepStaging: (ms) => disk.sweepStaging(ms),
    };
    const service = new FileService(h.t.db, h.services.audit, storage, pino({ level: 'silent' }));
    expect(
      await refusal(
        service.upload(scope, { purpose: 'attachment' }, incoming(Buffer.from('text'))),
      ),
    ).toMatchObject({ code: 'FILE_TYPE_NOT_ALLOWED' });
    expect(removed).toEqual([]);
  });

  it('still reports the commit failure when removing the bytes fails too', async () => {
    const disk = new LocalDiskStorage(filesRoot());
    const removed: string[] = [];
    const storage: FileStorage = {
      stage: () => disk.stage(),
      save: (key, p) => disk.save(key, p),
      open: (key) => disk.open(key),
      remove: (key) => {
        removed.push(key);
        return Promise.reject(new Error('disk gone'));
      },
      sweepStaging: (ms) => disk.sweepStaging(ms),
    };
    const service = new FileService(h.t.db, h.services.audit, storage, pino({ level: 'silent' }));
    await expect(
      service.upload(
        scope,
        { purpose: 'attachment' },
        incoming(PNG, { fileName: 'commit-fails-2.png' }),
      ),
    ).rejects.toThrow('refused at commit');
    expect(removed).toHaveLength(1);
    expect(removed[0]).toMatch(/^[0-9a-f]{64}$/);
    expect(await staged()).toEqual([]);
  });
});

describe('FileService.list', () => {
  it("lists a patient's files newest first, with who uploaded them, and audits the read", async () => {
    const p = await h.make.patient(scope, { firstName: 'Malika', lastName: 'Ergasheva' });
    const first = await h.services.files.upload(
      scope,
      { purpose: 'attachment', patientId: p.id },
      incoming(PNG, { fileName: 'one.png' }),
    );
    const second = await h.services.files.upload(
      scope,
      { purpose: 'attachment', patientId: p.id },
      incoming(PDF, { fileName: 'two.pdf' }),
    );
    // Not this patient's.
    await h.services.files.upload(scope, { purpose: 'attachment' }, incoming(PNG));
    const { items } = await h.services.files.list(scope, p.id);
    expect(items.map((i) => i.id)).toEqual([second.id, first.id]);
    expect(items[1]).toEqual({
      id: first.id,
      name: 'one.png',
      mime: 'image/png',
      size: PNG.length,
      sha256: sha(PNG),
      purpose: 'attachment',
      patientId: p.id,
      uploadedBy: { id: scope.userId, name: 'Nodira Yusupova' },
      createdAt: expect.any(Date) as unknown,
    });
    const audit = (await auditOf(p.id)).filter((a) => a.action === 'file.list');
    expect(audit).toEqual([
      {
        action: 'file.list',
        outcome: 'success',
        entity_type: 'patient',
        actor_user_id: scope.userId,
        workspace_id: scope.workspaceId,
        meta: {},
      },
    ]);
  });

  it("answers NOT_FOUND for another workspace's patient and audits the denial", async () => {
    expect(await refusal(h.services.files.list(otherScope, patient.id))).toEqual({
      kind: 'NOT_FOUND',
      code: 'NOT_FOUND',
    });
    const audit = (await auditOf(patient.id)).filter((a) => a.action === 'file.list');
    expect(audit).toEqual([
      expect.objectContaining({
        outcome: 'denied',
        entity_type: 'patient',
        actor_user_id: otherScope.userId,
      }),
    ]);
  });
});

describe('FileService.download', () => {
  const readAll = async (stream: Readable) => {
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  };

  it('gives a doctor their file with its name, type and size, and audits it', async () => {
    const up = await h.services.files.upload(
      scope,
      { purpose: 'attachment', patientId: patient.id },
      incoming(PDF, { fileName: 'Qon tahlili.pdf' }),
    );
    const file = await h.services.files.download(scope, up.id);
    expect({ name: file.name, mime: file.mime, size: file.size }).toEqual({
      name: 'Qon tahlili.pdf',
      mime: 'application/pdf',
      size: PDF.length,
    });
    expect((await readAll(file.stream)).equals(PDF)).toBe(true);
    const audit = await auditOf(up.id);
    expect(audit.map((a) => a.action)).toEqual(['file.upload', 'file.download']);
    expect(audit[1]).toMatchObject({
      outcome: 'success',
      entity_type: 'file',
      actor_user_id: scope.userId,
      meta: { patientId: patient.id },
    });
    const plain = await h.services.files.upload(scope, { purpose: 'attachment' }, incoming(PNG));
    (await h.services.files.download(scope, plain.id)).stream.destroy();
    expect((await auditOf(plain.id))[1]).toMatchObject({ action: 'file.download', meta: {} });
  });

  it("is NOT_FOUND for another workspace's file, an unknown id, and a caller with no workspace", async () => {
    const up = await h.services.files.upload(scope, { purpose: 'attachment' }, incoming(PNG));
    const noWorkspace: Scope = { ...scope, workspaceId: null };
    for (const [caller, id] of [
      [otherScope, up.id],
      [scope, '00000000-0000-4000-8000-000000000000'],
      [noWorkspace, up.id],
    ] as const) {
      expect(await refusal(h.services.files.download(caller, id))).toEqual({
        kind: 'NOT_FOUND',
        code: 'NOT_FOUND',
      });
    }
    const audit = await auditOf(up.id);
    expect(audit.map((a) => [a.action, a.outcome, a.entity_type])).toEqual([
      ['file.upload', 'success', 'file'],
      ['file.download', 'denied', 'file'],
      ['file.download', 'denied', 'file'],
    ]);
  });

  it('lets an administrator read any workspace’s receipts and nothing else', async () => {
    const admin = await h.make.admin();
    const adminScope: Scope = {
      userId: admin.userId,
      role: 'admin',
      workspaceId: null,
      sessionId: '00000000-0000-4000-8000-000000000002',
      ip: null,
      userAgent: null,
      requestId: null,
    };
    const receipt = await h.services.files.upload(
      scope,
      { purpose: 'receipt' },
      incoming(PNG, { fileName: 'chek.png' }),
    );
    const attachment = await h.services.files.upload(
      scope,
      { purpose: 'attachment' },
      incoming(PNG),
    );
    // Administrators see receipts a payment was submitted with; a mere upload stays private.
    expect(await refusal(h.services.files.download(adminScope, receipt.id))).toEqual({
      kind: 'NOT_FOUND',
      code: 'NOT_FOUND',
    });
    const plan = await h.t.db
      .selectFrom('plans')
      .select(['id', 'price_tiyin'])
      .where('code', '=', 'doctor_monthly')
      .executeTakeFirstOrThrow();
    await h.t.db
      .insertInto('payments')
      .values({
        workspace_id: scope.workspaceId,
        plan_id: plan.id,
        amount_tiyin: plan.price_tiyin,
        receipt_file_id: receipt.id,
        submitted_by: scope.userId,
      })
      .execute();
    const file = await h.services.files.download(adminScope, receipt.id);
    expect(file.name).toBe('chek.png');
    expect((await readAll(file.stream)).equals(PNG)).toBe(true);
    expect(await refusal(h.services.files.download(adminScope, attachment.id))).toEqual({
      kind: 'NOT_FOUND',
      code: 'NOT_FOUND',
    });
    // An administrator given a workspace still reads receipts only.
    expect(
      await refusal(
        h.services.files.download({ ...adminScope, workspaceId: scope.workspaceId }, attachment.id),
      ),
    ).toEqual({ kind: 'NOT_FOUND', code: 'NOT_FOUND' });
    expect((await auditOf(receipt.id)).at(-1)).toMatchObject({
      action: 'file.download',
      outcome: 'success',
      actor_user_id: admin.userId,
      meta: {},
    });
  });
});

describe('FileService.delete', () => {
  it('removes the row and the bytes, and audits it with the patient', async () => {
    const up = await h.services.files.upload(
      scope,
      { purpose: 'attachment', patientId: patient.id },
      incoming(PDF, { fileName: 'x.pdf' }),
    );
    const before = await stored();
    await h.services.files.delete(scope, up.id);
    expect(await stored()).toHaveLength(before.length - 1);
    expect(await refusal(h.services.files.download(scope, up.id))).toMatchObject({
      code: 'NOT_FOUND',
    });
    expect((await auditOf(up.id)).find((a) => a.action === 'file.delete')).toEqual({
      action: 'file.delete',
      outcome: 'success',
      entity_type: 'file',
      actor_user_id: scope.userId,
      workspace_id: scope.workspaceId,
      meta: { patientId: patient.id },
    });
    const plain = await h.services.files.upload(scope, { purpose: 'attachment' }, incoming(PNG));
    await h.services.files.delete(scope, plain.id);
    expect((await auditOf(plain.id)).find((a) => a.action === 'file.delete')?.meta).toEqual({});
  });

  it("refuses another workspace's file, keeps it, and audits the denial", async () => {
    const up = await h.services.files.upload(scope, { purpose: 'attachment' }, incoming(PNG));
    const before = await stored();
    expect(await refusal(h.services.files.delete(otherScope, up.id))).toEqual({
      kind: 'NOT_FOUND',
      code: 'NOT_FOUND',
    });
    expect(await stored()).toEqual(before);
    (await h.services.files.download(scope, up.id)).stream.destroy();
    expect((await auditOf(up.id)).find((a) => a.action === 'file.delete')).toMatchObject({
      outcome: 'denied',
      entity_type: 'file',
      actor_user_id: otherScope.userId,
    });
  });

  it('deletes the row even when the bytes cannot be removed, and logs it', async () => {
    const lines: { level: number; msg: string; fileId?: string; err?: { message: string } }[] = [];
    const logger = pino(
      { level: 'info' },
      { write: (l: string) => lines.push(JSON.parse(l) as never) },
    );
    const disk = new LocalDiskStorage(filesRoot());
    const storage: FileStorage = {
      stage: () => disk.stage(),
      save: (key, p) => disk.save(key, p),
      open: (key) => disk.open(key),
      remove: () => Promise.reject(new Error('disk gone')),
      sweepStaging: (ms) => disk.sweepStaging(ms),
    };
    const service = new FileService(h.t.db, h.services.audit, storage, logger);
    const up = await service.upload(scope, { purpose: 'attachment' }, incoming(PNG));
    await expect(service.delete(scope, up.id)).resolves.toBeUndefined();
    expect(await rowCount()).toBeGreaterThan(0);
    expect(
      await h.t.db.selectFrom('files').select('id').where('id', '=', up.id).executeTakeFirst(),
    ).toBeUndefined();
    expect(lines).toEqual([
      expect.objectContaining({
        level: 50,
        msg: 'stored file could not be removed',
        fileId: up.id,
        err: expect.objectContaining({ message: 'disk gone' }) as unknown,
      }),
    ]);
  });
});
