/**
 * The one fetch policy every API call goes through, built from tRPC's own links and the
 * platform's fetch:
 *
 *   refresh link → retryLink → httpLink (superjson, timed fetch)
 *
 * - timed fetch: `AbortSignal.timeout(30 s)` per attempt, combined with the caller's signal
 *   (`AbortSignal.any`), refresh cookie included; it reports after every attempt whether the
 *   server answered, which drives the connectivity banner;
 * - retryLink: up to 3 retries with exponential backoff (300, 600, 1200 ms + jitter) for network
 *   errors and 5xx only, and only for operations that are safe to repeat: queries, and mutations
 *   marked idempotent (by path in `idempotentMutations`, or per call with the op context
 *   `{ idempotent: true }`). Never a timeout, a cancelled call, a 4xx, or while the browser is
 *   offline (TanStack Query resumes those on reconnect);
 * - refresh link, keyed on `op.path`: a 401 from a protected procedure starts one shared
 *   ("single-flight") `auth.refresh` that every concurrent 401 waits for, then the operation is
 *   sent exactly once more with the new token. `auth.login`, `auth.register`, `auth.refresh` and
 *   `auth.logout` never trigger it.
 *
 * Everything that touches the outside world is injected, so the whole chain is unit-tested
 * against a fake fetch.
 */
import type { AppRouter } from '@medora/api';
import type { AuthOutput, SignedOutReason } from '@medora/schema';
import {
  createTRPCClient,
  httpLink,
  retryLink,
  TRPCClientError,
  type Operation,
  type TRPCClient,
  type TRPCLink,
} from '@trpc/client';
import { observable, type Unsubscribable } from '@trpc/server/observable';
import superjson from 'superjson';

