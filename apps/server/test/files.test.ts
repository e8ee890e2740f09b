import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { MB } from '@medora/schema';
import { factories, signInDirectly, type TestDoctor } from '@medora/core/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { uploadBytesReceived } from '../src/lib/upload-memory';
import { startTestServer, type TestServer } from './start-test-server';
import {
  downloadFile,
  fileRowCount,
  storedFiles,
  stagedFiles,
  uploadFile,
} from './support/uploads';

// The upload and download routes over real HTTP, on a real database and the real disk storage.

// The real counter, watched: the route must report the body bytes it reads (so that the young
// generation is collected while a large upload flows; test/upload-memory.test.ts).
vi.mock(import('../src/lib/upload-memory'), async (importOriginal) => {
  const real = await importOriginal();
  return { ...real, uploadBytesReceived: vi.fn(real.uploadBytesReceived) };
});

let server: TestServer;
let make: ReturnType<typeof factories>;
let doctorA: TestDoctor & { token: string };
let doctorB: TestDoctor & { token: string };
let patientA: { id: string };

const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);
const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Count 0/Kids[]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
);
const EXE = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(510, 0x90)]);
const HTML = Buffer.from(
  '<!doctype html><html><body><script>alert(document.cookie)</script></body></html>',
);
const SVG = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');

/** A PNG padded to exactly `size` bytes (the type is in its first bytes). */
const pngOfSize = (size: number) => Buffer.concat([PNG, Buffer.alloc(size - PNG.length, 0)]);

const upload = (
  token: string | null,
  file: { bytes: Buffer; name: string; type?: string } | null,
  fields?: Record<string, string>,
) => uploadFile(server, token, file, fields);
const download = (token: string | null, id: string) => downloadFile(server, token, id);
const staged = () => stagedFiles(server);
const stored = () => storedFiles(server);
const rowCount = () => fileRowCount(server);

beforeAll(async () => {
  server = await startTestServer();
  make = factories(server.services.db);
  const a = await make.doctor();
  const b = await make.doctor();
  doctorA = { ...a, token: (await signInDirectly(server.services, a)).accessToken };
  doctorB = { ...b, token: (await signInDirectly(server.services, b)).accessToken };
  patientA = await make.patient(a);
});
afterAll(() => server?.stop());

