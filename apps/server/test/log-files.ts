import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { LogLine } from './app-harness';

/** The log files under `dir` (general, errors and their rotations). */
export async function logFiles(dir: string): Promise<string[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  return names.filter((n) => n.includes('.log')).map((n) => path.join(dir, n));
}

/** Total size of the log files under `dir`, in bytes. */
export async function logBytes(dir: string): Promise<number> {
  let total = 0;
  for (const file of await logFiles(dir)) total += (await stat(file)).size;
  return total;
}

/** Every JSON line of the general log files (not the error-only copies). */
export async function generalLogLines(dir: string): Promise<LogLine[]> {
  const lines: LogLine[] = [];
  for (const file of await logFiles(dir)) {
    if (path.basename(file).includes('.error.')) continue;
    for (const line of (await readFile(file, 'utf8')).split('\n'))
      if (line.trim()) lines.push(JSON.parse(line) as LogLine);
  }
  return lines;
}
