/**
 * The ceilings the HTTP scenario compares the real server with, run by `http.ts` as its own
 * process (like the server, so neither shares the load generator's event loop):
 *
 * - `GET /bare/<name>`: a bare Koa route doing what the procedure does underneath: the same
 *   access token check (`verifyAccessToken` from @medora/core), then the exact SQL and
 *   parameters the procedure sent (recorded by `http.ts` on the pool's clients: the session
 *   lookup, the procedure's reads, its audit row, each transaction on one client), through a pg
 *   pool of the server's size; it answers the procedure's JSON. Nothing else: no router, no
 *   tRPC, no validation, no middleware.
 * - `GET /bare/ping`: the same JSON, with no token check and no SQL.
 * - `GET /trpc/ping`: a one-procedure tRPC router answering the same object the way the server
 *   answers a single call (`serveDirectCall` from @medora/server, superjson): with `/bare/ping`,
 *   the cost of the tRPC layer itself. It lives here, not in the product's router.
 * - `GET /trpc-adapter/ping`: the same through tRPC's own Node adapter (`nodeHTTPRequestHandler`),
 *   which answered every call before the direct path: what that path saves.
 *
 * Reads its routes from the JSON file named by BENCH_BASELINE_SPEC.
 */
import { readFileSync } from 'node:fs';
import { bearerToken, verifyAccessToken } from '@medora/core';
import { appRouter } from '@medora/api';
import { createPool } from '@medora/db';
import { serveDirectCall } from '@medora/server';
import { initTRPC } from '@trpc/server';
import { nodeHTTPRequestHandler } from '@trpc/server/adapters/node-http';
import Koa from 'koa';
import superjson from 'superjson';

export interface BaselineSpec {
  routes: Record<string, { queries: { text: string; values: unknown[] }[]; body: string }>;
  /** What the trivial procedure and /bare/ping answer (superjson-shaped for the former). */
  ping: unknown;
}

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
}

const spec = JSON.parse(readFileSync(required('BENCH_BASELINE_SPEC'), 'utf8')) as BaselineSpec;
const secret = new TextEncoder().encode(required('TOKEN_SECRET'));
const pool = createPool(required('DATABASE_URL'), {
  max: Number(process.env.DATABASE_POOL_MAX ?? 10),
  applicationName: 'medora-bench-baseline',
});

/** Replays a recorded sequence: statements between begin and commit on one client, as sent. */
async function replay(queries: BaselineSpec['routes'][string]['queries']): Promise<void> {
  let i = 0;
  while (i < queries.length) {
    const q = queries[i]!;
    if (/^begin\b/i.test(q.text)) {
      const client = await pool.connect();
      try {
        for (; i < queries.length; i++) {
          const t = queries[i]!;
          await client.query(t.text, t.values);
          if (/^(commit|rollback)\b/i.test(t.text)) break;
        }
        i++;
      } finally {
        client.release();
      }
    } else {
      await pool.query(q.text, q.values);
      i++;
    }
  }
}

const t = initTRPC.create({ transformer: superjson });
const pingRouter = t.router({ ping: t.procedure.query(() => spec.ping) });
const pingBody = JSON.stringify({ result: { data: { json: spec.ping } } });

const app = new Koa();
app.use(async (ctx, next) => {
  if (ctx.path === '/health') {
    ctx.body = { status: 'ok' };
    return;
  }
  if (ctx.path === '/bare/ping') {
    ctx.type = 'application/json';
    ctx.body = pingBody;
    return;
  }
  const bare = /^\/bare\/(.+)$/.exec(ctx.path)?.[1];
  const route = bare ? spec.routes[bare] : undefined;
  if (route) {
    const token = bearerToken(ctx.get('authorization'));
    const verified = token ? await verifyAccessToken(token, secret) : null;
    if (!verified?.ok) {
      ctx.status = 401;
      ctx.body = { error: 'UNAUTHENTICATED' };
      return;
    }
    await replay(route.queries);
    ctx.type = 'application/json';
    ctx.body = route.body;
    return;
  }
  // The trivial procedure as the product answers a single call (its direct path), and through
  // tRPC's own Fetch adapter, which the product used for every call before.
  if (ctx.path === '/trpc/ping') {
    ctx.respond = false;
    await serveDirectCall(
      {
        // The product's router for its transformer and error formatter; the procedure is ping's.
        router: appRouter,
        createContext: () => Promise.resolve({} as never),
        onError: () => {},
        responseMeta: () => ({}),
        maxBodySize: 1024 * 1024,
      },
      {
        req: ctx.req,
        res: ctx.res,
        path: 'ping',
        search: new URLSearchParams(ctx.querystring),
        procedure: pingRouter._def.procedures.ping,
        signal: new AbortController().signal,
      },
    );
    return;
  }
  if (ctx.path === '/trpc-adapter/ping') {
    ctx.respond = false;
    ctx.res.statusCode = 200;
    await nodeHTTPRequestHandler({
      router: pingRouter,
      req: ctx.req,
      res: ctx.res,
      path: 'ping',
      allowBatching: false,
      createContext: () => ({}),
    });
    return;
  }
  await next();
});

const server = app.listen(Number(process.env.PORT), process.env.HOST ?? '127.0.0.1');
const stop = () => {
  server.close();
  void pool.end().finally(() => process.exit(0));
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
