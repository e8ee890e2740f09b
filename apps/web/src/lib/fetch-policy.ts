/**
 * The one fetch policy every API call goes through (it is the `fetch` of the tRPC link):
 *
 * - a 30 s timeout per attempt (AbortController; rejects with a `TimeoutError`);
 * - up to 3 retries with exponential backoff (300, 600, 1200 ms + jitter) for network failures
 *   and 5xx answers only, and only for requests that are safe to repeat: GET/HEAD, or a request
 *   carrying an `Idempotency-Key` header. Never for 4xx, never for a plain mutation (POST);
 * - the access token attached as `Authorization: Bearer …`;
 * - on 401 for a protected call: one shared ("single-flight") refresh through `auth.refresh`,
 *   then the original request is sent once more with the new token. When the refresh is refused
 *   the session is over: `onAuthFailure` clears it.
 *
 * Everything that touches the outside world is injected, so the policy is unit-tested with a fake
 * `fetch` and a fake clock.
 */
import superjson, { type SuperJSONResult } from 'superjson';
import type { AuthOutput } from '@medora/schema';

export type FetchLike = (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>;

export class TimeoutError extends Error {
  override readonly name = 'TimeoutError';
  constructor(readonly timeoutMs: number) {
    super(`The request took longer than ${Math.round(timeoutMs / 1000)} s and was stopped.`);
  }
}

export type RefreshResult =
  | { ok: true; auth: AuthOutput }
  /** The refresh cookie is missing, expired or revoked: the user must sign in again. */
  | { ok: false; reason: 'invalid' }
  /** The server could not be reached (or failed): the session may still be fine. */
  | { ok: false; reason: 'network'; error: unknown };

export interface FetchPolicyOptions {
  /** The real fetch; injectable for tests. Defaults to the global fetch at call time. */
  baseFetch?: FetchLike;
  timeoutMs?: number;
  maxRetries?: number;
  baseDelayMs?: number;
  /** Upper bound of the random jitter added to each backoff delay. */
  jitterMs?: number;
  /** Pause between the two refresh attempts after REFRESH_RACE. */
  refreshRaceDelayMs?: number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  /** Path prefix of the tRPC endpoint, e.g. "/trpc". */
  trpcUrl?: string;
  getAccessToken: () => string | null;
  /** A refresh succeeded: store the new token and user. */
  onRefreshed: (auth: AuthOutput) => void;
  /** The refresh was refused while retrying a 401: clear the session and go to the login page. */
  onAuthFailure: () => void;
  /** Called after every attempt sequence: false when the API could not be reached or failed. */
  onReachability?: (reachable: boolean) => void;
}

export interface FetchPolicy {
  fetch: FetchLike;
  /** Single-flight `auth.refresh`: concurrent callers share one request. */
  refresh: () => Promise<RefreshResult>;
}

export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_MAX_RETRIES = 3;
export const DEFAULT_BASE_DELAY_MS = 300;

/** Public auth procedures: a 401 from them is an answer, never a reason to refresh. */
const AUTH_PROCEDURES = new Set(['auth.login', 'auth.register', 'auth.refresh', 'auth.logout']);

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** True when the error is the caller cancelling the request (not a timeout, not the network). */
function isAbortError(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    (error as { name?: unknown }).name === 'AbortError'
  );
}

/** The reason an aborted signal carries, as an Error (an AbortError when none was given). */
function abortReason(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  if (reason instanceof Error) return reason;
  if (isAbortError(reason)) return reason as Error;
  const error = new Error('The request was cancelled.');
  error.name = 'AbortError';
  return error;
}

/** Names of the tRPC procedures a URL calls ("/trpc/a.b,c.d?batch=1" → ["a.b", "c.d"]). */
export function procedurePaths(url: string, trpcUrl = '/trpc'): string[] {
  const pathname = url.replace(/^[a-z]+:\/\/[^/]+/i, '').split('?')[0] ?? '';
  const prefix = trpcUrl.replace(/\/$/, '') + '/';
  const at = pathname.indexOf(prefix);
  if (at === -1) return [];
  return decodeURIComponent(pathname.slice(at + prefix.length))
    .split(',')
    .filter(Boolean);
}

function urlOf(input: RequestInfo | URL): string {
  if (typeof input === 'string') return input;
  if (input instanceof URL) return input.href;
  return input.url;
}

