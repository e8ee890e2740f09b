import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import type { Plugin } from 'vite';

const brotli = promisify(brotliCompress);
const gz = promisify(gzip);

/**
 * Text formats worth compressing. Images and fonts (png, ico, woff2) are compressed already;
 * source maps are never served in production, so they get no compressed twins either.
 */
export const COMPRESSIBLE = /\.(js|mjs|css|html|svg|json|webmanifest|txt)$/i;

export interface Precompressed {
  file: string;
  bytes: number;
  br: number | null;
  gzip: number | null;
}

async function* filesUnder(dir: string): AsyncGenerator<string> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* filesUnder(full);
    else if (entry.isFile()) yield full;
  }
}

/**
 * Writes `name.br` (brotli, best quality) and `name.gz` (gzip -9) next to every compressible file
 * under `dir`, so the server sends them as they are, at no CPU cost per request. A twin that would
 * not be smaller than the file is left out: the server then sends the file itself.
 */
export async function precompressDir(dir: string): Promise<Precompressed[]> {
  const done: Precompressed[] = [];
  for await (const file of filesUnder(dir)) {
    if (!COMPRESSIBLE.test(file)) continue;
    const [data, stats] = await Promise.all([readFile(file), stat(file)]);
    const [br, gzipped] = await Promise.all([
      brotli(data, {
        params: {
          [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
          [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
          [constants.BROTLI_PARAM_SIZE_HINT]: stats.size,
        },
      }),
      gz(data, { level: constants.Z_BEST_COMPRESSION }),
    ]);
    const keep = async (twin: Buffer, ext: string) => {
      if (twin.length >= data.length) return null;
      await writeFile(`${file}${ext}`, twin);
      return twin.length;
    };
    done.push({
      file: path.relative(dir, file),
      bytes: data.length,
      br: await keep(br, '.br'),
      gzip: await keep(gzipped, '.gz'),
    });
  }
  return done;
}

/** Precompresses the whole build output, once every file (public/ included) is written. */
export function precompress(): Plugin {
  let outDir = '';
  return {
    name: 'medora:precompress',
    apply: 'build',
    enforce: 'post',
    configResolved(config) {
      outDir = path.resolve(config.root, config.build.outDir);
    },
    async closeBundle() {
      const files = await precompressDir(outDir);
      const twins = files.filter((f) => f.br !== null || f.gzip !== null).length;
      this.info?.(`precompressed ${twins} of ${files.length} text files (.br, .gz)`);
    },
  };
}
