import { createHash } from 'node:crypto';
import net from 'node:net';
import { crc32, constants as zlibConstants, deflateRawSync } from 'node:zlib';
import { factories, signInDirectly, type TestDoctor } from '@medora/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveApp } from './app-harness';
import { startTestServer, type TestServer } from './start-test-server';
import {
  downloadFile,
  fileRowCount,
  stagedFiles,
  storedFiles,
  uploadFile,
} from './support/uploads';

// Hostile uploads over real HTTP, beyond the type and size refusals of files.test.ts: zip bombs
// dressed as Office files, PDF/HTML polyglots, a burst of uploads at once, and a body cut off
// mid-stream. After each: no row without bytes, no bytes without a row, no staging file.

let server: TestServer;
let doctor: TestDoctor & { token: string };

beforeAll(async () => {
  server = await startTestServer();
  const d = await factories(server.services.db).doctor();
  doctor = { ...d, token: (await signInDirectly(server.services, d)).accessToken };
});
afterAll(() => server?.stop());

const upload = (file: { bytes: Buffer; name: string; type?: string }) =>
  uploadFile(server, doctor.token, file);

/** Polls `check` until it holds or the deadline passes; the last value either way. */
async function eventually<T>(read: () => Promise<T>, ok: (v: T) => boolean, ms = 10_000) {
  const deadline = Date.now() + ms;
  let value = await read();
  while (!ok(value) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 25));
    value = await read();
  }
  return value;
}

/** Rows, stored objects and staging files, to compare before and after. */
const leftovers = async () => ({
  rows: await fileRowCount(server),
  stored: (await storedFiles(server)).length,
  staged: (await stagedFiles(server)).length,
});

// ------------------------------------------------------------------------------------------
// A minimal zip writer (stored names, deflated data, no zip64): enough to build bombs whose
// headers say what the test wants, true or not.

const MiB = 1 << 20;

/** `mib` MiB of zeros, deflated, built from one deflated MiB repeated (no GiB in memory). */
function deflatedZeros(mib: number): { data: Buffer; crc: number; size: number } {
  const zeros = Buffer.alloc(MiB);
  // A full flush ends each block on a byte boundary with an empty dictionary, so the same
  // compressed MiB can follow itself; a final empty block closes the stream.
  const block = deflateRawSync(zeros, { level: 9, finishFlush: zlibConstants.Z_FULL_FLUSH });
  let crc = 0;
  for (let i = 0; i < mib; i++) crc = crc32(zeros, crc);
  const data = Buffer.concat([...Array.from({ length: mib }, () => block), Buffer.from([3, 0])]);
  return { data, crc, size: mib * MiB };
}

interface ZipEntry {
  name: string;
  data: Buffer;
  crc: number;
  /** What the headers claim the entry inflates to (a bomb may lie). */
  size: number;
}

const deflated = (text: string): ZipEntry => {
  const raw = Buffer.from(text);
  return { name: '', data: deflateRawSync(raw), crc: crc32(raw), size: raw.length };
};

function zip(entries: ZipEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed
    local.writeUInt16LE(8, 8); // deflate
    local.writeUInt32LE(e.crc >>> 0, 14);
    local.writeUInt32LE(e.data.length, 18);
    local.writeUInt32LE(e.size, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(e.crc >>> 0, 16);
    central.writeUInt32LE(e.data.length, 20);
    central.writeUInt32LE(e.size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, e.data);
    centrals.push(central, name);
    offset += local.length + name.length + e.data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

const CONTENT_TYPES = (main: string) =>
  `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/${main}" ContentType="${
    main.startsWith('word/')
      ? 'application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml'
      : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml'
  }"/></Types>`;

const DOCX_MIME = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

/** Peak growth of this process's resident memory (the server runs in it) while `run` runs. */
async function peakRssGrowth<T>(run: () => Promise<T>): Promise<{ result: T; growth: number }> {
  global.gc?.();
  const base = process.memoryUsage.rss();
  let peak = base;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 5);
  try {
    const result = await run();
    peak = Math.max(peak, process.memoryUsage.rss());
    return { result, growth: peak - base };
  } finally {
    clearInterval(timer);
  }
}

describe('a zip bomb dressed as an Office file', () => {
  const GiB = deflatedZeros(1024);
  const halfGiB = deflatedZeros(512);

  it('a DOCX whose document inflates to 1 GiB is typed without inflating it, and stored as sent', async () => {
    // The sniffer reads [Content_Types].xml (small, honest) and stops there: the document
    // part is never opened, here or on download.
    const bomb = zip([
      { ...deflated(CONTENT_TYPES('word/document.xml')), name: '[Content_Types].xml' },
      { name: 'word/document.xml', ...GiB },
    ]);
    expect(bomb.length).toBeLessThan(2 * MiB);
    const { result: res, growth } = await peakRssGrowth(() =>
      upload({ bytes: bomb, name: 'tahlil.docx', type: DOCX_MIME }),
    );
    expect(growth).toBeLessThan(50 * MiB);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      mime: DOCX_MIME,
      size: bomb.length,
      sha256: createHash('sha256').update(bomb).digest('hex'),
    });
    const back = await downloadFile(server, doctor.token, res.body.id!);
    expect(Buffer.from(await back.arrayBuffer()).equals(bomb)).toBe(true);
    expect(await stagedFiles(server)).toEqual([]);
  });

  it.each([
    // The part the sniffer must read claims to be small and inflates to 512 MiB: it stops at
    // its 1 MiB cap.
    ['claims 1 KB and inflates to 512 MiB', { ...halfGiB, size: 1024 }],
    // It says so honestly: too big to read at all.
    ['claims its 1 GiB', GiB],
  ])(
    'an XLSX whose content-types part %s is refused, and memory stays flat',
    async (_label, bombPart) => {
      const before = await leftovers();
      const bomb = zip([
        { name: '[Content_Types].xml', ...bombPart },
        { ...deflated('<workbook/>'), name: 'xl/workbook.xml' },
      ]);
      const { result: res, growth } = await peakRssGrowth(() =>
        upload({ bytes: bomb, name: 'tahlil.xlsx', type: 'application/octet-stream' }),
      );
      expect(growth).toBeLessThan(50 * MiB);
      expect(res.status).toBe(415);
      expect(res.body.error?.code).toBe('FILE_TYPE_NOT_ALLOWED');
      expect(await leftovers()).toEqual(before);
    },
  );
});

