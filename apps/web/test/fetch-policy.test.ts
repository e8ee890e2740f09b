// @vitest-environment jsdom
import superjson from 'superjson';
import { describe, expect, it, vi } from 'vitest';
import type { AuthOutput } from '@medora/schema';
import {
  createFetchPolicy,
  procedurePaths,
  TimeoutError,
  type FetchLike,
  type FetchPolicyOptions,
} from '../src/lib/fetch-policy';

interface Call {
  url: string;
  method: string;
  headers: Headers;
  body: unknown;
  credentials: RequestCredentials | undefined;
}

type Responder = (call: Call, n: number) => Response | Promise<Response>;

/** A fake fetch that records every call and answers through `respond`. */
function fakeFetch(respond: Responder) {
  const calls: Call[] = [];
  const fetch: FetchLike = async (input, init = {}) => {
    const call: Call = {
      url: typeof input === 'string' ? input : input instanceof URL ? input.href : input.url,
      method: (init.method ?? 'GET').toUpperCase(),
      headers: new Headers(init.headers),
      body: init.body,
      credentials: init.credentials,
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
    },
  };
}

function setup(respond: Responder, overrides: Partial<FetchPolicyOptions> = {}) {
  const fake = fakeFetch(respond);
  let token: string | null = 'old-token';
  const sleeps: number[] = [];
  const onAuthFailure = vi.fn();
  const onReachability = vi.fn();
  const policy = createFetchPolicy({
    baseFetch: fake.fetch,
    sleep: (ms) => {
      sleeps.push(ms);
      return Promise.resolve();
    },
    random: () => 0.5,
    getAccessToken: () => token,
    onRefreshed: (auth) => {
      token = auth.accessToken;
    },
    onAuthFailure,
    onReachability,
    ...overrides,
  });
  return {
    policy,
    calls: fake.calls,
    sleeps,
    onAuthFailure,
    onReachability,
    token: () => token,
    setToken: (t: string | null) => (token = t),
  };
}

describe('procedurePaths', () => {
  it('reads single and batched procedure names', () => {
    expect(procedurePaths('/trpc/auth.me?input=%7B%7D')).toEqual(['auth.me']);
    expect(procedurePaths('http://localhost:3000/trpc/auth.me,auth.sessions.list?batch=1')).toEqual(
      ['auth.me', 'auth.sessions.list'],
    );
    expect(procedurePaths('/health')).toEqual([]);
  });
});

describe('fetch policy: headers', () => {
  it('sends the access token and includes credentials', async () => {
    const s = setup(() => trpcOk({ ok: true }));
    await s.policy.fetch('/trpc/auth.me', { method: 'GET', headers: { 'trpc-accept': 'x' } });
    expect(s.calls).toHaveLength(1);
    expect(s.calls[0]!.headers.get('authorization')).toBe('Bearer old-token');
    expect(s.calls[0]!.headers.get('trpc-accept')).toBe('x');
    expect(s.calls[0]!.credentials).toBe('include');
  });

  it('sends no Authorization header without a token', async () => {
    const s = setup(() => trpcOk({ ok: true }));
    s.setToken(null);
    await s.policy.fetch('/trpc/auth.login', { method: 'POST', body: '{}' });
    expect(s.calls[0]!.headers.has('authorization')).toBe(false);
  });
});

