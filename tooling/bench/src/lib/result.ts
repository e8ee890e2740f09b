/**
 * The contract between a scenario script and the runner (`src/run.ts`): each script runs as a
 * child process and, when BENCH_RESULT_FILE is set, writes one JSON summary there. Scripts run
 * on their own write nothing and keep printing their own JSON and tables.
 */
import { writeFileSync } from 'node:fs';
import type { LoadRun } from './load';
import { scenarioTable } from './markdown';

export interface Budget {
  op: '<=' | '>=';
  value: number;
}

export interface ResultRow {
  name: string;
  /** What `value` is: "req/s", "p99", "ratio", "rss", "reports/cpu-s", … */
  metric: string;
  value: number;
  unit: string;
  /** Judged on `value`. */
  budget?: Budget;
  met?: boolean;
  /** The row this one is compared with, measured in the same run; `ratio` = value / its value. */
  baseline?: string;
  ratio?: number;
  p50?: number;
  p95?: number;
  p99?: number;
  reqPerSec?: number;
  /** Failed requests (socket errors, timeouts and non-2xx answers): must be 0. */
  errors?: number;
}

export interface ScenarioResult {
  scenario: string;
  rows: ResultRow[];
  notes: string[];
}

export const round = (n: number, digits = 1): number => {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
};

/** A row with its budget judged: `met` is filled in whenever a budget is given. */
export function row(r: Omit<ResultRow, 'met'>): ResultRow {
  if (!r.budget) return r;
  const met = r.budget.op === '<=' ? r.value <= r.budget.value : r.value >= r.budget.value;
  return { ...r, met };
}

/** A load run's row: its throughput as the value, with its percentiles and failed requests. */
export function loadRow(name: string, r: LoadRun, more: Partial<ResultRow> = {}): ResultRow {
  return row({
    name,
    metric: 'req/s',
    value: r.reqPerSec,
    unit: 'req/s',
    reqPerSec: r.reqPerSec,
    p50: r.p50,
    p95: r.p95,
    p99: r.p99,
    errors: r.errors,
    ...more,
  });
}

/** A row misses when its budget is not met or it counted failed requests. */
export function misses(result: ScenarioResult): string[] {
  return result.rows.flatMap((r) => [
    ...(r.met === false
      ? [`${r.name}: ${r.value} ${r.unit}, budget ${r.budget!.op} ${r.budget!.value}`]
      : []),
    ...(r.errors ? [`${r.name}: ${r.errors} failed requests`] : []),
  ]);
}

/** Writes the summary for the runner when it asked for one (BENCH_RESULT_FILE). */
export function writeResult(result: ScenarioResult): void {
  const file = process.env.BENCH_RESULT_FILE;
  if (file) writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
}

/**
 * For scripts that report only through the result: prints the Markdown table, the notes and the
 * JSON summary, writes it for the runner, and answers whether nothing missed.
 */
export function report(result: ScenarioResult): boolean {
  console.log(`\n${scenarioTable(result)}\n`);
  for (const n of result.notes) console.log(`- ${n}`);
  console.log(`\n${JSON.stringify(result, null, 2)}`);
  writeResult(result);
  const missed = misses(result);
  if (missed.length) console.log(`MISSED: ${missed.join('; ')}`);
  return missed.length === 0;
}
