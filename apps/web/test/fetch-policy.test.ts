// @vitest-environment node
/**
 * The real link chain (refresh link → retryLink → httpLink with superjson) against a fake fetch
 * that answers the way the server's tRPC adapter and error formatter do.
 */
import superjson from 'superjson';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AuthOutput, RefreshOutput } from '@medora/schema';
import { MutationObserver, onlineManager, QueryClient } from '@tanstack/react-query';
import { TRPCClientError } from '@trpc/client';
import {
  createFetchPolicy,
  HttpStatusError,
  statusOf,
  type FetchLike,
  type FetchPolicyOptions,
} from '../src/lib/fetch-policy';

interface Call {
  url: string;
  /** The URL without its query string (a query's input travels there). */
  path: string;
  method: string;
  headers: Headers;
  body: unknown;
  credentials: RequestCredentials | undefined;
  signal: AbortSignal | null | undefined;
}

type Responder = (call: Call, n: number) => Response | Promise<Response>;

/** A fake fetch that records every call and answers through `respond`. */
function fakeFetch(respond: Responder) {
  const calls: Call[] = [];
  const fetch: FetchLike = async (input, init = {}) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const call: Call = {
      url,
      path: url.split('?')[0]!,
      method: (init.method ?? 'GET').toUpperCase(),
      headers: new Headers(init.headers),
      body: init.body,
      credentials: init.credentials,
      signal: init.signal,
    };
    calls.push(call);
    return respond(call, calls.length);
  };
  return { fetch, calls };
}

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

const trpcOk = (data: unknown) => json(200, { result: { data: superjson.serialize(data) } });

const trpcError = (status: number, code: string, appCode: string) =>
  json(status, {
    error: superjson.serialize({
      message: appCode,
      code: -32001,
      data: { code, httpStatus: status, appCode },
    }),
  });

function authFor(token: string): AuthOutput {
  return {
    accessToken: token,
    accessTokenExpiresAt: new Date('2030-01-01T00:00:00Z'),
    user: {
      id: '6f1d1c8e-8a47-4c53-9d8e-2f8f7c1f4a10',
      phone: '+998901234567',
      name: 'Aziza Karimova',
      role: 'doctor',
      locale: 'uz',
      email: null,
    },
  };
}

const refreshed = (token: string) =>
  trpcOk({ session: authFor(token), signedOutReason: null } satisfies RefreshOutput);

const isRefresh = (call: Call) => call.path === '/trpc/auth.refresh';
const networkDown = () => {
  throw new TypeError('Failed to fetch');
};

function setup(respond: Responder, overrides: Partial<FetchPolicyOptions> = {}) {
  const fake = fakeFetch(respond);
  let token: string | null = 'old-token';
  let online = true;
  const onSignedOut = vi.fn();
  const onReachability = vi.fn();
  const onRefreshed = vi.fn((auth: AuthOutput) => {
    token = auth.accessToken;
  });
  const policy = createFetchPolicy({
    fetch: fake.fetch,
    // Retries without waiting, unless a test is about the waiting.
    baseDelayMs: 0,
    jitterMs: 0,
    refreshRaceDelayMs: 0,
    random: () => 0.5,
    isOnline: () => online,
    getAccessToken: () => token,
    onRefreshed,
    onSignedOut,
    onReachability,
    ...overrides,
  });
  return {
    client: policy.client,
    refresh: policy.refresh,
    calls: fake.calls,
    onSignedOut,
    onReachability,
    onRefreshed,
    token: () => token,
    setToken: (t: string | null) => (token = t),
    setOnline: (value: boolean) => (online = value),
  };
}

/** The error a call rejected with (tRPC always rejects with a TRPCClientError). */
async function failure(promise: Promise<unknown>): Promise<TRPCClientError<never>> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TRPCClientError);
  return error as TRPCClientError<never>;
}

afterEach(() => {
  vi.useRealTimers();
});

