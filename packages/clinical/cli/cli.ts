/**
 * medora-analyze <input.json | -> — prints the engine's report for one patient as JSON.
 * Exit codes: 0 report printed; 2 unreadable file, invalid JSON or invalid input (the message on
 * stderr names the field path of every problem).
 */
import { analysisInput } from '@medora/schema';
import { readFile } from 'node:fs/promises';
import { analyze } from '../src/index';

const USAGE = 'usage: medora-analyze <input.json | ->';

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function fail(message: string): never {
  console.error(`medora-analyze: ${message}`);
  process.exit(2);
}

async function main(args: readonly string[]): Promise<void> {
  if (args.length !== 1) fail(USAGE);
  const [source] = args as [string];
  let text: string;
  try {
    text = source === '-' ? await readStdin() : await readFile(source, 'utf8');
  } catch (err) {
    fail(`cannot read ${source}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    fail(`invalid JSON in ${source}: ${(err as Error).message}`);
  }
  const parsed = analysisInput.safeParse(json);
  if (!parsed.success) {
    const lines = parsed.error.issues.map(
      (i) => `  ${i.path.length > 0 ? i.path.join('.') : '(root)'}: ${i.message}`,
    );
    fail(`invalid input:\n${lines.join('\n')}`);
  }
  process.stdout.write(`${JSON.stringify(analyze(parsed.data), null, 2)}\n`);
}

await main(process.argv.slice(2));
