import { existsSync, mkdtempSync, readdirSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { claimContradicts, detectType, extensionOf, withTypeExtension } from '../src/files/detect';

// What a file is, from its bytes, and whether the client's name and Content-Type contradict it.

const dir = mkdtempSync(path.join(tmpdir(), 'medora-detect-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
const fileOf = (bytes: Buffer) => {
  const file = path.join(dir, `f${++n}`);
  writeFileSync(file, bytes);
  return file;
};

const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);
const JPEG = Buffer.concat([Buffer.from('ffd8ffe000104a46494600', 'hex'), Buffer.alloc(64)]);
const CFB_MAGIC = Buffer.from('d0cf11e0a1b11ae1', 'hex');
const utf16 = (s: string) => Buffer.from(s, 'utf16le');

/** An OLE compound file with the stream name written `at` bytes from the start. */
const compound = (stream: string, at = 1024, total = at + 2048) => {
  const bytes = Buffer.alloc(total, 0);
  CFB_MAGIC.copy(bytes, 0);
  utf16(stream).copy(bytes, at);
  return bytes;
};

describe('detectType', () => {
  it('names common types by their magic numbers, not by anything else', async () => {
    expect(await detectType(fileOf(PNG))).toBe('image/png');
    expect(await detectType(fileOf(JPEG))).toBe('image/jpeg');
    expect(await detectType(fileOf(Buffer.from('%PDF-1.4\n%%EOF\n')))).toBe('application/pdf');
  });

  it('answers undefined for bytes of no known type', async () => {
    expect(await detectType(fileOf(Buffer.from('just some plain text, nothing more')))).toBe(
      undefined,
    );
    expect(await detectType(fileOf(Buffer.alloc(0)))).toBe(undefined);
  });

  it('types nothing that starts with a byte-order mark, though the bytes after it would pass', async () => {
    const bom = Buffer.from([0xef, 0xbb, 0xbf]);
    expect(await detectType(fileOf(Buffer.concat([bom, Buffer.from('%PDF-1.4\n%%EOF\n')])))).toBe(
      undefined,
    );
    expect(await detectType(fileOf(Buffer.concat([bom, PNG])))).toBe(undefined);
    // Two bytes of one are no mark.
    expect(await detectType(fileOf(bom.subarray(0, 2)))).toBe(undefined);
  });

  it('tells old Word and Excel files apart by their stream names', async () => {
    expect(await detectType(fileOf(compound('WordDocument')))).toBe('application/msword');
    expect(await detectType(fileOf(compound('Workbook')))).toBe('application/vnd.ms-excel');
    // Excel 5/95 calls its stream "Book".
    expect(await detectType(fileOf(compound('Book')))).toBe('application/vnd.ms-excel');
    // A compound file of another program (or one whose names are not UTF-16) is none of ours.
    expect(await detectType(fileOf(compound('PowerPoint Document')))).toBe(undefined);
    const ascii = Buffer.alloc(4096, 0);
    CFB_MAGIC.copy(ascii, 0);
    Buffer.from('WordDocument').copy(ascii, 1024);
    expect(await detectType(fileOf(ascii))).toBe(undefined);
  });

  it('finds the stream name far into a large file, and across the 1 MiB read boundary', async () => {
    const MiB = 1 << 20;
    // Well past the first read.
    expect(await detectType(fileOf(compound('WordDocument', 3 * MiB + 100)))).toBe(
      'application/msword',
    );
    // Straddling the end of the first read: half the name in each.
    const name = utf16('WordDocument');
    expect(
      await detectType(fileOf(compound('WordDocument', MiB - name.length / 2, MiB + 4096))),
    ).toBe('application/msword');
    expect(
      await detectType(fileOf(compound('Workbook', 2 * MiB - utf16('Workbook').length / 2))),
    ).toBe('application/vnd.ms-excel');
  });
});

describe('detectType on compound files', () => {
  // Which open descriptors of this process point at the file (checked right after each call, so
  // a collected handle cannot hide a leak).
  const openOn = (file: string) =>
    readdirSync('/proc/self/fd').filter((fd) => {
      try {
        return readlinkSync(`/proc/self/fd/${fd}`) === file;
      } catch {
        return false;
      }
    });

  it.skipIf(!existsSync('/proc/self/fd'))('closes each file it reads', async () => {
    for (const stream of ['WordDocument', 'Workbook', 'Other']) {
      const file = fileOf(compound(stream, 4096));
      await detectType(file);
      expect(openOn(file), stream).toEqual([]);
    }
  });
});

describe('claimContradicts', () => {
  it('takes a matching, missing or generic Content-Type as no claim against the bytes', () => {
    expect(claimContradicts('image/png', { mimeType: 'image/png' })).toBe(false);
    expect(claimContradicts('image/png', {})).toBe(false);
    expect(claimContradicts('image/png', { mimeType: '' })).toBe(false);
    expect(claimContradicts('image/png', { mimeType: 'application/octet-stream' })).toBe(false);
    expect(claimContradicts('image/png', { mimeType: 'Application/Octet-Stream' })).toBe(false);
  });

  it('refuses a Content-Type of another type', () => {
    expect(claimContradicts('application/pdf', { mimeType: 'image/png' })).toBe(true);
    expect(claimContradicts('image/png', { mimeType: 'text/html' })).toBe(true);
  });

  it('reads the Content-Type without parameters, case or spaces, and through its aliases', () => {
    expect(claimContradicts('image/png', { mimeType: ' IMAGE/PNG ; charset=binary' })).toBe(false);
    expect(claimContradicts('image/png', { mimeType: 'image/png;q=1' })).toBe(false);
    for (const [alias, mime] of [
      ['image/jpg', 'image/jpeg'],
      ['image/pjpeg', 'image/jpeg'],
      ['image/heif', 'image/heic'],
      ['image/x-png', 'image/png'],
      ['application/x-pdf', 'application/pdf'],
      ['application/vnd.ms-word', 'application/msword'],
      ['application/x-msexcel', 'application/vnd.ms-excel'],
    ] as const) {
      expect(claimContradicts(mime, { mimeType: alias }), alias).toBe(false);
      expect(claimContradicts('image/gif', { mimeType: alias }), alias).toBe(true);
    }
  });

  it('refuses a name whose extension belongs to another type', () => {
    expect(claimContradicts('application/pdf', { fileName: 'scan.jpg' })).toBe(true);
    expect(claimContradicts('application/pdf', { fileName: 'scan.PNG' })).toBe(true);
    expect(
      claimContradicts('application/vnd.openxmlformats-officedocument.wordprocessingml.document', {
        fileName: 'a.xlsx',
      }),
    ).toBe(true);
    // The Content-Type may be generic and the name still contradict.
    expect(
      claimContradicts('application/pdf', {
        mimeType: 'application/octet-stream',
        fileName: 'x.gif',
      }),
    ).toBe(true);
  });

  it('accepts every extension a type may carry, in any case', () => {
    const names: [string, string][] = [
      ['image/jpeg', 'a.jpg'],
      ['image/jpeg', 'a.JPEG'],
      ['image/jpeg', 'a.jfif'],
      ['image/jpeg', 'a.jpe'],
      ['image/png', 'a.png'],
      ['image/gif', 'a.gif'],
      ['image/webp', 'a.webp'],
      ['image/heic', 'a.heic'],
      ['image/heic', 'a.HEIF'],
      ['application/pdf', 'a.pdf'],
      ['application/msword', 'a.doc'],
      ['application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'a.docx'],
      ['application/vnd.ms-excel', 'a.xls'],
      ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'a.xlsx'],
    ];
    for (const [mime, fileName] of names) {
      expect(claimContradicts(mime, { fileName, mimeType: mime }), fileName).toBe(false);
      expect(claimContradicts('image/bmp', { fileName }), fileName).toBe(true);
    }
  });

  it('takes an unknown, missing or over-long extension as no claim', () => {
    expect(claimContradicts('image/png', { fileName: 'scan.tmp' })).toBe(false);
    expect(claimContradicts('image/png', { fileName: 'scan' })).toBe(false);
    expect(claimContradicts('image/png', { fileName: 'scan.' })).toBe(false);
    expect(claimContradicts('image/png', { fileName: '' })).toBe(false);
    // Only the last extension counts, and only at the very end of the name.
    expect(claimContradicts('image/png', { fileName: 'scan.pdf.png' })).toBe(false);
    expect(claimContradicts('application/pdf', { fileName: 'scan.pdf.png' })).toBe(true);
    expect(claimContradicts('application/pdf', { fileName: 'scan.png ' })).toBe(false);
    expect(claimContradicts('application/pdf', { fileName: 'x.png_' })).toBe(false);
  });
});

describe('extensionOf', () => {
  it('gives the usual extension of a type, and nothing for a type we do not keep', () => {
    expect(extensionOf('image/jpeg')).toBe('jpg');
    expect(extensionOf('image/png')).toBe('png');
    expect(extensionOf('application/vnd.ms-excel')).toBe('xls');
    expect(extensionOf('text/html')).toBe('');
  });
});

describe('withTypeExtension', () => {
  it('appends the extension of the type to a name that ends in another one, and only then', () => {
    expect(withTypeExtension('tahlil.html', 'application/pdf')).toBe('tahlil.html.pdf');
    expect(withTypeExtension('rasm.svg', 'image/png')).toBe('rasm.svg.png');
    expect(withTypeExtension('tahlil.PDF', 'application/pdf')).toBe('tahlil.PDF');
    expect(withTypeExtension('photo.jpeg', 'image/jpeg')).toBe('photo.jpeg');
    expect(withTypeExtension('tahlil', 'application/pdf')).toBe('tahlil');
  });
});
