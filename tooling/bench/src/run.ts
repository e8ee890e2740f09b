/**
 * `npm run bench`: the whole benchmark suite in one command (not part of `npm test` or CI).
 *
 *   npm run bench                          # build, then every scenario at full size
 *   npm run bench -- --quick               # smoke sizes; results under results/quick/ (ignored)
 *   npm run bench -- --only http,engine    # some scenarios
 *   npm run bench -- --soak                # adds the 10-minute soak
 *   npm run bench -- --skip-build          # when the build is known to be current
 *
 * Builds the app (`npm run build`), then runs each scenario script in turn as a child process
 * with BENCH_RESULT_FILE naming a temp file its JSON summary goes to (lib/result.ts), collects
 * them and writes results/<YYYY-MM-DD>-<short commit>.json and .md (a table per scenario), and
 * prints the Markdown. Each script creates and removes its own databases, data directories and
 * processes. Exit code: 1 when a script failed (crashed or wrote no result) or, on a full-size
 * run, when a budget was missed; failed requests (errors > 0 in a row) fail every run. The
 * results are written either way. A --quick run reports budgets without failing on them:
 * several only hold at full size.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { format, resolveConfig } from 'prettier';
import { scenarioTable } from './lib/markdown';
import { gitCommit, root } from './lib/process';
import { misses, type ScenarioResult } from './lib/result';

const HTTP_QUICK = {
  BENCH_PATIENTS: '5000',
  BENCH_WORKSPACES: '50',
  BENCH_ANALYSES: '5000',
};

interface Scenario {
  name: string;
  file: string;
  /** Smoke sizes for --quick, through the script's own env variables. */
  quick: Record<string, string>;
  /** Runs only when asked for (--soak or --only). */
  optIn?: boolean;
}

const SCENARIOS: Scenario[] = [
  { name: 'http', file: 'http.ts', quick: { ...HTTP_QUICK, BENCH_SECONDS: '3' } },
  { name: 'auth', file: 'auth-load.ts', quick: { BENCH_SECONDS: '2' } },
  {
    name: 'patients',
    file: 'patients-load.ts',
    quick: { BENCH_PATIENTS: '5000', BENCH_WORKSPACES: '50', BENCH_SECONDS: '2', BENCH_PLANS: '0' },
  },
  { name: 'engine', file: 'engine.ts', quick: { BENCH_REPORTS: '2000', BENCH_WARMUP: '200' } },
  {
    name: 'expire',
    file: 'expire.ts',
    quick: { BENCH_WORKSPACES: '20000', BENCH_DUE: '2000', BENCH_DUE_SMALL: '100' },
  },
  { name: 'web', file: 'web.ts', quick: { BENCH_LIGHTHOUSE: '0' } },
  { name: 'jobs', file: 'jobs.ts', quick: { BENCH_ANALYSES: '50', BENCH_WORKERS: '1' } },
  { name: 'scale-out', file: 'scale-out.ts', quick: { BENCH_ANALYSES: '40' } },
  { name: 'memory', file: 'memory.ts', quick: { BENCH_SECONDS: '5', BENCH_RUNTIME: 'built' } },
  {
    name: 'soak',
    file: 'soak.ts',
    quick: { ...HTTP_QUICK, BENCH_SOAK_SECONDS: '30', BENCH_SOAK_WARMUP_SECONDS: '10' },
    optIn: true,
  },
];

const srcDir = path.join(root, 'tooling/bench/src');
const resultsDir = path.join(root, 'tooling/bench/results');

interface Outcome extends ScenarioResult {
  status: 'met' | 'missed' | 'failed';
  exitCode: number | null;
  seconds: number;
  misses: string[];
}

/** Set by Ctrl-C or SIGTERM: the running script cleans up, and no further one starts. */
let interrupted = false;

function exec(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<number | null> {
  return new Promise((resolve, reject) => {
    // Children print their own progress and JSON to stderr/stdout; the tables come at the end.
    const child = spawn(cmd, args, { cwd: root, env, stdio: ['ignore', 'inherit', 'inherit'] });
    const forward = (signal: NodeJS.Signals) => () => {
      interrupted = true;
      child.kill(signal);
    };
    const onInt = forward('SIGINT');
    const onTerm = forward('SIGTERM');
    process.on('SIGINT', onInt);
    process.on('SIGTERM', onTerm);
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      resolve(signal ? null : code);
    });
  });
}

async function runScenario(s: Scenario, quick: boolean): Promise<Outcome> {
  const resultFile = path.join(tmpdir(), `medora-bench-${s.name}-${process.pid}.json`);
  rmSync(resultFile, { force: true });
  const started = Date.now();
  console.error(`\n[bench] ── ${s.name} (${s.file})${quick ? ', quick' : ''}`);
  const exitCode = await exec(process.execPath, ['--import', 'tsx', path.join(srcDir, s.file)], {
    ...process.env,
    ...(quick && { BENCH_QUICK: '1', ...s.quick }),
    BENCH_RESULT_FILE: resultFile,
  });
  const seconds = Math.round((Date.now() - started) / 1000);
  let result: ScenarioResult | null = null;
  try {
    result = JSON.parse(readFileSync(resultFile, 'utf8')) as ScenarioResult;
  } catch {
    // no result written: the script failed before its summary
  } finally {
    rmSync(resultFile, { force: true });
  }
  if (!result)
    return {
      scenario: s.name,
      rows: [],
      notes: [`no result written (exit code ${exitCode ?? 'signal'})`],
      status: 'failed',
      exitCode,
      seconds,
      misses: [],
    };
  const missed = misses(result);
  // A script exits 1 on its own misses; a non-zero exit with every budget met is a failure.
  const status = missed.length ? 'missed' : exitCode === 0 ? 'met' : 'failed';
  return { ...result, scenario: s.name, status, exitCode, seconds, misses: missed };
}

