/**
 * The result every benchmark script prints and, when BENCH_RESULT_FILE is set, writes there:
 * one row per measured value, with its budget when it has one.
 */
import { writeFile } from 'node:fs/promises';

export interface Budget {
  op: '<=' | '>=';
  value: number;
}

export interface ResultRow {
  name: string;
  metric: string;
  value: number;
  unit: string;
  budget?: Budget;
  met?: boolean;
}

export interface BenchResult {
  scenario: string;
  rows: ResultRow[];
  notes: string[];
}

/** A row; with a budget, `met` says whether the value keeps it. */
export function row(
  name: string,
  metric: string,
  value: number,
  unit: string,
  budget?: Budget,
): ResultRow {
  if (!budget) return { name, metric, value, unit };
  const met = budget.op === '<=' ? value <= budget.value : value >= budget.value;
  return { name, metric, value, unit, budget, met };
}

export function markdownTable(rows: ResultRow[]): string {
  const line = (cells: (string | number)[]) => `| ${cells.join(' | ')} |`;
  return [
    line(['name', 'metric', 'value', 'unit', 'budget', 'met']),
    line(['---', '---', '--:', '---', '---', '---']),
    ...rows.map((r) =>
      line([
        r.name,
        r.metric,
        r.value,
        r.unit,
        r.budget ? `${r.budget.op} ${r.budget.value}` : '',
        r.met === undefined ? '' : r.met ? 'yes' : '**no**',
      ]),
    ),
  ].join('\n');
}

/** Prints the table and the JSON, writes BENCH_RESULT_FILE; true when every budget is met. */
export async function report(result: BenchResult): Promise<boolean> {
  console.log(`\n${markdownTable(result.rows)}\n`);
  for (const n of result.notes) console.log(`note: ${n}`);
  console.log(`\n${JSON.stringify(result, null, 2)}`);
  const file = process.env.BENCH_RESULT_FILE;
  if (file) await writeFile(file, `${JSON.stringify(result, null, 2)}\n`);
  const missed = result.rows.filter((r) => r.met === false);
  if (missed.length)
    console.log(`MISSED: ${missed.map((r) => `${r.name} ${r.metric} ${r.value}`).join('; ')}`);
  else console.log('all budgets met');
  return missed.length === 0;
}