describe('fetch policy: timeout', () => {
  it('aborts a request after the timeout with a TimeoutError and does not retry it', async () => {
    vi.useFakeTimers();
    try {
      const s = setup(
        (call) =>
          new Promise<Response>(() => {
            // Never answers; the policy must abort it.
            void call;
          }),
        { timeoutMs: 30_000 },
      );
      const pending = s.policy.fetch('/trpc/auth.me', { method: 'GET' });
      const assertion = expect(pending).rejects.toBeInstanceOf(TimeoutError);
      await vi.advanceTimersByTimeAsync(30_000);
      await assertion;
      expect(s.calls).toHaveLength(1);
      expect(s.onReachability).toHaveBeenLastCalledWith(false);
    } finally {
      vi.useRealTimers();
    }
  });

  it('passes an abort signal to the base fetch and rejects with TimeoutError when it fires', async () => {
    vi.useFakeTimers();
    try {
      let seenSignal: AbortSignal | undefined;
      const fetch: FetchLike = (_input, init) =>
        new Promise((_resolve, reject) => {
          seenSignal = init?.signal ?? undefined;
          init?.signal?.addEventListener('abort', () =>
            reject(new DOMException('Aborted', 'AbortError')),
          );
        });
      const s = setup(() => trpcOk(null), { baseFetch: fetch, timeoutMs: 1000 });
      const pending = s.policy.fetch('/trpc/auth.me');
      const assertion = expect(pending).rejects.toMatchObject({ name: 'TimeoutError' });
      await vi.advanceTimersByTimeAsync(1000);
      await assertion;
      expect(seenSignal?.aborted).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });

  it('lets the caller cancel without retrying', async () => {
    const controller = new AbortController();
    const fetch: FetchLike = (_input, init) =>
      new Promise((_resolve, reject) => {
        init?.signal?.addEventListener('abort', () =>
          reject(new DOMException('Aborted', 'AbortError')),
        );
      });
    const s = setup(() => trpcOk(null), { baseFetch: fetch });
    const pending = s.policy.fetch('/trpc/auth.me', { signal: controller.signal });
    controller.abort();
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    expect(s.sleeps).toEqual([]);
  });
});

describe('fetch policy: retries', () => {
  it('retries a query on network errors with exponential backoff, then succeeds', async () => {
    const s = setup((_call, n) => {
      if (n <= 2) throw new TypeError('Failed to fetch');
      return trpcOk({ ok: true });
    });
    const res = await s.policy.fetch('/trpc/auth.me', { method: 'GET' });
    expect(res.status).toBe(200);
    expect(s.calls).toHaveLength(3);
    // 300 and 600 ms plus jitter (random 0.5 × 100 ms).
    expect(s.sleeps).toEqual([350, 650]);
    expect(s.onReachability).toHaveBeenLastCalledWith(true);
  });

  it('retries 5xx at most 3 times (4 attempts) and returns the last answer', async () => {
    const s = setup(() => json(503, { error: 'unavailable' }));
    const res = await s.policy.fetch('/trpc/auth.me', { method: 'GET' });
    expect(res.status).toBe(503);
    expect(s.calls).toHaveLength(4);
    expect(s.sleeps).toEqual([350, 650, 1250]);
    expect(s.onReachability).toHaveBeenLastCalledWith(false);
  });

  it('gives up after 3 retries of network errors and rethrows', async () => {
    const s = setup(() => {
      throw new TypeError('Failed to fetch');
    });
    await expect(s.policy.fetch('/trpc/auth.me')).rejects.toBeInstanceOf(TypeError);
    expect(s.calls).toHaveLength(4);
    expect(s.onReachability).toHaveBeenLastCalledWith(false);
  });

  it.each([400, 403, 404, 409, 429])('never retries a %i', async (status) => {
    const s = setup(() => trpcError(status, 'BAD_REQUEST', 'VALIDATION_FAILED'));
    const res = await s.policy.fetch('/trpc/auth.me', { method: 'GET' });
    expect(res.status).toBe(status);
    expect(s.calls).toHaveLength(1);
    expect(s.sleeps).toEqual([]);
  });

  it('never retries a mutation (POST) without an Idempotency-Key', async () => {
    const s = setup(() => json(500, {}));
    const res = await s.policy.fetch('/trpc/auth.updateProfile', { method: 'POST', body: '{}' });
    expect(res.status).toBe(500);
    expect(s.calls).toHaveLength(1);

    const t = setup(() => {
      throw new TypeError('Failed to fetch');
    });
    await expect(
      t.policy.fetch('/trpc/auth.updateProfile', { method: 'POST', body: '{}' }),
    ).rejects.toThrow(TypeError);
    expect(t.calls).toHaveLength(1);
  });

  it('retries a mutation that carries an Idempotency-Key', async () => {
    const s = setup((_call, n) => (n === 1 ? json(502, {}) : trpcOk({ id: 1 })));
    const res = await s.policy.fetch('/trpc/analysis.create', {
      method: 'POST',
      body: '{"json":{}}',
      headers: { 'Idempotency-Key': 'abc' },
    });
    expect(res.status).toBe(200);
    expect(s.calls).toHaveLength(2);
    expect(s.calls[1]!.body).toBe('{"json":{}}');
    expect(s.calls[1]!.headers.get('idempotency-key')).toBe('abc');
  });
});

describe('fetch policy: 401 and single-flight refresh', () => {
  it('refreshes once for two concurrent 401s and retries both with the new token', async () => {
    let releaseRefresh: () => void = () => {};
    const refreshGate = new Promise<void>((resolve) => (releaseRefresh = resolve));
    const s = setup(async (call) => {
      if (call.url.endsWith('/auth.refresh')) {
        await refreshGate;
        return trpcOk(authFor('new-token'));
      }
      if (call.headers.get('authorization') === 'Bearer new-token') return trpcOk({ ok: true });
      return trpcError(401, 'UNAUTHORIZED', 'UNAUTHENTICATED');
    });
    const a = s.policy.fetch('/trpc/auth.me');
    const b = s.policy.fetch('/trpc/auth.sessions.list');
    // Let both 401s arrive before the refresh answers.
    await vi.waitFor(() =>
      expect(s.calls.filter((c) => c.url.endsWith('/auth.refresh'))).toHaveLength(1),
    );
    releaseRefresh();
    const [ra, rb] = await Promise.all([a, b]);
    expect(ra.status).toBe(200);
    expect(rb.status).toBe(200);

    const refreshCalls = s.calls.filter((c) => c.url.endsWith('/auth.refresh'));
    expect(refreshCalls).toHaveLength(1);
    expect(refreshCalls[0]!.method).toBe('POST');
    expect(refreshCalls[0]!.credentials).toBe('include');
    expect(refreshCalls[0]!.url).toBe('/trpc/auth.refresh');
    expect(refreshCalls[0]!.headers.has('authorization')).toBe(false);
    expect(refreshCalls[0]!.body).toBe(JSON.stringify(superjson.serialize(undefined)));
    expect(s.token()).toBe('new-token');
    // 2 first tries + 1 refresh + 2 retries.
    expect(s.calls).toHaveLength(5);
    expect(s.onAuthFailure).not.toHaveBeenCalled();
  });

  it('clears the session when the refresh is refused and returns the 401', async () => {
    const s = setup((call) =>
      call.url.endsWith('/auth.refresh')
        ? trpcError(401, 'UNAUTHORIZED', 'REFRESH_INVALID')
        : trpcError(401, 'UNAUTHORIZED', 'UNAUTHENTICATED'),
    );
    const [a, b] = await Promise.all([
      s.policy.fetch('/trpc/auth.me'),
      s.policy.fetch('/trpc/auth.sessions.list'),
    ]);
    expect(a.status).toBe(401);
    expect(b.status).toBe(401);
    expect(s.calls.filter((c) => c.url.endsWith('/auth.refresh'))).toHaveLength(1);
    expect(s.onAuthFailure).toHaveBeenCalled();
    expect(s.token()).toBe('old-token'); // the store is cleared by onAuthFailure, not here
  });

  it('does not log out when the refresh cannot reach the server', async () => {
    const s = setup((call) => {
      if (call.url.endsWith('/auth.refresh')) throw new TypeError('Failed to fetch');
      return trpcError(401, 'UNAUTHORIZED', 'UNAUTHENTICATED');
    });
    await expect(s.policy.fetch('/trpc/auth.me')).rejects.toBeInstanceOf(TypeError);
    expect(s.onAuthFailure).not.toHaveBeenCalled();
  });

  it('waits and tries once more after REFRESH_RACE', async () => {
    let refreshes = 0;
    const s = setup((call) => {
      if (call.url.endsWith('/auth.refresh')) {
        refreshes++;
        return refreshes === 1
          ? trpcError(401, 'UNAUTHORIZED', 'REFRESH_RACE')
          : trpcOk(authFor('raced-token'));
      }
      return call.headers.get('authorization') === 'Bearer raced-token'
        ? trpcOk({ ok: true })
        : trpcError(401, 'UNAUTHORIZED', 'UNAUTHENTICATED');
    });
    const res = await s.policy.fetch('/trpc/auth.me');
    expect(res.status).toBe(200);
    expect(refreshes).toBe(2);
    expect(s.sleeps).toEqual([300]);
    expect(s.onAuthFailure).not.toHaveBeenCalled();
  });

  it('retries the original request only once after a refresh', async () => {
    const s = setup((call) =>
      call.url.endsWith('/auth.refresh')
        ? trpcOk(authFor('new-token'))
        : trpcError(401, 'UNAUTHORIZED', 'UNAUTHENTICATED'),
    );
    const res = await s.policy.fetch('/trpc/auth.me');
    expect(res.status).toBe(401);
    expect(s.calls.map((c) => c.url)).toEqual([
      '/trpc/auth.me',
      '/trpc/auth.refresh',
      '/trpc/auth.me',
    ]);
  });

  it.each(['auth.login', 'auth.register', 'auth.refresh', 'auth.logout'])(
    'never refreshes on a 401 from %s',
    async (procedure) => {
      const s = setup(() => trpcError(401, 'UNAUTHORIZED', 'INVALID_CREDENTIALS'));
      const res = await s.policy.fetch(`/trpc/${procedure}`, { method: 'POST', body: '{}' });
      expect(res.status).toBe(401);
      expect(s.calls).toHaveLength(1);
      expect(s.onAuthFailure).not.toHaveBeenCalled();
    },
  );

  it('uses a token refreshed meanwhile instead of refreshing again', async () => {
    const s = setup((call) => {
      if (call.headers.get('authorization') === 'Bearer newer') return trpcOk({ ok: true });
      // Simulate another request having refreshed while this one was in flight.
      s.setToken('newer');
      return trpcError(401, 'UNAUTHORIZED', 'UNAUTHENTICATED');
    });
    const res = await s.policy.fetch('/trpc/auth.me');
    expect(res.status).toBe(200);
    expect(s.calls.some((c) => c.url.endsWith('/auth.refresh'))).toBe(false);
  });
});

describe('fetch policy: refresh()', () => {
  it('shares one request between concurrent callers and reports success', async () => {
    const s = setup(() => trpcOk(authFor('fresh')));
    const [a, b] = await Promise.all([s.policy.refresh(), s.policy.refresh()]);
    expect(a).toEqual(b);
    expect(a.ok && a.auth.accessToken).toBe('fresh');
    expect(a.ok && a.auth.accessTokenExpiresAt).toBeInstanceOf(Date);
    expect(s.calls).toHaveLength(1);
    // A later call makes a new request.
    await s.policy.refresh();
    expect(s.calls).toHaveLength(2);
  });

  it('reports invalid, and network failures separately', async () => {
    const invalid = setup(() => trpcError(401, 'UNAUTHORIZED', 'REFRESH_INVALID'));
    expect(await invalid.policy.refresh()).toEqual({ ok: false, reason: 'invalid' });

    const down = setup(() => {
      throw new TypeError('Failed to fetch');
    });
    expect(await down.policy.refresh()).toMatchObject({ ok: false, reason: 'network' });

    const broken = setup(() => new Response('<html>Bad gateway</html>', { status: 502 }));
    expect(await broken.policy.refresh()).toMatchObject({ ok: false, reason: 'network' });
  });
});
