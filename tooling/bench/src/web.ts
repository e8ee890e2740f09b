/**
 * Web delivery benchmark: what the browser downloads and how Lighthouse rates the pages.
 *
 *   npm run bench:web -w @medora/bench
 *
 * Builds the web app (`BENCH_WEB_BUILD=0` uses the existing apps/web/dist), lists every JS and
 * CSS file with its raw, gzip and brotli size, starts the real server (`NODE_ENV=production`) on
 * a scratch database with one seeded doctor (20 patients, one completed analysis carrying the
 * clinical engine's real report), and loads the sign-in page, the dashboard, the patient list and
 * that analysis's report in Chromium (playwright-core), summing the JavaScript each page really
 * fetched (the files are listed in the notes).
 * Then Lighthouse (default mobile profile) rates the same pages: performance, accessibility,
 * best practices. Signed-in pages get a fresh session each, handed over as the app keeps it: the
 * httpOnly refresh cookie, from which the page itself asks for its access token.
 *
 * `BENCH_LIGHTHOUSE=0` measures the bundle only; `BENCH_LIGHTHOUSE_RUNS` (1) runs Lighthouse that
 * many times per page and keeps the median performance; `BENCH_LIGHTHOUSE_DIR` keeps each report.
 *
 * Prints a Markdown table and a JSON summary (BENCH_RESULT_FILE: also written there) and exits 1
 * when a budget is missed. The database, data directory and server are removed at the end.
 */
import { analyze } from '@medora/clinical';
import { createLogger, createServices, loadConfig } from '@medora/core';
import { analysisInput, analysisReport } from '@medora/schema';
import { factories, signInDirectly } from '@medora/core/testing';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { chromium, type Browser } from 'playwright-core';
import { report, row as resultRow, type Budget, type ResultRow } from './lib/result';
import { scratchDatabase } from './lib/db';
import { REALISTIC_INPUT } from './lib/input';
import {
  gitCommit,
  log as logFor,
  onCleanup,
  root,
  runMain,
  scratchDir,
  startServer,
} from './lib/process';

/** A row as this script writes them: name, metric, value, unit and an optional budget. */
const row = (name: string, metric: string, value: number, unit: string, budget?: Budget) =>
  resultRow({ name, metric, value, unit, ...(budget && { budget }) });

/** The issue's budgets. */
const BUDGETS = {
  /** JavaScript a page loads, gzip, in KB (1,000 bytes, as Vite and Lighthouse count). */
  jsGzipKb: 200,
  performance: 0.95,
  accessibility: 1,
};
const CHROME_PATH = process.env.CHROME_PATH ?? '/usr/bin/chromium';
const CHROME_FLAGS = ['--headless=new', '--no-sandbox'];
/** Lighthouse runs per page; the median performance score (and its run) is reported. */
const RUNS = Math.max(1, Number(process.env.BENCH_LIGHTHOUSE_RUNS ?? 1));
const dist = process.env.BENCH_WEB_DIST ?? path.join(root, 'apps/web/dist');
const kb = (bytes: number) => Math.round(bytes / 10) / 100;
const log = logFor('web');

interface Page {
  name: string;
  path: string;
  signedIn: boolean;
}
/** The pages the issue names; the report's path is known once its analysis is seeded. */
const pages = (analysisId: string): Page[] => [
  { name: 'login', path: '/login', signedIn: false },
  { name: 'dashboard', path: '/', signedIn: true },
  { name: 'patient list', path: '/patients', signedIn: true },
  { name: 'report', path: `/analyses/${analysisId}`, signedIn: true },
];

// ---------------------------------------------------------------------------------------------
// The build

interface FileSizes {
  file: string;
  raw: number;
  gzip: number;
  brotli: number;
}

/** Sizes of one built file: the build's precompressed twins when present, else computed. */
function sizesOf(rel: string): FileSizes {
  const full = path.join(dist, rel);
  const data = readFileSync(full);
  const twin = (ext: string, make: () => Buffer) =>
    existsSync(full + ext) ? statSync(full + ext).size : make().length;
  return {
    file: rel,
    raw: data.length,
    gzip: twin('.gz', () => gzipSync(data, { level: 9 })),
    brotli: twin('.br', () =>
      brotliCompressSync(data, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }),
    ),
  };
}