describe('a PDF/HTML polyglot', () => {
  const SCRIPT = '<html><body><script>fetch("/trpc/auth.me")</script></body></html>';

  it('starting with %PDF- is a PDF: downloaded as an attachment that can run nothing', async () => {
    const bytes = Buffer.from(`%PDF-1.4\n${SCRIPT}\n%%EOF\n`);
    const res = await upload({ bytes, name: 'tahlil.pdf', type: 'application/pdf' });
    expect(res.status).toBe(201);
    expect(res.body.mime).toBe('application/pdf');
    const back = await downloadFile(server, doctor.token, res.body.id!);
    expect(back.headers.get('content-type')).toBe('application/pdf');
    expect(back.headers.get('content-disposition')).toMatch(/^attachment;/);
    expect(back.headers.get('content-security-policy')).toMatch(/(^|; )sandbox($|;)/);
    expect(back.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(back.headers.get('x-content-type-options')).toBe('nosniff');
    expect(Buffer.from(await back.arrayBuffer()).equals(bytes)).toBe(true);
  });

  it('named .html and sent as octet-stream, it is still a PDF: it downloads as .html.pdf', async () => {
    const bytes = Buffer.from(`%PDF-1.4\n${SCRIPT}\n%%EOF\n`);
    const res = await upload({ bytes, name: 'tahlil.html', type: 'application/octet-stream' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ mime: 'application/pdf', name: 'tahlil.html.pdf' });
    const back = await downloadFile(server, doctor.token, res.body.id!);
    expect(back.headers.get('content-disposition')).toBe('attachment; filename="tahlil.html.pdf"');
  });

  it('the same bytes sent as text/html are refused as a mismatch', async () => {
    const before = await leftovers();
    const res = await upload({
      bytes: Buffer.from(`%PDF-1.4\n${SCRIPT}`),
      name: 'tahlil.html',
      type: 'text/html',
    });
    expect(res.status).toBe(415);
    expect(res.body.error?.code).toBe('FILE_TYPE_MISMATCH');
    expect(await leftovers()).toEqual(before);
  });

  // PDF readers look for the header anywhere in the first KiB; the sniffer only at byte 0.
  it.each([
    ['with %PDF- after its doctype', `<!doctype html>%PDF-1.4\n${SCRIPT}`],
    ['with %PDF- after a blank line', `\n\n%PDF-1.4\n${SCRIPT}`],
    ['with a byte-order mark before %PDF-', `\uFEFF%PDF-1.4\n${SCRIPT}`],
  ])('an HTML file %s is refused, whatever it claims', async (_label, text) => {
    const before = await leftovers();
    const res = await upload({
      bytes: Buffer.from(text),
      name: 'tahlil.pdf',
      type: 'application/pdf',
    });
    expect(res.status).toBe(415);
    expect(res.body.error?.code).toBe('FILE_TYPE_NOT_ALLOWED');
    expect(await leftovers()).toEqual(before);
  });
});

const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);

