import { open } from 'node:fs/promises';

/** Every type MedoraAI accepts, with the extensions a name may carry for it. */
const EXTENSIONS: Record<string, readonly string[]> = {
  'image/jpeg': ['jpg', 'jpeg', 'jfif', 'jpe'],
  'image/png': ['png'],
  'image/gif': ['gif'],
  'image/webp': ['webp'],
  'image/heic': ['heic', 'heif'],
  'application/pdf': ['pdf'],
  'application/msword': ['doc'],
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': ['docx'],
  'application/vnd.ms-excel': ['xls'],
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': ['xlsx'],
};

// How clients name the same types differently.
const ALIASES: Record<string, string> = {
  'image/jpg': 'image/jpeg',
  'image/pjpeg': 'image/jpeg',
  'image/heif': 'image/heic',
  'image/x-png': 'image/png',
  'application/x-pdf': 'application/pdf',
  'application/vnd.ms-word': 'application/msword',
  'application/x-msexcel': 'application/vnd.ms-excel',
};

const canonical = (mime: string) => {
  const bare = mime.split(';')[0]!.trim().toLowerCase();
  return ALIASES[bare] ?? bare;
};

const utf16 = (s: string) => Buffer.from(s, 'utf16le');
const WORD_STREAM = utf16('WordDocument');
const EXCEL_STREAMS = [utf16('Workbook'), utf16('Book')];

/**
 * Old Office files are OLE compound files; which program wrote one shows in the names of its
 * streams, stored in UTF-16 in the file's directory (which may sit anywhere in the file).
 */
async function compoundFileKind(file: string): Promise<string | undefined> {
  const handle = await open(file, 'r');
  try {
    const chunk = Buffer.alloc(1 << 20);
    const overlap = 32;
    let position = 0;
    let carry = Buffer.alloc(0);
    for (;;) {
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, position);
      if (bytesRead === 0) return undefined;
      const window = Buffer.concat([carry, chunk.subarray(0, bytesRead)]);
      if (window.includes(WORD_STREAM)) return 'application/msword';
      if (EXCEL_STREAMS.some((n) => window.includes(n))) return 'application/vnd.ms-excel';
      carry = window.subarray(Math.max(0, window.length - overlap));
      position += bytesRead;
    }
  } finally {
    await handle.close();
  }
}

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** Whether the file begins with a UTF-8 byte-order mark: text, whatever follows. */
async function startsWithBom(file: string): Promise<boolean> {
  const handle = await open(file, 'r');
  try {
    const head = Buffer.alloc(BOM.length);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    return bytesRead === BOM.length && head.equals(BOM);
  } finally {
    await handle.close();
  }
}

/** The file's type from its bytes (magic numbers), or undefined when it is none we know. */
export async function detectType(file: string): Promise<string | undefined> {
  // The sniffer skips a byte-order mark and types what follows, so an HTML page with "%PDF-"
  // after one would pass as a PDF. No type we accept ever starts with one.
  if (await startsWithBom(file)) return undefined;
  // Loaded on the first upload: the worker and a server nobody uploads to never need it.
  const { fileTypeFromFile } = await import('file-type');
  const found = await fileTypeFromFile(file);
  if (!found) return undefined;
  if (found.mime === 'application/x-cfb') return compoundFileKind(file);
  return canonical(found.mime);
}

/**
 * Whether what the client said (its Content-Type and the name's extension) contradicts the
 * detected type. A generic or missing claim says nothing; an unknown extension is not a claim.
 */
export function claimContradicts(
  detected: string,
  claim: { mimeType?: string | undefined; fileName?: string | undefined },
): boolean {
  const declared = claim.mimeType ? canonical(claim.mimeType) : '';
  if (declared && declared !== 'application/octet-stream' && declared !== detected) return true;
  const ext = /\.([a-z0-9]{1,10})$/i.exec(claim.fileName ?? '')?.[1]?.toLowerCase();
  if (!ext) return false;
  const claimedTypes = Object.entries(EXTENSIONS)
    .filter(([, exts]) => exts.includes(ext))
    .map(([mime]) => mime);
  return claimedTypes.length > 0 && !claimedTypes.includes(detected);
}

/**
 * The name with an extension of the detected type appended when it ends in another one: a PDF
 * that is also an HTML page, uploaded as "tahlil.html", downloads as "tahlil.html.pdf", so the
 * doctor's computer opens it as a PDF, not as a page that runs. Names without an extension stay.
 */
export function withTypeExtension(name: string, mime: string): string {
  const ext = /\.([a-z0-9]{1,10})$/i.exec(name)?.[1]?.toLowerCase();
  const own = EXTENSIONS[mime] ?? [];
  if (!ext || own.length === 0 || own.includes(ext)) return name;
  return `${name}.${own[0]}`;
}

/** The usual extension for a detected type (for a file that came without a usable name). */
export const extensionOf = (mime: string): string => EXTENSIONS[mime]?.[0] ?? '';