describe('fetch policy: requests', () => {
  it('sends the access token and includes credentials', async () => {
    const s = setup(() => trpcOk({ ok: true }));
    await s.client.auth.me.query();
    expect(s.calls).toHaveLength(1);
    expect(s.calls[0]!.path).toBe('/trpc/auth.me');
    expect(s.calls[0]!.method).toBe('GET');
    expect(s.calls[0]!.headers.get('authorization')).toBe('Bearer old-token');
    expect(s.calls[0]!.credentials).toBe('include');
  });

  it('keeps the link’s own headers next to the token on a mutation', async () => {
    const s = setup(() => trpcOk({ ok: true }));
    await s.client.auth.updateProfile.mutate({ name: 'Aziza Karimova' });
    expect(s.calls[0]!.method).toBe('POST');
    expect(s.calls[0]!.headers.get('content-type')).toBe('application/json');
    expect(s.calls[0]!.headers.get('authorization')).toBe('Bearer old-token');
    expect(s.calls[0]!.body).toBe(JSON.stringify(superjson.serialize({ name: 'Aziza Karimova' })));
  });

  it('sends no Authorization header without a token', async () => {
    const s = setup(() => trpcOk(authFor('t')));
    s.setToken(null);
    await s.client.auth.login.mutate({ phone: '+998901234567', password: 'Secret-pass-1' });
    expect(s.calls[0]!.headers.has('authorization')).toBe(false);
  });

  it('decodes superjson answers (a Date stays a Date)', async () => {
    const s = setup(() => refreshed('fresh'));
    const out = await s.client.auth.refresh.mutate();
    expect(out.session?.accessTokenExpiresAt).toBeInstanceOf(Date);
  });
});

describe('fetch policy: timeout and cancellation', () => {
  it('stops a request after the timeout with a TimeoutError and does not retry it', async () => {
    const s = setup(
      () =>
        new Promise<Response>(() => {
          // Never answers and ignores its signal; the policy must stop it anyway.
        }),
      { timeoutMs: 50 },
    );
    const error = await failure(s.client.auth.me.query());
    expect(error.cause?.name).toBe('TimeoutError');
    expect(s.calls).toHaveLength(1);
    expect(s.onReachability).toHaveBeenLastCalledWith(false);
  });

  it('passes an abort signal to fetch that fires on the timeout', async () => {
    let seen: AbortSignal | undefined;
    const fetch: FetchLike = (_input, init) =>
      new Promise((_resolve, reject) => {
        seen = init?.signal ?? undefined;
        init?.signal?.addEventListener('abort', () => reject(init.signal!.reason as Error));
      });
    const s = setup(() => trpcOk(null), { fetch, timeoutMs: 50 });
    const error = await failure(s.client.auth.me.query());
    expect(error.cause?.name).toBe('TimeoutError');
    expect(seen?.aborted).toBe(true);
  });

  it('uses the platform timeout: 30 s unless told otherwise', async () => {
    const timeout = vi.spyOn(AbortSignal, 'timeout');
    const any = vi.spyOn(AbortSignal, 'any');
    const s = setup(() => trpcOk({ ok: true }));
    await s.client.auth.me.query();
    expect(timeout).toHaveBeenCalledWith(30_000);
    // Combined with the link's own (caller's) signal.
    expect(any).toHaveBeenCalledTimes(1);
    expect(any.mock.calls[0]![0]).toHaveLength(2);
  });

  it('lets the caller cancel without retrying and without blaming the server', async () => {
    const controller = new AbortController();
    const fetch: FetchLike = (_input, init) =>
      new Promise((_resolve, reject) => {
        init?.signal?.addEventListener('abort', () =>
          reject(new DOMException('Aborted', 'AbortError')),
        );
      });
    const s = setup(() => trpcOk(null), { fetch });
    const pending = failure(s.client.auth.me.query(undefined, { signal: controller.signal }));
    await vi.waitFor(() => expect(s.onReachability).not.toHaveBeenCalled());
    controller.abort();
    const error = await pending;
    expect(error.cause?.name).toBe('AbortError');
    expect(s.onReachability).not.toHaveBeenCalled();
  });

  it('gives the fetch a signal that aborts when the caller aborts', async () => {
    const controller = new AbortController();
    let seen: AbortSignal | undefined;
    const fetch: FetchLike = (_input, init) =>
      new Promise((_resolve, reject) => {
        seen = init?.signal ?? undefined;
        init?.signal?.addEventListener('abort', () =>
          reject(new DOMException('Aborted', 'AbortError')),
        );
      });
    const s = setup(() => trpcOk(null), { fetch });
    const pending = failure(s.client.auth.me.query(undefined, { signal: controller.signal }));
    await vi.waitFor(() => expect(seen).toBeDefined());
    expect(seen!.aborted).toBe(false);
    controller.abort();
    await pending;
    expect(seen!.aborted).toBe(true);
  });
});

