/**
 * Soak: the HTTP scenario's procedures as one weighted mix for BENCH_SOAK_SECONDS (600) at
 * BENCH_CONNECTIONS (50), on the same generated data as `http.ts`:
 *
 *   npm run bench -- --soak                                       # from the repository root
 *   BENCH_SOAK_SECONDS=60 BENCH_SOAK_WARMUP_SECONDS=10 npm run bench:soak -w @medora/bench
 *
 * The server's RSS is sampled every second. Budgets: no failed request; RSS at the end at most
 * 10 % above RSS at the end of the warm-up (BENCH_SOAK_WARMUP_SECONDS, 60: heap, pools and caches
 * have grown to their working size by then, so what grows after is a leak); and the server
 * under 150 MB RSS throughout the measured part.
 */
import { loadavg } from 'node:os';
import { prepareApp, sizes } from './lib/app';
import { load } from './lib/load';
import { log as logFor, runMain, sampleRss } from './lib/process';
import { loadRow, report, round, row } from './lib/result';

const SECONDS = Number(process.env.BENCH_SOAK_SECONDS ?? 600);
const WARMUP_SECONDS = Number(process.env.BENCH_SOAK_WARMUP_SECONDS ?? 60);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const BUDGETS = { rssGrowthPct: 10, serverRssMb: 150 };
const log = logFor('soak');

/** How often each procedure comes up in the mix: roughly a doctor's day of page loads. */
const WEIGHTS = { me: 4, list: 3, search: 2, get: 3, analysis: 2, health: 1 } as const;

async function main(): Promise<boolean> {
  if (WARMUP_SECONDS >= SECONDS)
    throw new Error('BENCH_SOAK_WARMUP_SECONDS must be < BENCH_SOAK_SECONDS');
  const loadBefore = loadavg();
  const app = await prepareApp('soak', log);
  // Interleaved: each connection walks the whole list in turn, so the mix holds every second.
  const mix: string[] = [];
  const lists = Object.entries(WEIGHTS).map(([k, w]) => ({
    paths: app.paths[k as keyof typeof WEIGHTS],
    w,
    next: 0,
  }));
  for (let round = 0; round < 100; round++)
    for (const l of lists)
      for (let i = 0; i < l.w; i++) mix.push(l.paths[l.next++ % l.paths.length]!);

  const rss = sampleRss([app.server.pid], 1000);
  log(`${SECONDS} s of mixed load at ${CONNECTIONS} connections (${mix.length} paths in turn)`);
  const r = await load({
    base: app.server.base,
    paths: mix,
    connections: CONNECTIONS,
    seconds: SECONDS,
    headers: { authorization: `Bearer ${app.token}` },
  });
  const samples = rss.stop()[0]!.samples;
  const afterWarmup = samples.find((s) => s.atMs >= WARMUP_SECONDS * 1000) ?? samples[0]!;
  const end = samples.at(-1)!;
  const measured = samples.filter((s) => s.atMs >= afterWarmup.atMs);
  const peak = Math.max(...measured.map((s) => s.mb));
  const growthPct = round(((end.mb - afterWarmup.mb) / afterWarmup.mb) * 100, 1);
  log(`${r.reqPerSec} req/s, ${r.errors} errors; RSS ${afterWarmup.mb} → ${end.mb} MB`);
  const size = sizes();
  const result = {
    scenario: 'soak',
    rows: [
      loadRow(`mixed load @${CONNECTIONS}, ${SECONDS} s`, r),
      row({
        name: `server RSS growth after ${WARMUP_SECONDS} s warm-up`,
        metric: 'rss growth',
        value: growthPct,
        unit: '%',
        budget: { op: '<=', value: BUDGETS.rssGrowthPct },
      }),
      row({
        name: 'server RSS peak after warm-up',
        metric: 'rss',
        value: peak,
        unit: 'MB',
        budget: { op: '<=', value: BUDGETS.serverRssMb },
      }),
    ],
    notes: [
      `mix per round: ${Object.entries(WEIGHTS)
        .map(([k, w]) => `${k} ×${w}`)
        .join(', ')}`,
      `server RSS ${samples[0]!.mb} MB at the start, ${afterWarmup.mb} MB after the warm-up, ${end.mb} MB at the end, peak ${peak} MB`,
      `RSS every 10 s (MB): ${samples
        .filter((_, i) => i % 10 === 0)
        .map((s) => s.mb)
        .join(' ')}`,
      `data: ${size.mainPatients} + ${size.otherWorkspaces} × 100 patients, ${size.analyses} analyses`,
      `load average ${loadBefore.map((l) => l.toFixed(1)).join(' ')} before, ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')} after (1/5/15 min)`,
    ],
  };
  return report(result);
}

runMain(main);
