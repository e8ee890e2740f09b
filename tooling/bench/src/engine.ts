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

const TARGET_REPORTS_PER_S = 1_000;
const WARMUP = Number(process.env.BENCH_WARMUP ?? 2_000);
const REPORTS = Number(process.env.BENCH_REPORTS ?? 20_000);

const input: AnalysisInput = {
  locale: 'ru',
  patient: { sex: 'male', ageYears: 61, weightKg: 94, heightCm: 174 },
  complaints:
    'Жажда, слабость, ночью встаю в туалет 2–3 раза. Одышка при подъёме по лестнице, боли в груди нет. Тяжесть в правом подреберье после еды.',
  history: 'Сахарный диабет 2 типа 8 лет, гипертония. СКФ около 55 в течение года.',
  medications: ['метформин 1000 мг 2 раза в день', 'лизиноприл 10 мг', 'аторвастатин 20 мг'],
  vitals: {
    systolicBp: 148,
    diastolicBp: 92,
    heartRate: 84,
    respiratoryRate: 16,
    temperatureC: 36.7,
    spo2: 97,
  },
  labs: [
    { code: 'hemoglobin', value: 12.4, unit: 'g/dL' },
    { code: 'hematocrit', value: 38, unit: '%' },
    { code: 'wbc', value: 7.9, unit: '10^9/L' },
    { code: 'platelets', value: 231, unit: '10^3/uL' },
    { code: 'mcv', value: 84, unit: 'fL' },
    { code: 'ferritin', value: 48, unit: 'ng/mL' },
    { code: 'iron', value: 62, unit: 'ug/dL' },
    { code: 'transferrin_saturation', value: 21, unit: '%' },
    { code: 'vitamin_b12', value: 310, unit: 'pg/mL' },
    { code: 'glucose_fasting', value: 162, unit: 'mg/dL' },
    { code: 'hba1c', value: 64, unit: 'mmol/mol' },
    { code: 'creatinine', value: 1.38, unit: 'mg/dL' },
    { code: 'urea', value: 9.1, unit: 'mmol/L' },
    { code: 'sodium', value: 137, unit: 'mEq/L' },
    { code: 'potassium', value: 5.3, unit: 'mmol/L', referenceLow: 3.5, referenceHigh: 5.1 },
    { code: 'chloride', value: 101, unit: 'mmol/L' },
    { code: 'bicarbonate', value: 22, unit: 'mmol/L' },
    { code: 'calcium', value: 9.6, unit: 'mg/dL' },
    { code: 'albumin', value: 4.1, unit: 'g/dL' },
    { code: 'alt', value: 68, unit: 'U/L' },
    { code: 'ast', value: 51, unit: 'U/L' },
    { code: 'alp', value: 96, unit: 'U/L' },
    { code: 'ggt', value: 71, unit: 'U/L' },
    { code: 'bilirubin_total', value: 0.9, unit: 'mg/dL' },
    { code: 'tsh', value: 2.2, unit: 'mIU/L' },
    { code: 'total_cholesterol', value: 6.4, unit: 'mmol/L' },
    { code: 'ldl', value: 4.3, unit: 'mmol/L' },
    { code: 'hdl', value: 0.9, unit: 'mmol/L' },
    { code: 'triglycerides', value: 2.8, unit: 'mmol/L' },
    { code: 'uric_acid', value: 7.9, unit: 'mg/dL' },
  ],
};

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
if (!pass) process.exitCode = 1;