function chunks(): FileSizes[] {
  return readdirSync(path.join(dist, 'assets'))
    .filter((f) => /\.(js|css)$/.test(f))
    .map((f) => sizesOf(`assets/${f}`))
    .sort((a, b) => b.gzip - a.gzip);
}

// ---------------------------------------------------------------------------------------------
// Measurements

/** The refresh cookie as the server sets it over plain http (COOKIE_SECURE=false, see main). */
const REFRESH_COOKIE = 'medora_rt';

interface Loaded {
  scripts: { file: string; transferred: number }[];
  finalPath: string;
  /** The page's largest-contentful-paint candidates in order, as the browser reported them. */
  lcp: string[];
}

/**
 * Records every largest-contentful-paint candidate with its element, size and time. Lighthouse's
 * own "LCP element" audit fails on this Chromium (its trace lacks `frame_sequence`), so the bench
 * asks the browser directly.
 */
const RECORD_LCP = `(() => {
  const seen = (window.__lcp = []);
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      const el = e.element;
      const what = el
        ? el.tagName.toLowerCase() + (el.className ? '.' + String(el.className).split(' ')[0] : '') +
          ' "' + (el.textContent || '').trim().slice(0, 40) + '"'
        : '(removed)';
      seen.push(what + ' ' + e.size + ' px² at ' + Math.round(e.startTime) + ' ms');
    }
  }).observe({ type: 'largest-contentful-paint', buffered: true });
})();`;

/**
 * Loads `url` in Chromium with no cache and no service worker (its install would fetch the whole
 * shell, which is not the page's own cost) and lists the scripts it fetched, with the bytes
 * transferred (compressed as sent: brotli, which Chromium asks for).
 */
async function loadPage(
  browser: Browser,
  base: string,
  page: Page,
  refreshToken: string | null,
): Promise<Loaded> {
  const context = await browser.newContext({ serviceWorkers: 'block' });
  if (refreshToken)
    await context.addCookies([
      {
        name: REFRESH_COOKIE,
        value: refreshToken,
        url: `${base}/trpc`,
        httpOnly: true,
        sameSite: 'Strict',
      },
    ]);
  const tab = await context.newPage();
  await tab.addInitScript(RECORD_LCP);
  const scripts: Loaded['scripts'] = [];
  const pending: Promise<void>[] = [];
  tab.on('requestfinished', (req) => {
    if (req.resourceType() !== 'script') return;
    pending.push(
      req.sizes().then((sizes) => {
        scripts.push({
          file: new URL(req.url()).pathname.slice(1),
          transferred: sizes.responseBodySize,
        });
      }),
    );
  });
  // BENCH_WEB_PROFILE_DIR: a JavaScript CPU profile of the load on a 4× slower CPU, as
  // Lighthouse simulates it, to see which code makes the long tasks (open it in DevTools).
  const profileDir = process.env.BENCH_WEB_PROFILE_DIR;
  const cdp = profileDir ? await context.newCDPSession(tab) : null;
  if (cdp) {
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
    await cdp.send('Profiler.start');
  }
  await tab.goto(base + page.path, { waitUntil: 'networkidle' });
  // The page's heading is drawn once its route's code and data are in; what it fetches after
  // that (translations, a data refetch) settles before the count.
  await tab.locator('h1').first().waitFor({ timeout: 30_000 });
  await tab.waitForLoadState('networkidle');
  await Promise.all(pending);
  if (cdp && profileDir) {
    const { profile } = await cdp.send('Profiler.stop');
    await mkdir(profileDir, { recursive: true });
    await writeFile(
      path.join(profileDir, `${fileNameOf(page.path)}.cpuprofile`),
      JSON.stringify(profile),
    );
  }
  const finalPath = new URL(tab.url()).pathname;
  const lcp = await tab.evaluate(() => (globalThis as unknown as { __lcp: string[] }).__lcp);
  await context.close();
  return { scripts, finalPath, lcp };
}

