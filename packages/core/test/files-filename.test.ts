import { describe, expect, it } from 'vitest';
import { sanitizeFileName } from '../src/files/filename';

// The display and download name of an upload, from whatever the client called it.

describe('sanitizeFileName', () => {
  it('keeps an ordinary name, Unicode letters included', () => {
    expect(sanitizeFileName('lab sheet.png')).toBe('lab sheet.png');
    expect(sanitizeFileName('Анализ крови.pdf')).toBe('Анализ крови.pdf');
    expect(sanitizeFileName('Gʻulom tahlili.docx')).toBe('Gʻulom tahlili.docx');
  });

  it('composes decomposed letters (as macOS sends them)', () => {
    const decomposed = 'Rene\u0301.pdf';
    expect(sanitizeFileName(decomposed)).toBe('Ren\u00e9.pdf');
  });

  it('keeps only the last path segment, for either separator', () => {
    expect(sanitizeFileName('../../../etc/passwd.png')).toBe('passwd.png');
    expect(sanitizeFileName('C:\\Users\\doc\\scan.pdf')).toBe('scan.pdf');
    expect(sanitizeFileName('a/b\\c.pdf')).toBe('c.pdf');
  });

  it('drops control, bidirectional and zero-width characters and line separators', () => {
    expect(sanitizeFileName('invoice\u202Efdp.exe')).toBe('invoicefdp.exe');
    expect(sanitizeFileName('a\u0000b\u0007c.pdf')).toBe('abc.pdf');
    expect(sanitizeFileName('x\u200By.pdf')).toBe('xy.pdf');
    expect(sanitizeFileName('x\u2028y\u2029z.pdf')).toBe('xyz.pdf');
    expect(sanitizeFileName('\uFEFFbom.pdf')).toBe('bom.pdf');
  });

  it('replaces every character Windows refuses with an underscore', () => {
    expect(sanitizeFileName('a<b>c:d"e|f?g*h.pdf')).toBe('a_b_c_d_e_f_g_h.pdf');
    expect(sanitizeFileName('Qon tahlili "1".pdf')).toBe('Qon tahlili _1_.pdf');
  });

  it('collapses runs of white space and trims it', () => {
    expect(sanitizeFileName('  a \t  b\u00a0\u00a0c.pdf  ')).toBe('a b c.pdf');
  });

  it('drops leading dots and spaces, and trailing dots and spaces', () => {
    expect(sanitizeFileName('.bashrc')).toBe('bashrc');
    expect(sanitizeFileName('. . .hidden.pdf')).toBe('hidden.pdf');
    expect(sanitizeFileName('scan.pdf. . .')).toBe('scan.pdf');
    expect(sanitizeFileName('scan.pdf...')).toBe('scan.pdf');
    expect(sanitizeFileName('a..b.pdf')).toBe('a..b.pdf');
  });

  it('prefixes reserved device names, with or without an extension, in any case', () => {
    for (const name of ['con', 'PRN', 'aux.txt', 'Nul.pdf', 'com1', 'COM9.png', 'lpt0', 'LPT5.doc'])
      expect(sanitizeFileName(name), name).toBe(`_${name}`);
    for (const name of ['console.pdf', 'com10.pdf', 'xcon.pdf', 'lpt.pdf', 'auxiliary'])
      expect(sanitizeFileName(name), name).toBe(name);
  });

  it('names a nameless file "file", with the detected type’s extension when there is one', () => {
    expect(sanitizeFileName(undefined)).toBe('file');
    expect(sanitizeFileName('', 'png')).toBe('file.png');
    expect(sanitizeFileName('...', 'pdf')).toBe('file.pdf');
    expect(sanitizeFileName('dir/', 'jpg')).toBe('file.jpg');
    expect(sanitizeFileName('\u202E\u200B')).toBe('file');
    // A name that survives keeps its own extension, not the fallback.
    expect(sanitizeFileName('scan', 'pdf')).toBe('scan');
  });

  it('cuts a long name to 200 characters and keeps its extension', () => {
    expect(sanitizeFileName(`${'a'.repeat(200)}.pdf`)).toBe(`${'a'.repeat(196)}.pdf`);
    expect(sanitizeFileName('a'.repeat(200))).toBe('a'.repeat(200));
    expect(sanitizeFileName('a'.repeat(201))).toBe('a'.repeat(200));
    expect(sanitizeFileName(`${'a'.repeat(196)}.pdf`)).toBe(`${'a'.repeat(196)}.pdf`);
    // Counted in characters, not UTF-16 units: a Cyrillic or emoji name is not cut early.
    expect(sanitizeFileName(`${'ж'.repeat(196)}.pdf`)).toBe(`${'ж'.repeat(196)}.pdf`);
    const emoji = sanitizeFileName(`${'😀'.repeat(250)}.jpg`);
    expect([...emoji]).toHaveLength(200);
    expect(emoji).toBe(`${'😀'.repeat(196)}.jpg`);
  });

  it('keeps an extension of up to nine characters after the dot, and no longer one', () => {
    // ".abcdefghi" is ten characters with its dot: kept.
    expect(sanitizeFileName(`${'a'.repeat(300)}.abcdefghi`)).toBe(`${'a'.repeat(190)}.abcdefghi`);
    // ".abcdefghij" is eleven: not an extension, the name is simply cut.
    expect(sanitizeFileName(`${'a'.repeat(300)}.abcdefghij`)).toBe('a'.repeat(200));
    // Nor is a dot far from the end.
    expect(sanitizeFileName(`_.${'b'.repeat(300)}`)).toBe(`_.${'b'.repeat(198)}`);
  });
});