describe('200 small uploads at once', () => {
  /** The i-th of a burst: distinct bytes, all of one size. */
  const small = (i: number) => ({
    bytes: Buffer.concat([PNG, Buffer.from(`#${String(i).padStart(3, '0')}`)]),
    name: `r${i}.png`,
  });
  const SMALL_SIZE = small(0).bytes.length;
  /** 200 uploads at once as `token` to `baseUrl`; a reset connection answers status 0. */
  const burst = (baseUrl: string, token: string) =>
    Promise.all(
      Array.from({ length: 200 }, async (_, i) => {
        const form = new FormData();
        form.append('purpose', 'attachment');
        form.append('file', new Blob([small(i).bytes]), small(i).name);
        try {
          const res = await fetch(`${baseUrl}/api/files`, {
            method: 'POST',
            headers: { authorization: `Bearer ${token}` },
            body: form,
          });
          const body = (await res.json()) as { id?: string; error?: { code: string } };
          return { status: res.status, id: body.id, code: body.error?.code };
        } catch (err) {
          return { status: 0, id: undefined, code: String(err) };
        }
      }),
    );

  it('each is stored whole; rows, stored files and answers agree', async () => {
    const before = await leftovers();
    const answers = await burst(server.baseUrl, doctor.token);
    // 0 would be a reset connection; anything but these three a fault.
    expect(answers.filter((a) => ![201, 429, 503].includes(a.status))).toEqual([]);
    const created = answers.filter((a) => a.status === 201);
    expect(new Set(created.map((a) => a.id)).size).toBe(created.length);
    const after = await eventually(leftovers, (l) => l.staged === 0);
    expect(after).toEqual({
      rows: before.rows + created.length,
      stored: before.stored + created.length,
      staged: 0,
    });
  });

  it('against a limit of 150 requests and a quota of 120 files: exactly 120 kept, the rest refused cleanly', async () => {
    const d = await factories(server.services.db).doctor();
    const token = (await signInDirectly(server.services, d)).accessToken;
    const plan = await server.services.db
      .insertInto('plans')
      .values({
        code: `burst_${Date.now()}`,
        name_uz: 'Sinov',
        name_ru: 'Проба',
        name_en: 'Trial run',
        price_tiyin: 0,
        duration_days: 30,
        storage_quota_bytes: 120 * SMALL_SIZE,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await server.services.db
      .updateTable('workspaces')
      .set({ plan_id: plan.id })
      .where('id', '=', d.workspaceId)
      .execute();
    const app = await serveApp(server, {
      config: {
        rateLimit: { ...server.services.config.rateLimit, userPerHour: 150 },
      },
      rateLimitKeyPrefix: `burst-${Date.now()}`,
    });
    try {
      const before = await leftovers();
      const answers = await burst(app.baseUrl, token);
      const tally: Record<string, number> = {};
      for (const a of answers) {
        const key = `${a.status} ${a.code ?? ''}`.trim();
        tally[key] = (tally[key] ?? 0) + 1;
      }
      expect(tally).toEqual({
        '201': 120,
        '413 STORAGE_QUOTA_EXCEEDED': 30,
        '429 RATE_LIMITED': 50,
      });
      expect(await eventually(leftovers, (l) => l.staged === 0)).toEqual({
        rows: before.rows + 120,
        stored: before.stored + 120,
        staged: 0,
      });
      const used = await server.services.db
        .selectFrom('files')
        .select((eb) => eb.fn.sum<string>('size').as('bytes'))
        .where('workspace_id', '=', d.workspaceId)
        .executeTakeFirstOrThrow();
      expect(Number(used.bytes)).toBe(120 * SMALL_SIZE);
    } finally {
      await app.close();
    }
  });
});

describe('an upload cut off mid-stream', () => {
  it('leaves no row, no stored file and no staging file, and the server answers on', async () => {
    const before = await leftovers();
    const { hostname, port } = new URL(server.baseUrl);
    const boundary = 'medora-cut-off-boundary';
    const head = Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="purpose"\r\n\r\nattachment\r\n` +
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="scan.png"\r\n` +
        `Content-Type: image/png\r\n\r\n`,
    );
    const socket = net.connect(Number(port), hostname);
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    socket.on('error', () => undefined);
    socket.write(
      `POST /api/files HTTP/1.1\r\nHost: ${hostname}:${port}\r\n` +
        `Authorization: Bearer ${doctor.token}\r\n` +
        `Content-Type: multipart/form-data; boundary=${boundary}\r\n` +
        `Content-Length: ${MiB}\r\n\r\n`,
    );
    // The fields, then the first 64 KiB of a 1 MiB file.
    socket.write(Buffer.concat([head, PNG, Buffer.alloc(64 * 1024 - PNG.length, 7)]));
    // The server is streaming it into staging when the client goes away.
    expect(
      (
        await eventually(
          () => stagedFiles(server),
          (s) => s.length === 1,
        )
      ).length,
    ).toBe(1);
    socket.destroy();

    expect(await eventually(leftovers, (l) => l.staged === 0)).toEqual(before);
    // The server still takes uploads.
    const next = await upload({ bytes: PNG, name: 'after.png' });
    expect(next.status).toBe(201);
    expect(await leftovers()).toEqual({
      rows: before.rows + 1,
      stored: before.stored + 1,
      staged: 0,
    });
  });
});