export type FetchLike = (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>;
export type ApiError = TRPCClientError<AppRouter>;

export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_MAX_RETRIES = 3;
export const DEFAULT_BASE_DELAY_MS = 300;
export const DEFAULT_JITTER_MS = 100;
export const DEFAULT_REFRESH_RACE_DELAY_MS = 300;

/** Public auth procedures: a 401 from them is an answer, never a reason to refresh. */
export const NO_REFRESH_PATHS: ReadonlySet<string> = new Set([
  'auth.login',
  'auth.register',
  'auth.refresh',
  'auth.logout',
]);

/**
 * Mutations that may be sent twice: sending the same input again leaves the same state.
 * (`auth.updateProfile` sets the name and language to given values.)
 */
export const IDEMPOTENT_MUTATIONS: ReadonlySet<string> = new Set(['auth.updateProfile']);

/** Gateway answers: the server behind the proxy is down, not merely failing one request. */
const UNREACHABLE_STATUSES: ReadonlySet<number> = new Set([502, 503, 504]);

/** Where the refresh link hands the token to httpLink's headers. */
const TOKEN_CONTEXT_KEY = 'accessToken';

/**
 * A 5xx whose body is not JSON (a proxy's error page). httpLink would only see a JSON parse
 * error and lose the status; this keeps it, so the retry rule can see a 5xx.
 */
export class HttpStatusError extends Error {
  override readonly name = 'HttpStatusError';
  constructor(readonly status: number) {
    super(`The server answered HTTP ${status}.`);
  }
}

export type RefreshOutcome =
  | { kind: 'session'; auth: AuthOutput }
  /** No live session behind the refresh cookie; `reason` says why (null: never signed in). */
  | { kind: 'signedOut'; reason: SignedOutReason | null }
  /** The refresh did not get an answer about the session (network, 5xx, a lost race): the
   * session may still be fine. */
  | { kind: 'failed'; error: ApiError };

export interface FetchPolicyOptions {
  /** Endpoint of the tRPC router. */
  url?: string;
  /** The real fetch; injectable for tests. Defaults to the global fetch at call time. */
  fetch?: FetchLike;
  timeoutMs?: number;
  maxRetries?: number;
  baseDelayMs?: number;
  /** Upper bound of the random jitter added to each backoff delay. */
  jitterMs?: number;
  random?: () => number;
  /** Pause before the second refresh attempt after REFRESH_RACE. */
  refreshRaceDelayMs?: number;
  idempotentMutations?: ReadonlySet<string>;
  /** False while the browser says it is offline. */
  isOnline?: () => boolean;
  getAccessToken: () => string | null;
  /** A refresh succeeded: store the new token and user. */
  onRefreshed: (auth: AuthOutput) => void;
  /** A refresh on behalf of a request found the session gone: clear it, say why. */
  onSignedOut: (reason: SignedOutReason | null) => void;
  /** After every attempt: false on a network error, a timeout or a 502/503/504. */
  onReachability?: (reachable: boolean) => void;
}

export interface FetchPolicy {
  client: TRPCClient<AppRouter>;
  /** Single-flight `auth.refresh`: concurrent callers share one request. */
  refresh: () => Promise<RefreshOutcome>;
}

const defaultIsOnline = () => typeof navigator === 'undefined' || navigator.onLine !== false;

/** The HTTP status behind an error: tRPC keeps the response; our fetch keeps unreadable 5xx. */
export function statusOf(error: ApiError): number | null {
  const response = error.meta?.response;
  if (response instanceof Response) return response.status;
  return error.cause instanceof HttpStatusError ? error.cause.status : null;
}

const isUnauthorized = (error: ApiError) => statusOf(error) === 401;

/**
 * Worth repeating: the network failed (fetch rejects with a TypeError) or the server answered
 * 5xx. A timeout or a cancellation is a DOMException, so it is neither.
 */
function isTransient(error: ApiError): boolean {
  return error.cause instanceof TypeError || (statusOf(error) ?? 0) >= 500;
}

/** Resolves like `promise`, but rejects with the signal's reason as soon as it aborts, so the
 * timeout holds even against a fetch that ignores its signal. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort);
    void promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

export function createFetchPolicy(options: FetchPolicyOptions): FetchPolicy {
  const url = options.url ?? '/trpc';
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxRetries = options.maxRetries ?? DEFAULT_MAX_RETRIES;
  const baseDelayMs = options.baseDelayMs ?? DEFAULT_BASE_DELAY_MS;
  const jitterMs = options.jitterMs ?? DEFAULT_JITTER_MS;
  const random = options.random ?? Math.random;
  const raceDelayMs = options.refreshRaceDelayMs ?? DEFAULT_REFRESH_RACE_DELAY_MS;
  const idempotent = options.idempotentMutations ?? IDEMPOTENT_MUTATIONS;
  const isOnline = options.isOnline ?? defaultIsOnline;
  const report = (reachable: boolean) => options.onReachability?.(reachable);

  async function timedFetch(input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> {
    const caller = init.signal ?? null;
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = caller ? AbortSignal.any([caller, timeout]) : timeout;
    const baseFetch = options.fetch ?? globalThis.fetch;
    let response: Response;
    try {
      response = await untilAborted(
        baseFetch(input, { ...init, signal, credentials: 'include' }),
        signal,
      );
    } catch (error) {
      // The caller giving up says nothing about the server.
      if (!caller?.aborted) report(false);
      throw error;
    }
    report(!UNREACHABLE_STATUSES.has(response.status));
    const json = /json/.test(response.headers.get('content-type') ?? '');
    if (response.status >= 500 && !json) throw new HttpStatusError(response.status);
    return response;
  }

  /** Queries, and mutations marked idempotent (this client has no subscriptions). */
  function repeatable(op: Operation): boolean {
    return op.type === 'query' || op.context.idempotent === true || idempotent.has(op.path);
  }

  const refreshLink: TRPCLink<AppRouter> =
    () =>
    ({ op, next }) =>
      observable((observer) => {
        let current: Unsubscribable | null = null;
        let closed = false;
        const send = (token: string | null, isRetry: boolean) => {
          current = next({
            ...op,
            context: { ...op.context, [TOKEN_CONTEXT_KEY]: token },
          }).subscribe({
            next: (value) => observer.next(value),
            complete: () => observer.complete(),
            error: (error) => {
              if (isRetry || NO_REFRESH_PATHS.has(op.path) || !isUnauthorized(error)) {
                observer.error(error);
                return;
              }
              // Another call refreshed while this one was in flight: use its token.
              const latest = options.getAccessToken();
              if (latest && latest !== token) {
                send(latest, true);
                return;
              }
              // A caller that gives up stops waiting; the shared refresh goes on for the others.
              const waiting = op.signal ? untilAborted(refresh(), op.signal) : refresh();
              waiting.then(
                (outcome) => {
                  if (closed) return;
                  if (outcome.kind === 'session') {
                    send(outcome.auth.accessToken, true);
                    return;
                  }
                  if (outcome.kind === 'signedOut') {
                    options.onSignedOut(outcome.reason);
                    observer.error(error);
                    return;
                  }
                  // Not signed out, just not answered: say that, not "sign in again".
                  observer.error(outcome.error);
                },
                (reason: unknown) => observer.error(TRPCClientError.from(reason as Error)),
              );
            },
          });
        };
        // auth.refresh proves itself with the cookie; a stale bearer token would only confuse.
        send(op.path === 'auth.refresh' ? null : options.getAccessToken(), false);
        return () => {
          closed = true;
          current?.unsubscribe();
        };
      });

  const client = createTRPCClient<AppRouter>({
    links: [
      refreshLink,
      retryLink({
        retry: ({ op, attempts, error }) =>
          attempts <= maxRetries &&
          !op.signal?.aborted &&
          isOnline() &&
          repeatable(op) &&
          isTransient(error),
        retryDelayMs: (attempts) =>
          baseDelayMs * 2 ** (attempts - 1) + Math.floor(random() * jitterMs),
      }),
      // Plain httpLink (the server does not batch): each call has its own HTTP status.
      httpLink({
        url,
        transformer: superjson,
        fetch: timedFetch,
        headers: ({ op }) => {
          const token = op.context[TOKEN_CONTEXT_KEY];
          return typeof token === 'string' ? { authorization: `Bearer ${token}` } : {};
        },
      }),
    ],
  });

  type Attempt = RefreshOutcome | { kind: 'race'; error: ApiError };

  async function refreshOnce(): Promise<Attempt> {
    try {
      const out = await client.auth.refresh.mutate();
      return out.session
        ? { kind: 'session', auth: out.session }
        : { kind: 'signedOut', reason: out.signedOutReason };
    } catch (caught) {
      const error = TRPCClientError.from<AppRouter>(caught as Error);
      if (error.data?.appCode === 'REFRESH_RACE') return { kind: 'race', error };
      // A server that still refuses a dead cookie with 401 means the same as `session: null`.
      if (isUnauthorized(error)) return { kind: 'signedOut', reason: 'expired' };
      return { kind: 'failed', error };
    }
  }

  let inflight: Promise<RefreshOutcome> | null = null;

  function refresh(): Promise<RefreshOutcome> {
    inflight ??= (async () => {
      try {
        let attempt = await refreshOnce();
        if (attempt.kind === 'race') {
          // Another tab rotated the cookie a moment ago; its new cookie is ours too.
          await new Promise((resolve) => setTimeout(resolve, raceDelayMs));
          attempt = await refreshOnce();
          // Lost twice: the session is probably fine, this request just could not be served.
          if (attempt.kind === 'race') attempt = { kind: 'failed', error: attempt.error };
        }
        if (attempt.kind === 'session') options.onRefreshed(attempt.auth);
        return attempt;
      } finally {
        inflight = null;
      }
    })();
    return inflight;
  }

  return { client, refresh };
}