describe('fetch policy: retries', () => {
  it('retries a query on network errors with exponential backoff, then succeeds', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const s = setup(
      (_call, n) => {
        if (n <= 2) networkDown();
        return trpcOk({ ok: true });
      },
      // The defaults: 300 ms base, up to 100 ms jitter.
      { baseDelayMs: undefined, jitterMs: undefined },
    );
    const pending = s.client.auth.me.query();
    await vi.advanceTimersByTimeAsync(0);
    expect(s.calls).toHaveLength(1);
    // 300 ms plus jitter (random 0.5 × 100 ms), then 600 + 50.
    await vi.advanceTimersByTimeAsync(349);
    expect(s.calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(s.calls).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(649);
    expect(s.calls).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    await expect(pending).resolves.toEqual({ ok: true });
    expect(s.calls).toHaveLength(3);
    expect(s.onReachability).toHaveBeenLastCalledWith(true);
  });

  it('retries 5xx at most 3 times (4 attempts), 300/600/1200 ms apart, and fails with the last', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const s = setup(() => json(503, { error: 'unavailable' }), {
      baseDelayMs: undefined,
      jitterMs: undefined,
    });
    const pending = failure(s.client.auth.me.query());
    await vi.advanceTimersByTimeAsync(350 + 650 + 1249);
    expect(s.calls).toHaveLength(3);
    await vi.advanceTimersByTimeAsync(1);
    const error = await pending;
    expect(s.calls).toHaveLength(4);
    expect(statusOf(error as never)).toBe(503);
    expect(s.onReachability).toHaveBeenLastCalledWith(false);
  });

  it('retries a 5xx whose body is a proxy’s HTML page, keeping its status', async () => {
    const s = setup((_call, n) =>
      n === 1 ? new Response('<html>Bad gateway</html>', { status: 502 }) : trpcOk({ ok: true }),
    );
    await expect(s.client.auth.me.query()).resolves.toEqual({ ok: true });
    expect(s.calls).toHaveLength(2);

    const t = setup(() => new Response('<html>Bad gateway</html>', { status: 502 }));
    const error = await failure(t.client.auth.me.query());
    expect(error.cause).toBeInstanceOf(HttpStatusError);
    expect((error.cause as Error).name).toBe('HttpStatusError');
    expect((error.cause as Error).message).toContain('502');
    expect(statusOf(error as never)).toBe(502);
    expect(t.calls).toHaveLength(4);

    // A gateway may send no body (and so no content type) at all.
    const u = setup(() => new Response(null, { status: 503 }));
    expect((await failure(u.client.auth.me.query())).cause).toBeInstanceOf(HttpStatusError);
    expect(u.calls).toHaveLength(4);
  });

  it('reads a JSON 5xx as the server’s error, and a non-JSON 4xx is no 5xx', async () => {
    const s = setup(() => trpcError(500, 'INTERNAL_SERVER_ERROR', 'INTERNAL'));
    const error = await failure(s.client.auth.me.query());
    expect((error.data as { appCode?: unknown } | undefined)?.appCode).toBe('INTERNAL');
    expect(error.cause).not.toBeInstanceOf(HttpStatusError);

    const page = setup(
      () =>
        new Response('<html>500</html>', { status: 500, headers: { 'content-type': 'text/html' } }),
    );
    const pageError = await failure(page.client.auth.me.query());
    expect(pageError.cause).toBeInstanceOf(HttpStatusError);
    expect(statusOf(pageError as never)).toBe(500);

    const missing = setup(() => new Response('<html>Not found</html>', { status: 404 }));
    const missingError = await failure(missing.client.auth.me.query());
    expect(missingError.cause).not.toBeInstanceOf(HttpStatusError);
    expect(missing.calls).toHaveLength(1);
  });

  it.each([500, 502, 503, 504])('retries a query answered %i', async (status) => {
    const s = setup((_call, n) =>
      n === 1 ? trpcError(status, 'INTERNAL_SERVER_ERROR', 'INTERNAL') : trpcOk({ ok: true }),
    );
    await expect(s.client.auth.me.query()).resolves.toEqual({ ok: true });
    expect(s.calls).toHaveLength(2);
  });

  it('retries the mutations idempotent by default, and only those', async () => {
    const s = setup((_call, n) => (n === 1 ? networkDown() : trpcOk({ ok: true })), {
      idempotentMutations: undefined,
    });
    await s.client.auth.updateProfile.mutate({ locale: 'en' });
    expect(s.calls).toHaveLength(2);

    const t = setup(networkDown, { idempotentMutations: undefined });
    await failure(t.client.auth.logout.mutate());
    expect(t.calls).toHaveLength(1);
  });

  it('asks the browser whether it is online when not told', async () => {
    const offline = setup(networkDown, { isOnline: undefined });
    vi.stubGlobal('navigator', { onLine: false });
    try {
      await failure(offline.client.auth.me.query());
      expect(offline.calls).toHaveLength(1);

      vi.stubGlobal('navigator', { onLine: true });
      const online = setup(networkDown, { isOnline: undefined });
      await failure(online.client.auth.me.query());
      expect(online.calls).toHaveLength(4);
    } finally {
      vi.unstubAllGlobals();
    }
    // No navigator at all (a test runner, a worker): assume online.
    const bare = setup(networkDown, { isOnline: undefined });
    await failure(bare.client.auth.me.query());
    expect(bare.calls).toHaveLength(4);
  });

  it('gives up after 3 retries of network errors and fails with the network error', async () => {
    const s = setup(networkDown);
    const error = await failure(s.client.auth.me.query());
    expect(error.cause).toBeInstanceOf(TypeError);
    expect(s.calls).toHaveLength(4);
    expect(s.onReachability).toHaveBeenLastCalledWith(false);
  });

  it.each([400, 401, 403, 404, 409, 429])('never retries a %i', async (status) => {
    const s = setup((call) =>
      isRefresh(call)
        ? trpcOk({ session: null, signedOutReason: null })
        : trpcError(status, 'BAD_REQUEST', 'VALIDATION_FAILED'),
    );
    await failure(s.client.auth.me.query());
    expect(s.calls.filter((c) => !isRefresh(c))).toHaveLength(1);
  });

  it('never retries a mutation that is not marked idempotent', async () => {
    const s = setup(() => json(500, {}));
    await failure(s.client.auth.changePassword.mutate({ currentPassword: 'a', newPassword: 'b' }));
    expect(s.calls).toHaveLength(1);

    const t = setup(networkDown);
    const error = await failure(t.client.auth.sessions.revoke.mutate({ id: authFor('x').user.id }));
    expect(error.cause).toBeInstanceOf(TypeError);
    expect(t.calls).toHaveLength(1);
  });

  it('retries a mutation whose path is listed as idempotent, with the same body', async () => {
    const s = setup((_call, n) => (n === 1 ? json(502, {}) : trpcOk({ ok: true })), {
      idempotentMutations: new Set(['auth.updateProfile']),
    });
    await s.client.auth.updateProfile.mutate({ locale: 'ru' });
    expect(s.calls).toHaveLength(2);
    expect(s.calls[1]!.body).toBe(s.calls[0]!.body);
    expect(s.calls[1]!.headers.get('authorization')).toBe('Bearer old-token');
  });

  it('retries a mutation marked idempotent in its op context', async () => {
    const s = setup((_call, n) => (n === 1 ? networkDown() : trpcOk({ ok: true })), {
      idempotentMutations: new Set(),
    });
    await s.client.auth.sessions.revoke.mutate(
      { id: authFor('x').user.id },
      { context: { idempotent: true } },
    );
    expect(s.calls).toHaveLength(2);
  });

  it('does not retry while the browser is offline (TanStack Query resumes on reconnect)', async () => {
    const s = setup(networkDown);
    s.setOnline(false);
    await failure(s.client.auth.me.query());
    expect(s.calls).toHaveLength(1);
  });
});