/** A page's path as a file name: `/patients` → `_patients`, `/` → `_`. */
const fileNameOf = (pagePath: string) => pagePath.replace(/\W+/g, '_') || 'root';

interface LighthouseResult {
  performance: number;
  accessibility: number;
  bestPractices: number;
  lcpMs: number;
  fcpMs: number;
  tbtMs: number;
  cls: number;
  opportunities: string[];
  failedAudits: string[];
}

/** Trace failures Lighthouse itself says to retry ("Please run Lighthouse again"). */
const RETRYABLE = new Set(['NO_NAVSTART', 'NO_FCP', 'NO_TRACING_STARTED']);

async function runLighthouse(
  port: number,
  url: string,
  prepare: () => Promise<void>,
): Promise<LighthouseResult> {
  for (let attempt = 1; ; attempt++) {
    try {
      await prepare();
      return await runLighthouseOnce(port, url);
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (attempt >= 3 || !code || !RETRYABLE.has(code)) throw error;
      log(`${url}: Lighthouse ${code}, running it again`);
    }
  }
}

async function runLighthouseOnce(port: number, url: string): Promise<LighthouseResult> {
  const result = await lighthouse(url, {
    port,
    output: 'json',
    logLevel: 'error',
    onlyCategories: ['performance', 'accessibility', 'best-practices'],
  });
  if (result && new URL(result.lhr.finalDisplayedUrl).pathname !== new URL(url).pathname) {
    throw new Error(`Lighthouse: ${url} ended on ${result.lhr.finalDisplayedUrl}`);
  }
  if (!result) throw new Error(`Lighthouse returned nothing for ${url}`);
  const lhr = result.lhr;
  if (lhr.runtimeError)
    throw Object.assign(new Error(`Lighthouse: ${lhr.runtimeError.message}`), {
      code: lhr.runtimeError.code,
    });
  const dir = process.env.BENCH_LIGHTHOUSE_DIR;
  if (dir) {
    await mkdir(dir, { recursive: true });
    await writeFile(
      path.join(dir, `${fileNameOf(new URL(url).pathname)}.json`),
      JSON.stringify(lhr),
    );
  }
  const audit = (id: string) => lhr.audits[id];
  const score = (id: string) => lhr.categories[id]?.score ?? 0;
  const opportunities = Object.values(lhr.audits)
    .filter((a) => a.details?.type === 'opportunity' && (a.score ?? 1) < 0.9)
    .map((a) => `${a.id}${a.displayValue ? ` (${a.displayValue})` : ''}`);
  const failedAudits = ['accessibility', 'best-practices'].flatMap((cat) =>
    (lhr.categories[cat]?.auditRefs ?? [])
      .filter((ref) => ref.weight > 0 && (lhr.audits[ref.id]?.score ?? 1) < 1)
      .map((ref) => `${cat}: ${ref.id}`),
  );
  return {
    performance: score('performance'),
    accessibility: score('accessibility'),
    bestPractices: score('best-practices'),
    lcpMs: Math.round(audit('largest-contentful-paint')?.numericValue ?? NaN),
    fcpMs: Math.round(audit('first-contentful-paint')?.numericValue ?? NaN),
    tbtMs: Math.round(audit('total-blocking-time')?.numericValue ?? NaN),
    cls: Math.round((audit('cumulative-layout-shift')?.numericValue ?? NaN) * 1000) / 1000,
    opportunities,
    failedAudits,
  };
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const notes: string[] = [];
  const rows: ResultRow[] = [];
  const started = new Date();

  if (process.env.BENCH_WEB_BUILD !== '0') {
    log('building the web app');
    const build = spawnSync('npm', ['run', 'build', '-w', '@medora/web'], {
      cwd: root,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    if (build.status !== 0) throw new Error('the web build failed');
  }
  const files = chunks();
  const byFile = new Map(files.map((f) => [f.file, f]));
  for (const f of files) {
    const name = f.file.replace(/^assets\//, '');
    rows.push(row(name, 'raw', kb(f.raw), 'KB'));
    rows.push(row(name, 'gzip', kb(f.gzip), 'KB'));
    rows.push(row(name, 'brotli', kb(f.brotli), 'KB'));
  }
  const total = (pick: (f: FileSizes) => number, ext: string) =>
    kb(files.filter((f) => f.file.endsWith(ext)).reduce((sum, f) => sum + pick(f), 0));
  rows.push(
    row(
      'all JS',
      'gzip',
      total((f) => f.gzip, '.js'),
      'KB',
    ),
  );
  rows.push(
    row(
      'all CSS',
      'gzip',
      total((f) => f.gzip, '.css'),
      'KB',
    ),
  );

  // Scratch database and the production server.
  const { url, db } = await scratchDatabase('web', { poolMax: 2 });
  const { dir: dataDir } = await scratchDir('web');
  const tokenSecret = randomBytes(36).toString('base64url');
  const env = {
    NODE_ENV: 'production',
    DATABASE_URL: url,
    DATA_DIR: dataDir,
    TOKEN_SECRET: tokenSecret,
    LOG_LEVEL: 'warn',
    // Plain http on loopback: a Secure cookie could not be set, and the page would sign out.
    COOKIE_SECURE: 'false',
  };
  const services = createServices({
    config: loadConfig(env),
    db,
    logger: createLogger(loadConfig(env), 'bench'),
  });
  onCleanup('cache', () => services.cache.close());
  const make = factories(db);
  const doctor = await make.doctor();
  const names = ['Alisher Karimov', 'Dilnoza Yusupova', 'Jasur Tursunov', 'Malika Rahimova'];
  const patientIds: string[] = [];
  for (let i = 0; i < 20; i++) {
    const [firstName = 'Alisher', lastName = 'Karimov'] = names[i % names.length]!.split(' ');
    const patient = await make.patient(doctor, {
      firstName,
      lastName,
      phone: `+99890${1000000 + i}`,
    });
    patientIds.push(patient.id);
  }
  // One completed analysis with the engine's real report, stored as the worker stores it.
  const input = analysisInput.parse({ ...REALISTIC_INPUT, locale: 'uz' });
  const analysisReportJson = analysisReport.parse(analyze(input));
  const analysis = await db
    .insertInto('analyses')
    .values({
      workspace_id: doctor.workspaceId,
      patient_id: patientIds[0]!,
      created_by: doctor.userId,
      status: 'completed',
      input: JSON.stringify(input),
      report: JSON.stringify(analysisReportJson),
      engine: `${analysisReportJson.engine.kind} ${analysisReportJson.engine.version} / kb ${analysisReportJson.engine.knowledgeBase}`,
      idempotency_key: `bench_web_${randomBytes(12).toString('hex')}`,
      usage_period: new Date().toISOString().slice(0, 8) + '01',
      started_at: new Date(),
      completed_at: new Date(),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  // BENCH_WEB_PAGES=login,report rates only those pages (names as in the table).
  const only = process.env.BENCH_WEB_PAGES?.split(',').map((name) => name.trim());
  const PAGES = pages(analysis.id).filter((p) => !only || only.includes(p.name));
  const server = await startServer({
    url,
    dataDir,
    tokenSecret,
    env: { WEB_DIST_DIR: dist, COOKIE_SECURE: 'false' },
  });
  const session = async () => (await signInDirectly(services, doctor)).refreshToken;

  // What each page really downloads.
  const browser = await chromium.launch({ executablePath: CHROME_PATH, args: ['--no-sandbox'] });
  try {
    for (const page of PAGES) {
      const loaded = await loadPage(
        browser,
        server.base,
        page,
        page.signedIn ? await session() : null,
      );
      if (loaded.finalPath !== page.path)
        throw new Error(`${page.name}: ended on ${loaded.finalPath}, not ${page.path}`);
      const own = loaded.scripts.filter((s) => byFile.has(s.file));
      const gzip = own.reduce((sum, s) => sum + byFile.get(s.file)!.gzip, 0);
      const transferred = loaded.scripts.reduce((sum, s) => sum + s.transferred, 0);
      rows.push(
        row(page.name, 'JS loaded, gzip', kb(gzip), 'KB', { op: '<=', value: BUDGETS.jsGzipKb }),
      );
      rows.push(row(page.name, 'JS transferred', kb(transferred), 'KB'));
      rows.push(row(page.name, 'JS files', loaded.scripts.length, 'files'));
      log(`${page.name}: ${loaded.scripts.length} scripts, ${kb(gzip)} KB gzip`);
      notes.push(`${page.name} LCP candidates (unthrottled): ${loaded.lcp.join('; ')}`);
      notes.push(
        `${page.name} scripts (gzip KB): ${own
          .map((s) => ({ name: s.file.replace(/^assets\//, ''), gzip: byFile.get(s.file)!.gzip }))
          .sort((a, b) => b.gzip - a.gzip)
          .map((s) => `${s.name} ${kb(s.gzip)}`)
          .join(', ')}`,
      );
    }
  } finally {
    await browser.close();
  }

  // Lighthouse, mobile profile, on a Chrome of its own.
  const pagesToRate = process.env.BENCH_LIGHTHOUSE === '0' ? [] : PAGES;
  if (!pagesToRate.length) notes.push('Lighthouse not run (BENCH_LIGHTHOUSE=0)');
  const chrome = pagesToRate.length
    ? await chromeLauncher.launch({ chromePath: CHROME_PATH, chromeFlags: CHROME_FLAGS })
    : null;
  if (chrome) onCleanup('chrome', () => chrome.kill());
  // A signed-in page gets its refresh cookie in that Chrome's own cookie jar (Lighthouse keeps
  // cookies between runs). Lighthouse's `extraHeaders` cannot carry it: Chrome replaces that
  // Cookie header with the jar's as soon as the page has set a cookie of its own (the language).
  // The DevTools connection is closed again before Lighthouse runs, so it costs the page nothing.
  const prepare = (page: Page) => async () => {
    const devtools = await chromium.connectOverCDP(`http://127.0.0.1:${chrome!.port}`);
    try {
      const jar = devtools.contexts()[0]!;
      await jar.clearCookies({ name: REFRESH_COOKIE });
      if (page.signedIn) {
        await jar.addCookies([
          {
            name: REFRESH_COOKIE,
            value: await session(),
            url: `${server.base}/trpc`,
            httpOnly: true,
            sameSite: 'Strict',
          },
        ]);
      }
    } finally {
      await devtools.close();
    }
  };
  for (const page of pagesToRate) {
    const runs: LighthouseResult[] = [];
    for (let i = 0; i < RUNS; i++) {
      runs.push(await runLighthouse(chrome!.port, server.base + page.path, prepare(page)));
    }
    runs.sort((a, b) => a.performance - b.performance);
    const lh = runs[Math.floor(runs.length / 2)]!;
    rows.push(
      row(page.name, 'Lighthouse performance', lh.performance, 'score', {
        op: '>=',
        value: BUDGETS.performance,
      }),
    );
    rows.push(
      row(page.name, 'Lighthouse accessibility', lh.accessibility, 'score', {
        op: '>=',
        value: BUDGETS.accessibility,
      }),
    );
    rows.push(row(page.name, 'Lighthouse best practices', lh.bestPractices, 'score'));
    rows.push(row(page.name, 'LCP', lh.lcpMs, 'ms'));
    rows.push(row(page.name, 'FCP', lh.fcpMs, 'ms'));
    rows.push(row(page.name, 'TBT', lh.tbtMs, 'ms'));
    rows.push(row(page.name, 'CLS', lh.cls, 'score'));
    if (RUNS > 1)
      notes.push(
        `${page.name}: performance over ${RUNS} runs ${runs.map((r) => r.performance).join(', ')}`,
      );
    if (lh.opportunities.length)
      notes.push(`${page.name} opportunities: ${lh.opportunities.join(', ')}`);
    if (lh.failedAudits.length)
      notes.push(`${page.name} failed audits: ${lh.failedAudits.join(', ')}`);
    log(`${page.name}: performance ${lh.performance}, accessibility ${lh.accessibility}`);
  }

  notes.push(
    `${started.toISOString()}, commit ${await gitCommit()}; JS loaded = scripts the page fetched (service worker blocked, no cache), gzip sizes from the build's .gz files`,
  );
  const ok = report({ scenario: 'web', rows, notes });
  process.exitCode = ok ? 0 : 1;
}

runMain(main);
