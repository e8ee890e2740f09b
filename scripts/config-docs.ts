import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderEnvExample, withConfigTable } from '../packages/core/src/config-docs';

// `npm run config:docs` rewrites the README's configuration table and `.env.example` from the
// declarations in packages/core/src/config.ts; with --check it only reports whether they are stale.
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const check = process.argv.includes('--check');
const files = {
  'README.md': (current: string) => withConfigTable(current),
  '.env.example': () => renderEnvExample(),
};

let stale = 0;
for (const [name, render] of Object.entries(files)) {
  const file = path.join(root, name);
  const current = readFileSync(file, 'utf8');
  const next = render(current);
  if (next === current) continue;
  stale += 1;
  if (check) console.error(`${name} is out of date: run npm run config:docs`);
  else {
    writeFileSync(file, next);
    console.log(`wrote ${name}`);
  }
}
if (check && stale) process.exit(1);