describe('fetch policy: reachability', () => {
  it('works without anyone listening', async () => {
    const s = setup(() => trpcOk({ ok: true }), { onReachability: undefined });
    await expect(s.client.auth.me.query()).resolves.toEqual({ ok: true });
  });

  it('leaves no abort listener behind on the request’s signal', async () => {
    const listeners: Set<unknown>[] = [];
    const any = AbortSignal.any.bind(AbortSignal);
    vi.spyOn(AbortSignal, 'any').mockImplementation((list) => {
      const signal = any(list);
      const live = new Set<unknown>();
      listeners.push(live);
      const add = signal.addEventListener.bind(signal);
      const remove = signal.removeEventListener.bind(signal);
      signal.addEventListener = (type: string, listener: EventListener) => {
        if (type === 'abort') live.add(listener);
        add(type, listener);
      };
      signal.removeEventListener = (type: string, listener: EventListener) => {
        if (type === 'abort') live.delete(listener);
        remove(type, listener);
      };
      return signal;
    });
    const s = setup((_call, n) => (n === 1 ? networkDown() : trpcOk({ ok: true })));
    await s.client.auth.me.query();
    expect(listeners).toHaveLength(2);
    for (const live of listeners) expect(live.size).toBe(0);
  });

  it('reports the server unreachable on the first failed attempt, before the retries end', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const s = setup((_call, n) => (n === 1 ? networkDown() : trpcOk({ ok: true })), {
      baseDelayMs: 300,
    });
    const pending = s.client.auth.me.query();
    await vi.advanceTimersByTimeAsync(0);
    expect(s.onReachability.mock.calls).toEqual([[false]]);
    await vi.advanceTimersByTimeAsync(400);
    await pending;
    expect(s.onReachability.mock.calls).toEqual([[false], [true]]);
  });

  it.each([
    [502, false],
    [503, false],
    [504, false],
    [500, true],
    [401, true],
    [404, true],
    [200, true],
  ])('an answer %i means reachable: %s', async (status, reachable) => {
    const s = setup(
      (call) =>
        isRefresh(call)
          ? trpcOk({ session: null, signedOutReason: null })
          : status === 200
            ? trpcOk({ ok: true })
            : trpcError(status, 'INTERNAL_SERVER_ERROR', 'INTERNAL'),
      { maxRetries: 0 },
    );
    await s.client.auth.me.query().catch(() => null);
    expect(s.onReachability.mock.calls[0]).toEqual([reachable]);
  });
});

