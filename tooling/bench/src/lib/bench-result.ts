import { writeFileSync } from 'node:fs';

/** The summary every scenario prints, and writes to BENCH_RESULT_FILE for the bench runner. */
export interface BenchRow {
  name: string;
  metric: string;
  value: number;
  unit: string;
  budget?: { op: '<=' | '>='; value: number };
  met?: boolean;
  p50?: number;
  p95?: number;
  p99?: number;
  errors?: number;
}
export interface BenchResult {
  scenario: string;
  rows: BenchRow[];
  notes: string[];
}

/** A row with its budget judged: `met` is set whenever a budget is. */
export function row(r: Omit<BenchRow, 'met'>): BenchRow {
  if (!r.budget) return r;
  const met =
    Number.isFinite(r.value) &&
    (r.budget.op === '<=' ? r.value <= r.budget.value : r.value >= r.budget.value);
  return { ...r, met };
}

const cell = (n: number | undefined) => (n === undefined || Number.isNaN(n) ? '–' : String(n));

export function markdownTable(rows: readonly BenchRow[]): string {
  const lines = [
    '| name | metric | value | unit | p50 | p95 | p99 | errors | budget | met |',
    '| ---- | ------ | ----: | ---- | --: | --: | --: | -----: | ------ | --- |',
  ];
  for (const r of rows) {
    const budget = r.budget ? `${r.budget.op} ${r.budget.value}` : '–';
    const met = r.met === undefined ? '–' : r.met ? 'yes' : '**no**';
    lines.push(
      `| ${r.name} | ${r.metric} | ${cell(r.value)} | ${r.unit} | ${cell(r.p50)} | ${cell(r.p95)} | ${cell(r.p99)} | ${cell(r.errors)} | ${budget} | ${met} |`,
    );
  }
  return lines.join('\n');
}

/**
 * Prints the Markdown table and the JSON summary on stdout (progress goes to stderr), writes the
 * JSON to BENCH_RESULT_FILE when set, and returns whether every budget was met.
 */
export function emitResult(result: BenchResult): boolean {
  console.log(markdownTable(result.rows));
  if (result.notes.length) console.log(`\n${result.notes.map((n) => `- ${n}`).join('\n')}`);
  const json = JSON.stringify(result, null, 2);
  console.log(`\n${json}`);
  const file = process.env.BENCH_RESULT_FILE;
  if (file) writeFileSync(file, `${json}\n`);
  return result.rows.every((r) => r.met !== false);
}
