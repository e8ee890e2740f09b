import { configSections, configVariables, type ConfigVariable } from './config';

// The README's configuration table and `.env.example` are rendered from the declarations in
// ./config, so neither can fall behind them (`npm run config:docs` writes both; a test compares).

const TABLE_START =
  '<!-- configuration table: generated from packages/core/src/config.ts by `npm run config:docs` -->';
const TABLE_END = '<!-- end of configuration table -->';
const WIDTH = 100;

const entries = () => Object.entries(configVariables) as [string, ConfigVariable][];

/** The default as it would be written in the environment, or undefined when unset. */
export function configDefault(v: ConfigVariable): string | undefined {
  // The schema itself knows the default: parse an absent value.
  const parsed = v.schema.safeParse(undefined);
  const value = parsed.success ? parsed.data : undefined;
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
    ? String(value)
    : undefined;
}

/** A Markdown table aligned the way Prettier aligns it, so formatting never changes it. */
function markdownTable(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => [...r[i]!].length)));
  const line = (cells: string[]) =>
    `| ${cells.map((c, i) => c + ' '.repeat(widths[i]! - [...c].length)).join(' | ')} |`;
  const [head, ...body] = rows;
  return [line(head!), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}

export function renderConfigTable(): string {
  const rows = entries().map(([name, v]) => {
    const def = configDefault(v);
    return [
      `\`${name}\``,
      v.defaultText ?? (def === undefined ? 'unset' : `\`${def}\``),
      v.description.replaceAll('|', '\\|'),
    ];
  });
  return markdownTable([['variable', 'default', 'meaning'], ...rows]);
}

/** `readme` with the text between the table markers replaced by the current table. */
export function withConfigTable(readme: string): string {
  const start = readme.indexOf(TABLE_START);
  const end = readme.indexOf(TABLE_END);
  if (start < 0 || end < start) {
    throw new Error(`README.md needs the lines\n${TABLE_START}\n${TABLE_END}\naround the table`);
  }
  return `${readme.slice(0, start + TABLE_START.length)}\n\n${renderConfigTable()}\n\n${readme.slice(end)}`;
}

function comment(text: string): string[] {
  const lines: string[] = [];
  let line = '#';
  for (const word of text.replaceAll('**', '').split(/\s+/)) {
    if (line.length + 1 + word.length > WIDTH && line !== '#') {
      lines.push(line);
      line = '#';
    }
    line += ` ${word}`;
  }
  lines.push(line);
  return lines;
}

export function renderEnvExample(): string {
  const out = [
    ...comment(
      'MedoraAI configuration. Copy to `.env` and adjust; every variable is optional unless noted, and the value shown is the default. The server and the worker read the same variables and refuse to start, naming the variable, when a value is invalid.',
    ),
    ...comment(
      'Generated from packages/core/src/config.ts by `npm run config:docs`: edit the declarations there, not this file.',
    ),
  ];
  for (const [id, section] of Object.entries(configSections)) {
    out.push('', `# --- ${section.title} `.padEnd(WIDTH, '-'));
    if ('note' in section) out.push(...comment(section.note));
    for (const [name, v] of entries().filter(([, v]) => v.section === id)) {
      const def = configDefault(v);
      out.push('', ...comment(v.description));
      if (v.defaultText) out.push(...comment(`Default: ${v.defaultText}.`));
      out.push(def === undefined ? `# ${name}=${v.example ?? ''}` : `${name}=${def}`);
    }
  }
  return `${out.join('\n')}\n`;
}