describe('fetch policy: 401 and single-flight refresh', () => {
  it('refreshes once for two concurrent 401s and retries both with the new token', async () => {
    let releaseRefresh: () => void = () => {};
    const refreshGate = new Promise<void>((resolve) => (releaseRefresh = resolve));
    const s = setup(async (call) => {
      if (isRefresh(call)) {
        await refreshGate;
        return refreshed('new-token');
      }
      if (call.headers.get('authorization') === 'Bearer new-token') return trpcOk({ ok: true });
      return trpcError(401, 'UNAUTHORIZED', 'UNAUTHENTICATED');
    });
    const a = s.client.auth.me.query();
    const b = s.client.auth.sessions.list.query();
    // Let both 401s arrive before the refresh answers.
    await vi.waitFor(() => expect(s.calls.filter(isRefresh)).toHaveLength(1));
    await vi.waitFor(() => expect(s.calls).toHaveLength(3));
    releaseRefresh();
    await expect(Promise.all([a, b])).resolves.toEqual([{ ok: true }, { ok: true }]);

    const refreshCalls = s.calls.filter(isRefresh);
    expect(refreshCalls).toHaveLength(1);
    expect(refreshCalls[0]!.method).toBe('POST');
    expect(refreshCalls[0]!.credentials).toBe('include');
    expect(refreshCalls[0]!.url).toBe('/trpc/auth.refresh');
    expect(refreshCalls[0]!.headers.has('authorization')).toBe(false);
    expect(refreshCalls[0]!.body).toBe(JSON.stringify(superjson.serialize(undefined)));
    expect(s.token()).toBe('new-token');
    expect(s.onRefreshed).toHaveBeenCalledTimes(1);
    // 2 first tries + 1 refresh + 2 retries.
    expect(s.calls).toHaveLength(5);
    expect(s.onSignedOut).not.toHaveBeenCalled();
  });

  it('signs out with the server’s reason when the session is gone, and fails the call', async () => {
    const s = setup((call) =>
      isRefresh(call)
        ? trpcOk({ session: null, signedOutReason: 'user_revoked' } satisfies RefreshOutput)
        : trpcError(401, 'UNAUTHORIZED', 'UNAUTHENTICATED'),
    );
    const [a, b] = await Promise.all([
      failure(s.client.auth.me.query()),
      failure(s.client.auth.sessions.list.query()),
    ]);
    expect(statusOf(a as never)).toBe(401);
    expect(statusOf(b as never)).toBe(401);
    expect(s.calls.filter(isRefresh)).toHaveLength(1);
    expect(s.onSignedOut).toHaveBeenCalledWith('user_revoked');
    expect(s.token()).toBe('old-token'); // the store is cleared by onSignedOut, not here
  });

  it('treats a refresh refused with 401 (an older server) as signed out', async () => {
    const s = setup((call) =>
      isRefresh(call)
        ? trpcError(401, 'UNAUTHORIZED', 'REFRESH_INVALID')
        : trpcError(401, 'UNAUTHORIZED', 'UNAUTHENTICATED'),
    );
    await failure(s.client.auth.me.query());
    expect(s.onSignedOut).toHaveBeenCalledWith('expired');
  });

  it('does not sign out when the refresh cannot reach the server', async () => {
    const s = setup((call) => {
      if (isRefresh(call)) networkDown();
      return trpcError(401, 'UNAUTHORIZED', 'UNAUTHENTICATED');
    });
    const error = await failure(s.client.auth.me.query());
    // The call fails with the refresh's network error, not with "sign in again".
    expect(error.cause).toBeInstanceOf(TypeError);
    expect(s.onSignedOut).not.toHaveBeenCalled();
    // auth.refresh is a mutation: never repeated by the retry link.
    expect(s.calls.filter(isRefresh)).toHaveLength(1);
  });

  it('waits and tries once more after REFRESH_RACE', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    let refreshes = 0;
    const s = setup(
      (call) => {
        if (isRefresh(call)) {
          refreshes++;
          return refreshes === 1
            ? trpcError(401, 'UNAUTHORIZED', 'REFRESH_RACE')
            : refreshed('raced-token');
        }
        return call.headers.get('authorization') === 'Bearer raced-token'
          ? trpcOk({ ok: true })
          : trpcError(401, 'UNAUTHORIZED', 'UNAUTHENTICATED');
      },
      // The default pause: 300 ms.
      { refreshRaceDelayMs: undefined },
    );
    const pending = s.client.auth.me.query();
    await vi.advanceTimersByTimeAsync(299);
    expect(refreshes).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    await expect(pending).resolves.toEqual({ ok: true });
    expect(refreshes).toBe(2);
    expect(s.onSignedOut).not.toHaveBeenCalled();
  });

  it('fails without signing out when the refresh loses the race twice', async () => {
    const s = setup((call) =>
      isRefresh(call)
        ? trpcError(401, 'UNAUTHORIZED', 'REFRESH_RACE')
        : trpcError(401, 'UNAUTHORIZED', 'UNAUTHENTICATED'),
    );
    const error = await failure(s.client.auth.me.query());
    expect((error.data as { appCode?: unknown } | undefined)?.appCode).toBe('REFRESH_RACE');
    expect(s.calls.filter(isRefresh)).toHaveLength(2);
    expect(s.onSignedOut).not.toHaveBeenCalled();
  });

  it('retries the original request only once after a refresh', async () => {
    const s = setup((call) =>
      isRefresh(call) ? refreshed('new-token') : trpcError(401, 'UNAUTHORIZED', 'UNAUTHENTICATED'),
    );
    const error = await failure(s.client.auth.me.query());
    expect(statusOf(error as never)).toBe(401);
    expect(s.calls.map((c) => c.path)).toEqual([
      '/trpc/auth.me',
      '/trpc/auth.refresh',
      '/trpc/auth.me',
    ]);
    expect(s.calls[2]!.headers.get('authorization')).toBe('Bearer new-token');
  });

  it.each([
    [
      'auth.login',
      (s: ReturnType<typeof setup>) =>
        s.client.auth.login.mutate({ phone: '+998901234567', password: 'x' }),
    ],
    [
      'auth.register',
      (s: ReturnType<typeof setup>) =>
        s.client.auth.register.mutate({
          phone: '+998901234567',
          name: 'Aziza Karimova',
          password: 'Secret-pass-1',
        }),
    ],
    ['auth.refresh', (s: ReturnType<typeof setup>) => s.client.auth.refresh.mutate()],
    ['auth.logout', (s: ReturnType<typeof setup>) => s.client.auth.logout.mutate()],
  ])('never refreshes on a 401 from %s', async (_procedure, call) => {
    const s = setup(() => trpcError(401, 'UNAUTHORIZED', 'INVALID_CREDENTIALS'));
    const error = await failure(call(s));
    expect(statusOf(error as never)).toBe(401);
    expect(s.calls).toHaveLength(1);
    expect(s.onSignedOut).not.toHaveBeenCalled();
  });

  it('uses a token refreshed meanwhile instead of refreshing again', async () => {
    const s = setup((call) => {
      if (call.headers.get('authorization') === 'Bearer newer') return trpcOk({ ok: true });
      // Simulate another request having refreshed while this one was in flight.
      s.setToken('newer');
      return trpcError(401, 'UNAUTHORIZED', 'UNAUTHENTICATED');
    });
    await expect(s.client.auth.me.query()).resolves.toEqual({ ok: true });
    expect(s.calls.some(isRefresh)).toBe(false);
  });

  it('tries a token refreshed meanwhile only once', async () => {
    const s = setup(() => {
      s.setToken('newer');
      return trpcError(401, 'UNAUTHORIZED', 'UNAUTHENTICATED');
    });
    const error = await failure(s.client.auth.me.query());
    expect(statusOf(error as never)).toBe(401);
    expect(s.calls.map((c) => c.headers.get('authorization'))).toEqual([
      'Bearer old-token',
      'Bearer newer',
    ]);
  });

  it('sends nothing more when the caller gives up while the refresh runs', async () => {
    let releaseRefresh: () => void = () => {};
    const refreshGate = new Promise<void>((resolve) => (releaseRefresh = resolve));
    const s = setup(async (call) => {
      if (isRefresh(call)) {
        await refreshGate;
        return refreshed('new-token');
      }
      return trpcError(401, 'UNAUTHORIZED', 'UNAUTHENTICATED');
    });
    const controller = new AbortController();
    const pending = failure(s.client.auth.me.query(undefined, { signal: controller.signal }));
    await vi.waitFor(() => expect(s.calls.filter(isRefresh)).toHaveLength(1));
    controller.abort();
    // At once, not when the refresh answers.
    expect((await pending).cause?.name).toBe('AbortError');
    releaseRefresh();
    await vi.waitFor(() => expect(s.onRefreshed).toHaveBeenCalled());
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(s.calls.map((c) => c.path)).toEqual(['/trpc/auth.me', '/trpc/auth.refresh']);
  });

  it('sends the token with auth.logout (the server ends that session)', async () => {
    const s = setup(() => trpcOk({ ok: true }));
    await s.client.auth.logout.mutate();
    expect(s.calls[0]!.headers.get('authorization')).toBe('Bearer old-token');
  });
});

