/** The Markdown table of one scenario's result: what the runner writes and prints. */
import type { ResultRow, ScenarioResult } from './result';

const num = (n: number | undefined, digits = 1): string =>
  n === undefined || Number.isNaN(n)
    ? ''
    : Math.abs(n) >= 100
      ? Math.round(n).toLocaleString('en-US')
      : String(Math.round(n * 10 ** digits) / 10 ** digits);

const cell = (s: string) => s.replaceAll('|', '\\|');

function met(r: ResultRow): string {
  const failed = r.errors ? `✗ (${r.errors} errors)` : '';
  if (r.met === undefined) return failed;
  return r.met && !failed ? '✓' : failed || '✗';
}

export function scenarioTable(result: ScenarioResult): string {
  const lines = [
    '| row | value | p50 / p95 / p99 ms | ratio to baseline | budget | met |',
    '| --- | --: | --: | --- | --- | :-: |',
    ...result.rows.map((r) => {
      const pct = r.p50 === undefined ? '' : `${num(r.p50)} / ${num(r.p95)} / ${num(r.p99)}`;
      const ratio = r.ratio === undefined ? '' : `${num(r.ratio, 2)}× ${cell(r.baseline ?? '')}`;
      const budget = r.budget ? `${r.budget.op} ${num(r.budget.value, 2)} ${r.unit}` : '';
      return `| ${cell(r.name)} | ${num(r.value, 2)} ${r.unit} | ${pct} | ${ratio} | ${budget} | ${met(r)} |`;
    }),
  ];
  return lines.join('\n');
}
