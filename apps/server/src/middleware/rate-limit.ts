import { bearerToken, type Services } from '@medora/core';
import type { Middleware, Next, ParameterizedContext } from 'koa';
import ratelimit from 'koa-ratelimit';
import type { AppState } from '../state';
import { refusalBody } from './errors';

type Ctx = ParameterizedContext<AppState>;

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const LIMITED_PATH = /^\/(trpc|api)(\/|$)/;
/** Counters are kept under `<prefix>:<limit>:<caller>`. */
export const RATE_LIMIT_KEY_PREFIX = 'medora:rl';

/** Only the API is limited; health checks and the static web app are not. */
export const isLimitedPath = (path: string): boolean => LIMITED_PATH.test(path);

/**
 * The spec's three limits: 100/min per IP, 100/h per anonymous caller (by IP), 1000/h per
 * signed-in user. Counters live in Redis when configured and reachable (shared by every server),
 * else in this process. The caller is identified by verifying the access token's signature only,
 * so a forged bearer counts as anonymous and an expired one does not cost a database read here.
 */
export function rateLimits(
  services: Services,
  opts: { keyPrefix?: string } = {},
): Middleware<AppState> {
  const keyPrefix = opts.keyPrefix ?? RATE_LIMIT_KEY_PREFIX;
  const { rateLimit } = services.config;
  const redis = services.cache.redis;
  // The memory store serves always without Redis, and with Redis whenever a call to it fails,
  // so an outage of Redis never lifts the limits.
  const memory = new Map<string, { reset: number }>();
  // koa-ratelimit's memory driver never forgets a key; sweep expired windows so one-off IPs
  // do not accumulate for the life of the process.
  const sweeper = setInterval(() => {
    const nowSeconds = Date.now() / 1000;
    for (const [key, entry] of memory) if (entry.reset < nowSeconds) memory.delete(key);
  }, MINUTE_MS);
  sweeper.unref();
  type Backend =
    { driver: 'redis'; db: NonNullable<typeof redis> } | { driver: 'memory'; db: typeof memory };
  const limiter = (
    backend: Backend,
    namespace: string,
    max: number,
    duration: number,
    id: (ctx: Ctx) => string | false,
  ) =>
    ratelimit({
      ...backend,
      namespace: `${keyPrefix}:${namespace}`,
      max,
      duration,
      id,
    }) as unknown as Middleware<AppState>;
  const limits = (backend: Backend) => [
    limiter(backend, 'ip', rateLimit.ipPerMinute, MINUTE_MS, (ctx) => ctx.ip),
    limiter(backend, 'anon', rateLimit.anonPerHour, HOUR_MS, (ctx) =>
      ctx.state.callerUserId ? false : ctx.ip,
    ),
    limiter(
      backend,
      'user',
      rateLimit.userPerHour,
      HOUR_MS,
      (ctx) => ctx.state.callerUserId ?? false,
    ),
  ];
  const inMemory = limits({ driver: 'memory', db: memory });
  const inRedis = redis ? limits({ driver: 'redis', db: redis }) : null;

  return async (ctx, next) => {
    if (!isLimitedPath(ctx.path)) {
      await next();
      return;
    }
    const token = bearerToken(ctx.get('authorization'));
    const verified = token ? await services.sessions.verify(token) : null;
    ctx.state.callerUserId = verified?.ok ? verified.claims.userId : null;
    if (token && verified) ctx.state.verifiedToken = { token, result: verified };
    const run = (i: number): Promise<void> => {
      const fallback = inMemory[i];
      if (!fallback) return next();
      const shared = redis?.status === 'ready' ? inRedis?.[i] : undefined;
      return shared
        ? orInMemory(shared, fallback, ctx, () => run(i + 1))
        : (fallback(ctx, () => run(i + 1)) as Promise<void>);
    };
    await run(0);
    if (ctx.state.rateLimit) {
      const retryAfterSeconds = Math.max(1, ctx.state.rateLimit.after);
      ctx.set('Retry-After', String(retryAfterSeconds));
      ctx.body = refusalBody({
        path: ctx.path,
        status: 429,
        trpcCode: 'TOO_MANY_REQUESTS',
        appCode: 'RATE_LIMITED',
        requestId: ctx.state.requestId,
        retryAfterSeconds,
      });
    }
  };
}

/**
 * Redis is an accelerator: when a call to it fails the request is counted in this process's
 * memory instead (the client logs the outage once), so an outage of the cache is neither an
 * outage of the API nor a holiday from its limits.
 */
async function orInMemory(
  shared: Middleware<AppState>,
  fallback: Middleware<AppState>,
  ctx: Ctx,
  next: Next,
): Promise<void> {
  let passed = false;
  try {
    await shared(ctx, () => {
      passed = true;
      return next();
    });
  } catch (err) {
    if (passed) throw err;
    await fallback(ctx, next);
  }
}