describe('fetch policy: refresh()', () => {
  it('shares one request between concurrent callers and reports the session', async () => {
    const s = setup(() => refreshed('fresh'));
    const [a, b] = await Promise.all([s.refresh(), s.refresh()]);
    expect(a).toEqual(b);
    expect(a.kind === 'session' && a.auth.accessToken).toBe('fresh');
    expect(a.kind === 'session' && a.auth.accessTokenExpiresAt).toBeInstanceOf(Date);
    expect(s.calls).toHaveLength(1);
    expect(s.onRefreshed).toHaveBeenCalledTimes(1);
    // A later call makes a new request.
    await s.refresh();
    expect(s.calls).toHaveLength(2);
  });

  it('reports signed out (with or without a reason) apart from failures', async () => {
    const none = setup(() => trpcOk({ session: null, signedOutReason: null }));
    expect(await none.refresh()).toEqual({ kind: 'signedOut', reason: null });

    const changed = setup(() => trpcOk({ session: null, signedOutReason: 'password_changed' }));
    expect(await changed.refresh()).toEqual({ kind: 'signedOut', reason: 'password_changed' });
    // The refresh answers the start-up question itself; only calls that lost their session
    // sign out through onSignedOut.
    expect(changed.onSignedOut).not.toHaveBeenCalled();

    const down = setup(networkDown);
    expect(await down.refresh()).toMatchObject({ kind: 'failed' });

    const broken = setup(() => new Response('<html>Bad gateway</html>', { status: 502 }));
    expect(await broken.refresh()).toMatchObject({ kind: 'failed' });
    expect(broken.onReachability).toHaveBeenLastCalledWith(false);

    const raced = setup(() => trpcError(401, 'UNAUTHORIZED', 'REFRESH_RACE'));
    expect(await raced.refresh()).toMatchObject({ kind: 'failed' });
    expect(raced.calls).toHaveLength(2);
  });
});

