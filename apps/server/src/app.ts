import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Router from '@koa/router';
import type { Services } from '@medora/core';
import Koa from 'koa';
import { corsPolicy } from './middleware/cors';
import { errorHandler } from './middleware/errors';
import { methodGuard } from './middleware/methods';
import { sameOriginWrites } from './middleware/origin';
import { rateLimits } from './middleware/rate-limit';
import { RefusalLog } from './middleware/refusal-log';
import { requestContext, timing } from './middleware/request';
import { httpsRedirect, securityHeaders } from './middleware/security';
import { clientConfigRoute } from './routes/client-config';
import { fileRoutes } from './routes/files';
import { healthRoutes } from './routes/health';
import { paymentRoutes } from './routes/payments';
import { securityTxtRoute } from './routes/security-txt';
import { createMetrics, metricsRoute } from './routes/metrics';
import { trpcRoute } from './routes/trpc';
import { hasWebBuild, webRoute } from './routes/web';
import type { AppState } from './state';

export type ServerRouter = Router<AppState>;

export interface CreateAppOptions {
  services: Services;
  /** Built web app to serve; defaults to WEB_DIST_DIR, or apps/web/dist in production. */
  webDistDir?: string;
  /** Reports whether the server is shutting down (health answers 503 while draining). */
  isDraining?: () => boolean;
  /** Extra routes mounted beside the built-in ones (file routes, provider callbacks, tests). */
  routes?: (router: ServerRouter) => void;
  /** How long /health/detailed reuses its last result; DETAILED_HEALTH_CACHE_MS by default. */
  healthCacheMs?: number;
  /** Where the API rate limits keep their counters; RATE_LIMIT_KEY_PREFIX by default. */
  rateLimitKeyPrefix?: string;
  /** Where refused requests are logged (sampled); the caller flushes it on shutdown. */
  refusals?: RefusalLog;
  /** Every tRPC call through tRPC's own adapter, none answered directly (a test compares). */
  trpcFetchAdapterOnly?: boolean;
}

/** What the tRPC adapter answers (one route per procedure, see TRPC_METHODS). */
export const TRPC_ROUTES = ['GET /trpc/:procedure', 'POST /trpc/:procedure'] as const;
/** What the built web app answers: its files, and index.html for app routes. */
export const WEB_ROUTE = 'GET /*';

const routeTables = new WeakMap<Koa<AppState>, readonly string[]>();

/**
 * Every route an app from `createApp` answers, as `METHOD path` (HEAD goes with GET): the
 * router's, the tRPC adapter's and the web app's. Tests hold each against a table of expected
 * answers per caller, so a route added anywhere here cannot go unreviewed.
 */
export function routesOf(app: Koa<AppState>): readonly string[] {
  const routes = routeTables.get(app);
  if (!routes) throw new Error('routesOf: not an app built by createApp');
  return routes;
}

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

export function defaultWebDistDir(config: Services['config']): string | undefined {
  return config.webDistDir
    ? path.resolve(config.webDistDir)
    : config.isProduction
      ? path.join(repoRoot, 'apps/web/dist')
      : undefined;
}

/** Builds the Koa application (without listening), middleware outermost first. */
export function createApp(opts: CreateAppOptions): Koa<AppState> {
  const { services } = opts;
  const { config } = services;
  const app = new Koa<AppState>();
  // X-Forwarded-* are believed only when an operator says a proxy sets them; otherwise anyone
  // could pick their own IP and dodge the per-IP limits.
  app.proxy = config.trustProxy;
  // Each proxy appends the address it saw, so only the last TRUST_PROXY_HOPS entries of
  // X-Forwarded-For were written by our proxies; anything left of them is the client's say-so.
  if (config.trustProxy) app.maxIpsCount = config.trustProxyHops;
  app.on('error', (err: unknown) => services.logger.debug({ err }, 'koa error event'));

  const metrics = createMetrics();
  const startedAt = Date.now();
  const health = healthRoutes(services, {
    startedAt,
    isDraining: opts.isDraining ?? (() => false),
    cacheMs: opts.healthCacheMs,
  });

  const router = new Router<AppState>();
  router.get('/health', health.basic);
  router.get('/health/detailed', health.detailed);
  const metricsAccess = config.metricsToken
    ? ({ token: config.metricsToken } as const)
    : config.isProduction
      ? ('disabled' as const)
      : ('open' as const);
  if (metricsAccess === 'disabled')
    services.logger.warn('METRICS_TOKEN is not set: /metrics is disabled until it is');
  router.get('/metrics', metricsRoute(metrics, metricsAccess));
  router.get('/.well-known/security.txt', securityTxtRoute());
  clientConfigRoute(router, config);
  fileRoutes(router, services);
  paymentRoutes(router, services);
  opts.routes?.(router);

  app.use(requestContext(services.logger));
  app.use(
    timing({
      slowRequestMs: config.slowRequestMs,
      observe: metrics.observeRequest,
      refusals: opts.refusals ?? new RefusalLog(services.logger),
    }),
  );
  app.use(errorHandler());
  app.use(
    securityHeaders({
      isProduction: config.isProduction,
      errorReportDsn: config.errorReporting.webDsn,
    }),
  );
  app.use(httpsRedirect({ enabled: config.isProduction && config.trustProxy }));
  app.use(corsPolicy({ allowedOrigins: config.allowedOrigins }));
  app.use(methodGuard(router));
  app.use(
    sameOriginWrites({
      allowedOrigins: config.allowedOrigins,
      trustProxy: config.trustProxy,
      logger: services.logger,
    }),
  );
  app.use(rateLimits(services, { keyPrefix: opts.rateLimitKeyPrefix }));
  app.use(router.routes());
  app.use(trpcRoute(services, { fetchAdapterOnly: opts.trpcFetchAdapterOnly }));
  const webDir = opts.webDistDir ?? defaultWebDistDir(config);
  const servesWeb = hasWebBuild(webDir);
  if (servesWeb) app.use(webRoute(webDir, { isProduction: config.isProduction }));
  else if (webDir) services.logger.warn({ webDir }, 'web app not built: serving the API only');
  routeTables.set(app, [
    ...router.stack.flatMap((layer) =>
      layer.methods.filter((m) => m !== 'HEAD').map((m) => `${m} ${layer.path}`),
    ),
    ...TRPC_ROUTES,
    ...(servesWeb ? [WEB_ROUTE] : []),
  ]);
  return app;
}
