/**
 * Throughput of the clinical decision-support engine on one core:
 *
 *   npm run bench:engine -w @medora/bench
 *   BENCH_REPORTS=50000 npm run bench:engine -w @medora/bench
 *
 * One realistic 30-lab input (a metabolic, renal and haematology panel with complaints, history and
 * vitals) is analysed BENCH_WARMUP (2,000) times to let the JIT settle, then BENCH_REPORTS
 * (20,000) times, each timed on its own, in this single thread. Throughput is reported twice: per
 * wall-clock second, and per second of this process's CPU time — the one-core figure, which other
 * load on the machine does not distort; the target is judged on the latter. Prints a JSON summary
 * and a Markdown table, and exits 1 when the target is missed.
 */
import { analyze } from '@medora/clinical';
import type { AnalysisInput } from '@medora/schema';
import { REALISTIC_INPUT } from './lib/input';
import { row, writeResult } from './lib/result';

const TARGET_REPORTS_PER_S = 1_000;
const WARMUP = Number(process.env.BENCH_WARMUP ?? 2_000);
const REPORTS = Number(process.env.BENCH_REPORTS ?? 20_000);

const input: AnalysisInput = REALISTIC_INPUT;

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

for (let i = 0; i < WARMUP; i++) analyze(input);

const times: number[] = new Array<number>(REPORTS);
const cpuStart = process.cpuUsage();
const start = process.hrtime.bigint();
for (let i = 0; i < REPORTS; i++) {
  const t0 = process.hrtime.bigint();
  analyze(input);
  times[i] = Number(process.hrtime.bigint() - t0) / 1e6;
}
const totalMs = Number(process.hrtime.bigint() - start) / 1e6;
const cpu = process.cpuUsage(cpuStart);
const cpuMs = (cpu.user + cpu.system) / 1000;
times.sort((a, b) => a - b);

const summary = {
  labs: input.labs.length,
  reports: REPORTS,
  warmup: WARMUP,
  reportsPerSecond: Math.round((REPORTS / totalMs) * 1000),
  reportsPerCpuSecond: Math.round((REPORTS / cpuMs) * 1000),
  medianMs: Number(percentile(times, 50).toFixed(4)),
  p95Ms: Number(percentile(times, 95).toFixed(4)),
  p99Ms: Number(percentile(times, 99).toFixed(4)),
  target: { reportsPerSecond: TARGET_REPORTS_PER_S },
  node: process.version,
};
const pass = summary.reportsPerCpuSecond >= TARGET_REPORTS_PER_S;

console.log(JSON.stringify(summary, null, 2));
console.log(
  [
    '| measure | value | target |',
    '| --- | --- | --- |',
    `| reports per CPU second (one core, ${summary.labs} labs) | ${summary.reportsPerCpuSecond} | ≥ ${TARGET_REPORTS_PER_S} ${pass ? '✓' : '✗'} |`,
    `| reports per wall-clock second | ${summary.reportsPerSecond} | |`,
    `| median per report | ${summary.medianMs} ms | |`,
    `| p95 per report | ${summary.p95Ms} ms | |`,
  ].join('\n'),
);
writeResult({
  scenario: 'engine',
  rows: [
    row({
      name: `reports per CPU second (one core, ${summary.labs} labs)`,
      metric: 'reports/cpu-s',
      value: summary.reportsPerCpuSecond,
      unit: 'reports/s',
      budget: { op: '>=', value: TARGET_REPORTS_PER_S },
    }),
    row({
      name: 'reports per wall-clock second',
      metric: 'reports/s',
      value: summary.reportsPerSecond,
      unit: 'reports/s',
    }),
    row({
      name: 'one report',
      metric: 'latency',
      value: summary.medianMs,
      unit: 'ms',
      p50: summary.medianMs,
      p95: summary.p95Ms,
      p99: summary.p99Ms,
    }),
  ],
  notes: [`${REPORTS} reports after ${WARMUP} to warm up, one thread, Node ${process.version}`],
});
if (!pass) process.exitCode = 1;