export function createFetchPolicy(options: FetchPolicyOptions): FetchPolicy {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxRetries = options.maxRetries ?? DEFAULT_MAX_RETRIES;
  const baseDelayMs = options.baseDelayMs ?? DEFAULT_BASE_DELAY_MS;
  const jitterMs = options.jitterMs ?? 100;
  const raceDelayMs = options.refreshRaceDelayMs ?? 300;
  const sleep = options.sleep ?? defaultSleep;
  const random = options.random ?? Math.random;
  const trpcUrl = options.trpcUrl ?? '/trpc';
  const baseFetch: FetchLike = (input, init) =>
    (options.baseFetch ?? globalThis.fetch)(input, init);

  /**
   * One attempt with its own timeout, still cancelled when the caller's signal aborts. The race
   * makes the timeout hold even if the underlying fetch ignores its signal.
   */
  async function attempt(input: RequestInfo | URL, init: RequestInit): Promise<Response> {
    const outer = init.signal;
    if (outer?.aborted) throw abortReason(outer);
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    let onOuterAbort: (() => void) | undefined;
    const stopped = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => {
        // Settle the race first, so the fetch's own AbortError cannot win it.
        const error = new TimeoutError(timeoutMs);
        reject(error);
        controller.abort(error);
      }, timeoutMs);
      onOuterAbort = () => {
        const reason = abortReason(outer!);
        reject(reason);
        controller.abort(reason);
      };
      outer?.addEventListener('abort', onOuterAbort, { once: true });
    });
    try {
      return await Promise.race([
        baseFetch(input, { ...init, signal: controller.signal }),
        stopped,
      ]);
    } finally {
      clearTimeout(timer);
      if (onOuterAbort) outer?.removeEventListener('abort', onOuterAbort);
    }
  }

  /** Attempts with backoff; network errors and 5xx are retried only when `retryable`. */
  async function withRetries(
    input: RequestInfo | URL,
    init: RequestInit,
    retryable: boolean,
  ): Promise<Response> {
    for (let n = 0; ; n++) {
      const canRetry = retryable && n < maxRetries;
      let response: Response;
      try {
        response = await attempt(input, init);
      } catch (error) {
        // The caller gave up, or the server is too slow: repeating would not help.
        const cancelled = isAbortError(error) || init.signal?.aborted === true;
        if (cancelled || error instanceof TimeoutError || !canRetry) {
          if (!cancelled) options.onReachability?.(false);
          throw error;
        }
        await sleep(backoff(n));
        continue;
      }
      if (response.status >= 500 && canRetry) {
        await sleep(backoff(n));
        continue;
      }
      options.onReachability?.(response.status < 500);
      return response;
    }
  }

  function backoff(n: number): number {
    return baseDelayMs * 2 ** n + Math.floor(random() * jitterMs);
  }

  // ---- refresh (single-flight) --------------------------------------------------------------

  let inflight: Promise<RefreshResult> | null = null;

  async function refreshOnce(): Promise<RefreshResult | 'race'> {
    let response: Response;
    try {
      response = await attempt(`${trpcUrl.replace(/\/$/, '')}/auth.refresh`, {
        method: 'POST',
        credentials: 'include',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(superjson.serialize(undefined)),
      });
    } catch (error) {
      options.onReachability?.(false);
      return { ok: false, reason: 'network', error };
    }
    options.onReachability?.(response.status < 500);
    let body: unknown = null;
    try {
      body = await response.json();
    } catch {
      // An HTML error page from a proxy, for instance.
    }
    if (response.ok && isRecord(body) && isRecord(body.result) && isRecord(body.result.data)) {
      const auth = superjson.deserialize<AuthOutput>(
        body.result.data as unknown as SuperJSONResult,
      );
      return { ok: true, auth };
    }
    if (errorAppCode(body) === 'REFRESH_RACE') return 'race';
    if (response.status >= 500) {
      return { ok: false, reason: 'network', error: new Error(`HTTP ${response.status}`) };
    }
    return { ok: false, reason: 'invalid' };
  }

  function refresh(): Promise<RefreshResult> {
    inflight ??= (async () => {
      try {
        let result = await refreshOnce();
        if (result === 'race') {
          // Another tab rotated the cookie a moment ago; its new cookie is ours too.
          await sleep(raceDelayMs);
          result = await refreshOnce();
          if (result === 'race') result = { ok: false, reason: 'invalid' };
        }
        if (result.ok) options.onRefreshed(result.auth);
        return result;
      } finally {
        inflight = null;
      }
    })();
    return inflight;
  }

  // ---- the fetch --------------------------------------------------------------------------

  async function policyFetch(input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> {
    const url = urlOf(input);
    const method = (init.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase();
    const baseHeaders = new Headers(input instanceof Request ? input.headers : undefined);
    new Headers(init.headers).forEach((value, key) => baseHeaders.set(key, value));
    const retryable = method === 'GET' || method === 'HEAD' || baseHeaders.has('idempotency-key');
    const paths = procedurePaths(url, trpcUrl);
    const isAuthCall = paths.length > 0 && paths.every((p) => AUTH_PROCEDURES.has(p));

    const send = (token: string | null) => {
      const headers = new Headers(baseHeaders);
      if (token) headers.set('authorization', `Bearer ${token}`);
      return withRetries(input, { ...init, method, headers, credentials: 'include' }, retryable);
    };

    const tokenUsed = options.getAccessToken();
    const response = await send(tokenUsed);
    if (response.status !== 401 || isAuthCall) return response;

    // Someone else refreshed while this request was in flight: just use the newer token.
    const current = options.getAccessToken();
    if (current && current !== tokenUsed) return send(current);

    const result = await refresh();
    if (result.ok) return send(result.auth.accessToken);
    if (result.reason === 'network') throw result.error;
    options.onAuthFailure();
    return response;
  }

  return { fetch: policyFetch, refresh };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** The `appCode` of a superjson-encoded tRPC error body, if any. */
function errorAppCode(body: unknown): unknown {
  if (!isRecord(body) || !isRecord(body.error)) return undefined;
  const shape = isRecord(body.error.json) ? body.error.json : body.error;
  return isRecord(shape.data) ? shape.data.appCode : undefined;
}
