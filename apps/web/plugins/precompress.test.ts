// @vitest-environment node
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { precompressDir } from './precompress';

let dir: string;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

const text = (label: string) => `/* ${label} */ ${'export const a = "MedoraAI";\n'.repeat(50)}`;

describe('precompressDir', () => {
  it('writes a brotli and a gzip twin of every text file, at any depth, that decode to it', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'medora-precompress-'));
    const files: Record<string, string | Buffer> = {
      'index.html': `<!doctype html>${text('html')}`,
      'sw.js': text('sw'),
      'manifest.webmanifest': `{"name":"MedoraAI","x":"${'a'.repeat(500)}"}`,
      'favicon.svg': `<svg>${'<g/>'.repeat(200)}</svg>`,
      'assets/index-abc.js': text('js'),
      'assets/index-abc.css': `body{color:red}${'.a{margin:0}'.repeat(100)}`,
      'assets/deep/data.json': JSON.stringify({ a: 'x'.repeat(500) }),
      'robots.txt': 'User-agent: *\n'.repeat(40),
      // Compressed already, or never served in production: no twins.
      'icon-192.png': Buffer.alloc(2000, 7),
      'assets/font.woff2': Buffer.alloc(2000, 7),
      'assets/index-abc.js.map': text('map'),
      // Too small to gain anything: sent as it is.
      'tiny.js': '1',
    };
    for (const [name, content] of Object.entries(files)) {
      await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
      await writeFile(path.join(dir, name), content);
    }

    const result = await precompressDir(dir);

    const compressed = [
      'index.html',
      'sw.js',
      'manifest.webmanifest',
      'favicon.svg',
      'assets/index-abc.js',
      'assets/index-abc.css',
      'assets/deep/data.json',
      'robots.txt',
    ];
    for (const name of compressed) {
      const original = await readFile(path.join(dir, name));
      const br = await readFile(path.join(dir, `${name}.br`));
      const gz = await readFile(path.join(dir, `${name}.gz`));
      expect(brotliDecompressSync(br).equals(original), name).toBe(true);
      expect(gunzipSync(gz).equals(original), name).toBe(true);
      expect(br.length, name).toBeLessThan(original.length);
      const entry = result.find((r) => r.file === name);
      expect(entry, name).toEqual({
        file: name,
        bytes: original.length,
        br: br.length,
        gzip: gz.length,
      });
    }
    const all = [
      ...(await readdir(dir, { recursive: true })).map((f) => f.split(path.sep).join('/')),
    ];
    for (const name of ['icon-192.png', 'assets/font.woff2', 'assets/index-abc.js.map', 'tiny.js'])
      expect(
        all.filter((f) => f.startsWith(`${name}.`)),
        name,
      ).toEqual([]);
    expect(result.find((r) => r.file === 'tiny.js')).toEqual({
      file: 'tiny.js',
      bytes: 1,
      br: null,
      gzip: null,
    });
  });
});
