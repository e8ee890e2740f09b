/**
 * The application under load, as the HTTP scenario and the soak see it: a scratch database with
 * generated data, a signed-in doctor, the real server as its own process, and the request paths
 * of every procedure measured (each checked once to answer 200 with what it should show).
 * Everything it starts goes at `cleanUp` (lib/process.ts), also on failure or Ctrl-C.
 */
import { randomBytes } from 'node:crypto';
import { createLogger, createServices, loadConfig, type Services } from '@medora/core';
import { signInDirectly } from '@medora/core/testing';
import { recordQueries, scratchDatabase, type Scratch } from './db';
import { searches, seedAnalyses, seedPatients, type Seeded } from './data';
import { cleanUp, onCleanup, scratchDir, startServer, type NodeProcess } from './process';

export const sizes = () => ({
  mainPatients: Number(process.env.BENCH_PATIENTS ?? 100_000),
  otherWorkspaces: Number(process.env.BENCH_WORKSPACES ?? 1_000),
  analyses: Number(process.env.BENCH_ANALYSES ?? 200_000),
});

/** tRPC v11 GET with superjson: `?input=` + the URL-encoded `{"json": input}`. */
export const queryPath = (procedure: string, input?: unknown) =>
  `/trpc/${procedure}${input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify({ json: input }))}`}`;

export async function getJson<T>(base: string, token: string | null, p: string): Promise<T> {
  const res = await fetch(base + p, {
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
  const body = (await res.json()) as { result?: { data: { json: T } }; error?: unknown };
  if (!res.ok || !body.result) throw new Error(`GET ${p}: ${res.status} ${JSON.stringify(body)}`);
  return body.result.data.json;
}

export interface App {
  scratch: Scratch;
  recorder: ReturnType<typeof recordQueries>;
  services: Services;
  seeded: Seeded;
  token: string;
  sessionId: string;
  tokenSecret: string;
  server: NodeProcess;
  /** Request paths per measured procedure; several paths are requested in turn. */
  paths: {
    me: string[];
    list: string[];
    search: string[];
    get: string[];
    analysis: string[];
    health: string[];
  };
  reportBytes: number;
}

export async function prepareApp(kind: string, log: (msg: string) => void): Promise<App> {
  try {
    const size = sizes();
    const scratch = await scratchDatabase(kind);
    const recorder = recordQueries(scratch.pool);
    const { dir: dataDir } = await scratchDir(kind);
    log(`scratch database ${scratch.name}, data dir ${dataDir}`);

    const seeded = await seedPatients(scratch.pool, { ...size, log });
    const { mainAnalysisIds, reportBytes } = await seedAnalyses(scratch.pool, seeded, {
      count: size.analyses,
      log,
    });

    const tokenSecret = randomBytes(36).toString('base64url');
    const metricsToken = randomBytes(16).toString('hex');
    // The bench's own services sign the doctor in (same secret as the server, so the server
    // accepts the token) and replay procedures to record their SQL.
    const config = loadConfig({
      NODE_ENV: 'production',
      DATABASE_URL: scratch.url,
      DATA_DIR: dataDir,
      TOKEN_SECRET: tokenSecret,
      ACCESS_TOKEN_TTL_SECONDS: '3600',
      LOG_LEVEL: 'warn',
      METRICS_TOKEN: metricsToken,
    });
    const services = createServices({
      config,
      db: scratch.db,
      logger: createLogger(config, 'bench'),
    });
    onCleanup('cache', () => services.cache.close());
    const session = await signInDirectly(services, seeded.doctor);
    const server = await startServer({ url: scratch.url, dataDir, tokenSecret, metricsToken });
    const token = session.accessToken;
    const base = server.base;

    const terms = searches(seeded.sample);
    const paths: App['paths'] = {
      me: [queryPath('auth.me')],
      list: [queryPath('patient.list', {})],
      search: Object.values(terms).map((search) => queryPath('patient.list', { search })),
      get: seeded.sample.slice(0, 100).map((s) => queryPath('patient.get', { id: s.id })),
      analysis: mainAnalysisIds.map((id) => queryPath('analysis.get', { id })),
      health: ['/health'],
    };
    // Each answers 200 with what it is meant to show.
    await getJson(base, token, paths.me[0]!);
    const page = await getJson<{ items: unknown[] }>(base, token, paths.list[0]!);
    if (page.items.length !== 20) throw new Error(`list page 1 has ${page.items.length} rows`);
    for (const p of paths.search) {
      const found = await getJson<{ total: number }>(base, token, p);
      if (!found.total) throw new Error(`search ${p} found nothing`);
    }
    await getJson(base, token, paths.get[0]!);
    const analysis = await getJson<{ status: string; report: { differential: unknown[] } | null }>(
      base,
      token,
      paths.analysis[0]!,
    );
    if (analysis.status !== 'completed' || !analysis.report)
      throw new Error('analysis.get answered without a report');
    if (!(await fetch(base + '/health')).ok) throw new Error('/health failed');
    log(`server ${base} (pid ${server.pid}) ready; report ${reportBytes} bytes of JSON`);

    return {
      scratch,
      recorder,
      services,
      seeded,
      token,
      sessionId: session.sessionId,
      tokenSecret,
      server,
      paths,
      reportBytes,
    };
  } catch (err) {
    await cleanUp();
    throw err;
  }
}