function markdown(run: {
  date: string;
  commit: string;
  quick: boolean;
  machine: string;
  loadBefore: number[];
  loadAfter: number[];
  outcomes: Outcome[];
}): string {
  const la = (l: number[]) => l.map((x) => x.toFixed(1)).join(' / ');
  const out = [
    `# Benchmarks ${run.date.slice(0, 16).replace('T', ' ')} UTC, commit \`${run.commit}\`${run.quick ? ' (quick: smoke sizes, not comparable)' : ''}`,
    '',
    `${run.machine}; load average (1/5/15 min) ${la(run.loadBefore)} at the start, ${la(run.loadAfter)} at the end.`,
    'Ratios compare runs minutes apart in the same run; absolute numbers drift with the machine.',
  ];
  for (const o of run.outcomes) {
    out.push(
      '',
      `## ${o.scenario} — ${o.status}${o.status === 'failed' ? ` (exit ${o.exitCode})` : ''}, ${o.seconds} s`,
      '',
    );
    if (o.rows.length) out.push(scenarioTable(o), '');
    for (const n of o.notes) out.push(`- ${n}`);
    for (const m of o.misses) out.push(`- missed: ${m}`);
  }
  return `${out.join('\n')}\n`;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      only: { type: 'string' },
      quick: { type: 'boolean', default: false },
      soak: { type: 'boolean', default: false },
      'skip-build': { type: 'boolean', default: false },
    },
  });
  const only = values.only
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = only?.filter((n) => !SCENARIOS.some((s) => s.name === n)) ?? [];
  if (unknown.length) {
    console.error(
      `unknown scenario ${unknown.join(', ')}; known: ${SCENARIOS.map((s) => s.name).join(', ')}`,
    );
    return 2;
  }
  const chosen = SCENARIOS.filter((s) =>
    only ? only.includes(s.name) : !s.optIn || (s.name === 'soak' && values.soak),
  ).filter((s) => {
    const present = existsSync(path.join(srcDir, s.file));
    if (!present) console.error(`[bench] ${s.name}: ${s.file} not present, skipped`);
    return present;
  });
  if (values.soak && only && !only.includes('soak'))
    chosen.push(SCENARIOS.find((s) => s.name === 'soak')!);

  const date = new Date().toISOString();
  const commit = await gitCommit();
  const loadBefore = loadavg();
  if (!values['skip-build']) {
    console.error('[bench] npm run build');
    const code = await exec('npm', ['run', 'build'], process.env);
    if (code !== 0 || interrupted) {
      console.error(`[bench] build failed (exit ${code})`);
      return 1;
    }
  }
  const outcomes: Outcome[] = [];
  for (const s of chosen) {
    if (interrupted) break;
    outcomes.push(await runScenario(s, values.quick));
  }
  if (interrupted) {
    console.error('[bench] interrupted: no results written');
    return 130;
  }

  const run = {
    date,
    commit,
    quick: values.quick,
    machine: `${cpus().length} × ${cpus()[0]?.model.trim() ?? 'CPU'}, Node ${process.version}`,
    loadBefore,
    loadAfter: loadavg(),
    outcomes,
  };
  const dir = values.quick ? path.join(resultsDir, 'quick') : resultsDir;
  mkdirSync(dir, { recursive: true });
  const base = `${date.slice(0, 10)}-${commit}${only ? `-${only.join('-')}` : ''}`;
  // In the repository's own style, so committed results pass `npm run format:check`.
  const styled = async (file: string, text: string) =>
    format(text, { ...(await resolveConfig(file)), filepath: file });
  const md = await styled(path.join(dir, `${base}.md`), markdown(run));
  writeFileSync(path.join(dir, `${base}.md`), md);
  writeFileSync(
    path.join(dir, `${base}.json`),
    await styled(path.join(dir, `${base}.json`), JSON.stringify(run)),
  );
  console.log(`\n${md}`);
  console.log(`written: ${path.relative(root, path.join(dir, base))}.{json,md}`);

  const failed = outcomes.filter((o) => o.status === 'failed').map((o) => o.scenario);
  const missed = outcomes.filter((o) => o.status === 'missed').map((o) => o.scenario);
  if (failed.length) console.log(`FAILED: ${failed.join(', ')}`);
  if (missed.length)
    console.log(
      `budgets missed in: ${missed.join(', ')}${values.quick ? ' (quick run: reported, not failing)' : ''}`,
    );
  // Failed requests fail any run: unlike a budget, they do not depend on the data's size.
  const erred = outcomes.filter((o) => o.rows.some((r) => r.errors)).map((o) => o.scenario);
  if (erred.length) console.log(`failed requests in: ${erred.join(', ')}`);
  return failed.length || erred.length || (!values.quick && missed.length) ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