describe('POST /api/files', () => {
  it('stores an attachment by its detected type, with its hash, under a random key', async () => {
    const before = await stored();
    const res = await upload(
      doctorA.token,
      { bytes: PNG, name: 'lab sheet.png', type: 'image/png' },
      {
        purpose: 'attachment',
        patientId: patientA.id,
      },
    );
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/) as unknown,
      name: 'lab sheet.png',
      mime: 'image/png',
      size: PNG.length,
      sha256: createHash('sha256').update(PNG).digest('hex'),
    });
    const after = await stored();
    expect(after.length).toBe(before.length + 1);
    const key = path.basename(after.find((f) => !before.includes(f))!);
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(key).not.toContain('lab');
    expect(await staged()).toEqual([]);
  });

  it('keeps Unicode names and strips path parts from the name', async () => {
    const cyr = await upload(doctorA.token, {
      bytes: PDF,
      name: 'Анализ крови.pdf',
      type: 'application/pdf',
    });
    expect(cyr.status).toBe(201);
    expect(cyr.body.name).toBe('Анализ крови.pdf');
    const traversal = await upload(doctorA.token, { bytes: PNG, name: '../../../etc/passwd.png' });
    expect(traversal.status).toBe(201);
    expect(traversal.body.name).toBe('passwd.png');
    const windows = await upload(doctorA.token, { bytes: PNG, name: '..\\..\\con.png' });
    expect(windows.body.name).toBe('_con.png');
  });

  it.each([
    [
      'a PDF labelled as a PNG',
      { bytes: PDF, name: 'scan.png', type: 'image/png' },
      415,
      'FILE_TYPE_MISMATCH',
    ],
    [
      'a PDF named .jpg',
      { bytes: PDF, name: 'scan.jpg', type: 'application/octet-stream' },
      415,
      'FILE_TYPE_MISMATCH',
    ],
    [
      'an EXE renamed .pdf',
      { bytes: EXE, name: 'results.pdf', type: 'application/pdf' },
      415,
      'FILE_TYPE_NOT_ALLOWED',
    ],
    [
      'HTML named .jpg',
      { bytes: HTML, name: 'photo.jpg', type: 'image/jpeg' },
      415,
      'FILE_TYPE_NOT_ALLOWED',
    ],
    [
      'SVG named .jpg',
      { bytes: SVG, name: 'photo.jpg', type: 'image/jpeg' },
      415,
      'FILE_TYPE_NOT_ALLOWED',
    ],
    [
      'a zero-byte file',
      { bytes: Buffer.alloc(0), name: 'empty.pdf', type: 'application/pdf' },
      400,
      'FILE_EMPTY',
    ],
  ] as const)('refuses %s and keeps nothing', async (_label, file, status, code) => {
    const [rowsBefore, storedBefore] = [await rowCount(), await stored()];
    const res = await upload(doctorA.token, { ...file, bytes: Buffer.from(file.bytes) });
    expect(res.status).toBe(status);
    expect(res.body.error?.code).toBe(code);
    expect(await rowCount()).toBe(rowsBefore);
    expect(await stored()).toEqual(storedBefore);
    expect(await staged()).toEqual([]);
  });

  it('accepts exactly the size limit and cuts off one byte more with 413, keeping nothing', async () => {
    const exact = await upload(doctorA.token, { bytes: pngOfSize(10 * MB), name: 'big.png' });
    expect(exact.status).toBe(201);
    expect(exact.body.size).toBe(10 * MB);
    const [rowsBefore, storedBefore] = [await rowCount(), await stored()];
    const over = await upload(doctorA.token, { bytes: pngOfSize(10 * MB + 1), name: 'big.png' });
    expect(over.status).toBe(413);
    expect(over.body.error?.code).toBe('PAYLOAD_TOO_LARGE');
    expect(await rowCount()).toBe(rowsBefore);
    expect(await stored()).toEqual(storedBefore);
    expect(await staged()).toEqual([]);
  });

  it('reports every body byte it reads to the upload memory counter', async () => {
    const counted = vi.mocked(uploadBytesReceived);
    counted.mockClear();
    const res = await upload(doctorA.token, { bytes: pngOfSize(2 * MB), name: 'counted.png' });
    expect(res.status).toBe(201);
    const bytes = counted.mock.calls.reduce((sum, [n]) => sum + n, 0);
    // The multipart body: the file and a few hundred bytes of part headers and boundaries.
    expect(bytes).toBeGreaterThanOrEqual(2 * MB);
    expect(bytes).toBeLessThan(2 * MB + 4096);
  });

  it('holds receipts to 5 MB and to JPEG, PNG and PDF', async () => {
    const receipt = { purpose: 'receipt' };
    expect(
      (await upload(doctorA.token, { bytes: pngOfSize(5 * MB), name: 'r.png' }, receipt)).status,
    ).toBe(201);
    expect(
      (await upload(doctorA.token, { bytes: pngOfSize(5 * MB + 1), name: 'r.png' }, receipt))
        .status,
    ).toBe(413);
    const gif = Buffer.concat([
      Buffer.from('GIF89a'),
      Buffer.from([1, 0, 1, 0, 0, 0, 0]),
      Buffer.alloc(64),
    ]);
    const res = await upload(doctorA.token, { bytes: gif, name: 'r.gif' }, receipt);
    expect(res.status).toBe(415);
    expect(res.body.error?.code).toBe('FILE_TYPE_NOT_ALLOWED');
    // A receipt belongs to no patient.
    const linked = await upload(
      doctorA.token,
      { bytes: PNG, name: 'r.png' },
      { ...receipt, patientId: patientA.id },
    );
    expect(linked.status).toBe(400);
    expect(linked.body.error?.fieldErrors).toEqual({ patientId: ['invalid'] });
  });

  it('takes two uploads at once, each whole', async () => {
    const [one, two] = await Promise.all([
      upload(doctorA.token, { bytes: pngOfSize(3 * MB), name: 'one.png' }),
      upload(doctorA.token, { bytes: PDF, name: 'two.pdf' }),
    ]);
    expect([one.status, two.status]).toEqual([201, 201]);
    expect(one.body.id).not.toBe(two.body.id);
    const back = await download(doctorA.token, one.body.id!);
    expect(Buffer.from(await back.arrayBuffer()).equals(pngOfSize(3 * MB))).toBe(true);
    expect(await staged()).toEqual([]);
  });

  it('answers the storage quota with a clear error', async () => {
    const c = await make.doctor();
    const token = (await signInDirectly(server.services, c)).accessToken;
    // Everyone on the trial plan shares its quota setting: narrow it for this workspace only.
    const plan = await server.services.db
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
    await server.services.db
      .updateTable('workspaces')
      .set({ plan_id: plan.id })
      .where('id', '=', c.workspaceId)
      .execute();
    expect((await upload(token, { bytes: pngOfSize(600), name: 'a.png' })).status).toBe(201);
    const res = await upload(token, { bytes: pngOfSize(600), name: 'b.png' });
    expect(res.status).toBe(413);
    expect(res.body.error?.code).toBe('STORAGE_QUOTA_EXCEEDED');
  });

  it('needs a signed-in doctor, fields before the file, and one file', async () => {
    expect((await upload(null, { bytes: PNG, name: 'a.png' })).status).toBe(401);
    const admin = await make.admin();
    const adminToken = (await signInDirectly(server.services, admin)).accessToken;
    expect((await upload(adminToken, { bytes: PNG, name: 'a.png' })).status).toBe(403);
    expect((await upload(doctorA.token, null)).body.error).toMatchObject({
      code: 'VALIDATION_FAILED',
      fieldErrors: { file: ['required'] },
    });
    const badPurpose = await upload(
      doctorA.token,
      { bytes: PNG, name: 'a.png' },
      { purpose: 'avatar' },
    );
    expect(badPurpose.status).toBe(400);
    expect(badPurpose.body.error?.fieldErrors).toEqual({ purpose: ['invalid'] });
    // The file before its fields: the server cannot know what it is for.
    const form = new FormData();
    form.append('file', new Blob([PNG]), 'a.png');
    form.append('purpose', 'attachment');
    const early = await fetch(`${server.baseUrl}/api/files`, {
      method: 'POST',
      headers: { authorization: `Bearer ${doctorA.token}` },
      body: form,
    });
    expect(early.status).toBe(400);
    const two = new FormData();
    two.append('purpose', 'attachment');
    two.append('file', new Blob([PNG]), 'a.png');
    two.append('file', new Blob([PNG]), 'b.png');
    const rows = await rowCount();
    const twice = await fetch(`${server.baseUrl}/api/files`, {
      method: 'POST',
      headers: { authorization: `Bearer ${doctorA.token}` },
      body: two,
    });
    // Refused as a whole: not even the first file is kept.
    expect(twice.status).toBe(400);
    expect(await rowCount()).toBe(rows);
    expect(await staged()).toEqual([]);
    const json = await fetch(`${server.baseUrl}/api/files`, {
      method: 'POST',
      headers: { authorization: `Bearer ${doctorA.token}`, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(json.status).toBe(415);
  });

  it("answers NOT_FOUND for another workspace's patient, and stores nothing", async () => {
    const rows = await rowCount();
    const res = await upload(
      doctorB.token,
      { bytes: PNG, name: 'a.png' },
      { purpose: 'attachment', patientId: patientA.id },
    );
    expect(res.status).toBe(404);
    expect(res.body.error?.code).toBe('NOT_FOUND');
    expect(await rowCount()).toBe(rows);
  });
});

describe('office documents', () => {
  const fixture = (name: string) => readFileSync(path.join(import.meta.dirname, 'fixtures', name));
  // An OLE compound file: its magic number, then (somewhere in its directory) the UTF-16 name of
  // the stream that says which program wrote it.
  const compound = (stream: string) =>
    Buffer.concat([
      Buffer.from('d0cf11e0a1b11ae1', 'hex'),
      Buffer.alloc(1024, 0),
      Buffer.from(stream, 'utf16le'),
      Buffer.alloc(512, 0),
    ]);

  it.each([
    [
      'lab-results.docx',
      fixture('lab-results.docx'),
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    ],
    [
      'lab-results.xlsx',
      fixture('lab-results.xlsx'),
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    ],
    ['old.doc', compound('WordDocument'), 'application/msword'],
    ['old.xls', compound('Workbook'), 'application/vnd.ms-excel'],
  ])('knows %s by its content', async (name, bytes, mime) => {
    const res = await upload(doctorA.token, { bytes, name, type: 'application/octet-stream' });
    expect(res.status).toBe(201);
    expect(res.body.mime).toBe(mime);
  });

  it('refuses a plain zip, a compound file of no known program, and a DOCX named .xlsx', async () => {
    expect(
      (await upload(doctorA.token, { bytes: fixture('archive.zip'), name: 'a.zip' })).body.error
        ?.code,
    ).toBe('FILE_TYPE_NOT_ALLOWED');
    expect(
      (await upload(doctorA.token, { bytes: compound('Other'), name: 'a.doc' })).body.error?.code,
    ).toBe('FILE_TYPE_NOT_ALLOWED');
    expect(
      (await upload(doctorA.token, { bytes: fixture('lab-results.docx'), name: 'a.xlsx' })).body
        .error?.code,
    ).toBe('FILE_TYPE_MISMATCH');
  });
});

describe('deleting a file', () => {
  it('removes the row and the stored bytes, and audits it with the patient', async () => {
    const up = await upload(
      doctorA.token,
      { bytes: PDF, name: 'x.pdf' },
      { purpose: 'attachment', patientId: patientA.id },
    );
    const before = await stored();
    await server.services.files.delete(
      {
        userId: doctorA.userId,
        role: 'doctor',
        workspaceId: doctorA.workspaceId,
        sessionId: '00000000-0000-4000-8000-000000000001',
        ip: null,
        userAgent: null,
        requestId: null,
      },
      up.body.id!,
    );
    expect(await stored()).toHaveLength(before.length - 1);
    expect((await download(doctorA.token, up.body.id!)).status).toBe(404);
    const row = await server.services.db
      .selectFrom('audit_log')
      .select(['outcome', 'meta'])
      .where('action', '=', 'file.delete')
      .where('entity_id', '=', up.body.id!)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ outcome: 'success', meta: { patientId: patientA.id } });
  });
});

