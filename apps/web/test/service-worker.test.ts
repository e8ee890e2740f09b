// @vitest-environment jsdom
/**
 * The service worker (src/sw.ts) run with a fake Cache Storage: it stores only the build's own
 * files, at install, and never answers or stores an API call, a file download under /api/files/
 * or a blob: URL.
 */
import { beforeAll, describe, expect, it, vi } from 'vitest';

type Listener = (event: unknown) => void;
const listeners = new Map<string, Listener>();
const stored: string[] = [];
const put = vi.fn();

const fakeCache = {
  addAll: vi.fn((requests: { url: string }[]) => {
    stored.push(...requests.map((r) => r.url));
    return Promise.resolve();
  }),
  add: put,
  put,
  match: vi.fn(() => Promise.resolve(new Response('cached'))),
};

beforeAll(async () => {
  const origin = window.location.origin;
  Object.assign(globalThis, {
    __SHELL_MANIFEST__: {
      version: 'v1',
      // A build that (by mistake) listed a file under an API path.
      files: ['/assets/index-abc123.js', '/favicon.svg', '/api/files/leaked.png', '/trpc/x'],
    },
    caches: {
      open: vi.fn(() => Promise.resolve(fakeCache)),
      keys: vi.fn(() => Promise.resolve([])),
      delete: vi.fn(() => Promise.resolve(true)),
    },
    fetch: vi.fn(() => Promise.resolve(new Response('network'))),
    // Node's Request wants absolute URLs; the worker's are relative to its origin.
    Request: class {
      constructor(
        readonly url: string,
        readonly init?: RequestInit,
      ) {}
    },
  });
  Object.assign(window, {
    skipWaiting: vi.fn(() => Promise.resolve()),
    clients: { claim: vi.fn(() => Promise.resolve()) },
  });
  vi.spyOn(window, 'addEventListener').mockImplementation(((type: string, listener: Listener) => {
    listeners.set(type, listener);
  }) as typeof window.addEventListener);
  await import('../src/sw');
  expect(origin).toMatch(/^http/);
});

function install(): Promise<unknown> {
  let done: Promise<unknown> = Promise.resolve();
  listeners.get('install')!({ waitUntil: (p: Promise<unknown>) => (done = p) });
  return done;
}

/** Dispatches a fetch event; returns whether the worker answered it. */
function fetchEvent(url: string, mode: RequestMode | 'navigate' = 'cors', method = 'GET') {
  const respondWith = vi.fn();
  const absolute = new URL(url, window.location.origin).href;
  listeners.get('fetch')!({ request: { url: absolute, mode, method }, respondWith });
  return respondWith.mock.calls.length > 0;
}

describe('the service worker', () => {
  it('precaches the shell and the build files, never one under an API path', async () => {
    await install();
    expect(stored).toEqual(['/index.html', '/assets/index-abc123.js', '/favicon.svg']);
    expect(put).not.toHaveBeenCalled();
  });

  it('answers navigations and precached files', () => {
    expect(fetchEvent('/patients', 'navigate')).toBe(true);
    expect(fetchEvent('/assets/index-abc123.js')).toBe(true);
  });

  it.each([
    ['a tRPC query', '/trpc/patient.get?input=%7B%7D'],
    ['a tRPC list', '/trpc/patient.list'],
    ['a file download', '/api/files/7c1e2a40/download'],
    ['a file download (new tab)', '/api/files/7c1e2a40', 'navigate'],
    ['a file under another case', '/API/files/7c1e2a40'],
    ['any other API route', '/api/anything'],
    ['the health check', '/health'],
    ['a blob: URL', 'blob:http://localhost:3000/1f2e-33', 'navigate'],
    ['another site', 'https://example.com/assets/index-abc123.js'],
    ['a file listed under an API path', '/api/files/leaked.png'],
  ] as [string, string, RequestMode?][])(
    'leaves %s to the network and stores nothing',
    (_what, url, mode = 'cors') => {
      expect(fetchEvent(url, mode)).toBe(false);
      expect(put).not.toHaveBeenCalled();
    },
  );

  it('leaves writes alone', () => {
    expect(fetchEvent('/assets/index-abc123.js', 'cors', 'POST')).toBe(false);
  });
});
