import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AppRouter } from '@medora/api';
import {
  getTRPCErrorFromUnknown,
  getTRPCErrorShape,
  transformTRPCResponse,
  TRPCError,
  type AnyTRPCProcedure,
  type AnyTRPCRouter,
  type inferRouterContext,
} from '@trpc/server';
import { getHTTPStatusCode } from '@trpc/server/http';
import type { TRPCResponse } from '@trpc/server/rpc';

/**
 * One query or mutation answered without tRPC's Fetch adapter.
 *
 * tRPC's Node adapter turns every request into a Fetch `Request` and reads its answer back out of
 * a `Response` through web streams, with two combined abort signals on the way: about 0.2 ms of
 * CPU per call on the benchmark machine, ten times the cost of a bare Koa route (tooling/bench,
 * "trivial tRPC procedure"). For the calls the web app makes (one query over GET or one mutation
 * over JSON POST) this module does what tRPC's `resolveResponse` does for a single call, with
 * the same public pieces: the input read lazily inside the procedure (so authentication answers
 * before a malformed input), the router's error formatter, the status from the error shape,
 * `responseMeta` and `onError`. Everything else (batches, streams, subscriptions, unknown
 * procedures, a method the procedure does not take, HEAD) goes to the adapter as before.
 * `apps/server/test/trpc-call.test.ts` holds the two paths to the same answers.
 */

export interface DirectCallOptions {
  router: AppRouter;
  createContext: () => Promise<inferRouterContext<AppRouter>>;
  onError: (opts: { error: TRPCError; path: string }) => void;
  responseMeta: (opts: { data: TRPCResponse[] }) => {
    headers?: Record<string, string | string[]>;
    status?: number;
  };
  maxBodySize: number;
}

/**
 * The procedure a request may call directly, or undefined when tRPC's adapter must answer it:
 * only one query by GET or one JSON mutation by POST, not batched, not streamed.
 */
export function directProcedure(
  router: AnyTRPCRouter,
  req: IncomingMessage,
  path: string,
  search: URLSearchParams,
): AnyTRPCProcedure | undefined {
  if (search.has('batch') || req.headers['trpc-accept'] !== undefined) return undefined;
  if (req.headers.accept?.includes('application/jsonl')) return undefined;
  const procedures = router._def.procedures as Record<string, AnyTRPCProcedure | undefined>;
  const procedure = Object.hasOwn(procedures, path) ? procedures[path] : undefined;
  if (!procedure) return undefined;
  const type = procedure._def.type;
  if (req.method === 'GET')
    return type === 'query' && req.headers['content-type'] === undefined ? procedure : undefined;
  if (req.method === 'POST') return type === 'mutation' ? procedure : undefined;
  return undefined;
}

/** Reads the body as text, refusing it past `max` bytes as tRPC's adapter does. */
function readBody(req: IncomingMessage, max: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= max) {
        chunks.push(chunk);
        return;
      }
      done();
      reject(new TRPCError({ code: 'PAYLOAD_TOO_LARGE' }));
    };
    const onEnd = () => {
      done();
      resolve(Buffer.concat(chunks).toString('utf8'));
    };
    const onError = (err: Error) => {
      done();
      reject(err);
    };
    const done = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
  });
}

/** Calls `procedure` and writes its answer (or its error) as tRPC would for a single call. */
export async function serveDirectCall(
  opts: DirectCallOptions,
  call: {
    req: IncomingMessage;
    res: ServerResponse;
    path: string;
    search: URLSearchParams;
    procedure: AnyTRPCProcedure;
    signal: AbortSignal;
  },
): Promise<void> {
  const { router } = opts;
  const config = router._def._config;
  const { req, path, procedure } = call;
  const type = procedure._def.type;

  // Read once, on the procedure's first look at its input; tRPC turns any failure (bad JSON, a
  // transformer that refuses) into BAD_REQUEST with the cause's message, a TRPCError as is.
  let input: Promise<unknown> | undefined;
  let inputValue: unknown;
  const getRawInput = () =>
    (input ??= (async () => {
      let raw: unknown;
      if (req.method === 'GET') {
        const query = call.search.get('input');
        raw = query ? (JSON.parse(query) as unknown) : undefined;
      } else raw = JSON.parse(await readBody(req, opts.maxBodySize)) as unknown;
      inputValue = raw === undefined ? undefined : config.transformer.input.deserialize(raw);
      return inputValue;
    })().catch((cause: unknown) => {
      if (cause instanceof TRPCError) throw cause;
      throw new TRPCError({
        code: 'BAD_REQUEST',
        message: cause instanceof Error ? cause.message : 'Invalid input',
        cause,
      });
    }));

  type Ctx = inferRouterContext<AppRouter>;
  let ctx: Ctx | undefined;
  let response: TRPCResponse;
  try {
    try {
      ctx = await opts.createContext();
    } catch (cause) {
      throw getTRPCErrorFromUnknown(cause);
    }
    const data: unknown = await procedure({
      path,
      getRawInput,
      ctx,
      type,
      signal: call.signal,
      batchIndex: 0,
    });
    response = { result: { data } };
  } catch (cause) {
    const error = getTRPCErrorFromUnknown(cause);
    opts.onError({ error, path });
    response = { error: getTRPCErrorShape({ config, ctx, error, input: inputValue, path, type }) };
  }

  const meta = opts.responseMeta({ data: [response] });
  const body = JSON.stringify(transformTRPCResponse(config, response));
  const { res } = call;
  res.statusCode = meta.status ?? getHTTPStatusCode(response);
  res.setHeader('Content-Type', 'application/json');
  // tRPC's own Vary first, then what responseMeta appends (the adapter does the same).
  const vary = ['trpc-accept, accept'];
  for (const [name, value] of Object.entries(meta.headers ?? {})) {
    if (name.toLowerCase() === 'vary') vary.push(...[value].flat());
    else res.setHeader(name, value);
  }
  res.setHeader('Vary', vary.join(', '));
  res.setHeader('Content-Length', Buffer.byteLength(body));
  res.end(body);
}