describe('GET /api/files/:id', () => {
  it('sends the bytes as an attachment with the safe name and a CSP that runs nothing', async () => {
    const up = await upload(
      doctorA.token,
      { bytes: PDF, name: 'Qon tahlili "1".pdf' },
      { purpose: 'attachment', patientId: patientA.id },
    );
    const res = await download(doctorA.token, up.body.id!);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename=/);
    expect(res.headers.get('content-disposition')).not.toContain('/');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-security-policy')).toBe(
      "default-src 'none'; frame-ancestors 'none'; sandbox",
    );
    expect(res.headers.get('cache-control')).toBe('private, no-store');
    expect(Buffer.from(await res.arrayBuffer()).equals(PDF)).toBe(true);
    const audit = await server.services.db
      .selectFrom('audit_log')
      .select(['action', 'outcome', 'actor_user_id', 'workspace_id', 'meta'])
      .where('entity_type', '=', 'file')
      .where('entity_id', '=', up.body.id!)
      .orderBy('id')
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['file.upload', 'file.download']);
    expect(audit[1]).toMatchObject({
      outcome: 'success',
      actor_user_id: doctorA.userId,
      workspace_id: doctorA.workspaceId,
      meta: { patientId: patientA.id },
    });
    expect(JSON.stringify(audit)).not.toContain('Qon');
  });

  it("is NOT_FOUND for another workspace's file, an unknown id and a malformed id", async () => {
    const up = await upload(doctorA.token, { bytes: PNG, name: 'a.png' });
    for (const id of [
      up.body.id!,
      '00000000-0000-4000-8000-000000000000',
      'not-a-uuid',
      '..%2F..%2Fetc%2Fpasswd',
    ]) {
      const res = await download(doctorB.token, id);
      expect(res.status).toBe(404);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('NOT_FOUND');
    }
    expect((await download(null, up.body.id!)).status).toBe(401);
  });

  it('lets an administrator read receipts, and nothing else', async () => {
    const admin = await make.admin();
    const token = (await signInDirectly(server.services, admin)).accessToken;
    const receipt = await upload(
      doctorA.token,
      { bytes: PNG, name: 'chek.png' },
      { purpose: 'receipt' },
    );
    const attachment = await upload(doctorA.token, { bytes: PNG, name: 'x.png' });
    // A receipt a payment was submitted with (a mere upload stays the doctor's: billing tests).
    const plan = await server.services.db
      .selectFrom('plans')
      .select(['id', 'price_tiyin'])
      .where('code', '=', 'doctor_monthly')
      .executeTakeFirstOrThrow();
    await server.services.db
      .insertInto('payments')
      .values({
        workspace_id: doctorA.workspaceId,
        plan_id: plan.id,
        amount_tiyin: plan.price_tiyin,
        receipt_file_id: receipt.body.id!,
        submitted_by: doctorA.userId,
      })
      .execute();
    expect((await download(token, receipt.body.id!)).status).toBe(200);
    expect((await download(token, attachment.body.id!)).status).toBe(404);
  });
});