describe('fetch policy with TanStack Query offline', () => {
  afterEach(() => {
    onlineManager.setOnline(true);
  });

  it('pauses a mutation while offline and sends it once on reconnect, through the chain', async () => {
    const s = setup((call) =>
      call.headers.get('authorization') === 'Bearer new-token'
        ? trpcOk({ ok: true })
        : isRefresh(call)
          ? refreshed('new-token')
          : trpcError(401, 'UNAUTHORIZED', 'UNAUTHENTICATED'),
    );
    const queryClient = new QueryClient({
      defaultOptions: { mutations: { retry: false, networkMode: 'online' } },
    });
    queryClient.mount();
    const observer = new MutationObserver(queryClient, {
      mutationFn: (name: string) => s.client.auth.updateProfile.mutate({ name }),
    });
    onlineManager.setOnline(false);
    const done = observer.mutate('Aziza Karimova');
    await vi.waitFor(() => expect(observer.getCurrentResult().isPaused).toBe(true));
    expect(s.calls).toHaveLength(0);

    // Back online: sent now; the expired token is refreshed on the way, exactly once.
    onlineManager.setOnline(true);
    await expect(done).resolves.toEqual({ ok: true });
    expect(s.calls.map((c) => c.path)).toEqual([
      '/trpc/auth.updateProfile',
      '/trpc/auth.refresh',
      '/trpc/auth.updateProfile',
    ]);
    expect(observer.getCurrentResult().isSuccess).toBe(true);
    queryClient.unmount();
  });
});
