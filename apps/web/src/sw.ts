/**
 * The service worker: keeps the app shell (index.html, the built assets, icons and manifest) so
 * a reload without a connection still opens the app, which then shows what the persisted query
 * cache may show.
 *
 * - Install precaches the files of this build (listed by the build, see vite.config.ts) in a
 *   cache named after the build; activation deletes every older shell cache, so a deploy
 *   replaces the old files instead of piling up.
 * - Navigations go to the network first (a deploy is picked up at once) and fall back to the
 *   cached index.html when the network fails or a proxy answers 5xx.
 * - The precached files are answered from the cache (their names carry a content hash).
 * - Everything else, above all /trpc and /api (file downloads under /api/files/ included), is
 *   never touched: API answers and attachments carry health data and must not land in a cache
 *   that outlives signing out. The worker writes to its cache only at install, and only the
 *   build's own files; nothing it fetches later is ever stored.
 *
 * Built as a plain script (no imports, no exports) and registered from the bundled main.tsx, so
 * it needs nothing the strict CSP forbids.
 */

interface ShellManifest {
  /** Changes with every build whose files change. */
  version: string;
  /** Absolute paths of the built files to keep, without index.html. */
  files: string[];
}

// Replaced by the build with the list of this build's files.
declare const __SHELL_MANIFEST__: ShellManifest;

// The DOM library's `self` is a window; these are the few service-worker parts used here.
interface ExtendableEvent extends Event {
  waitUntil(promise: Promise<unknown>): void;
}
interface FetchEvent extends ExtendableEvent {
  readonly request: Request;
  respondWith(response: Promise<Response> | Response): void;
}
interface ServiceWorkerScope {
  readonly location: Location;
  skipWaiting(): Promise<void>;
  readonly clients: { claim(): Promise<void> };
  addEventListener(type: 'install' | 'activate', listener: (event: ExtendableEvent) => void): void;
  addEventListener(type: 'fetch', listener: (event: FetchEvent) => void): void;
}
declare const self: ServiceWorkerScope;

const manifest = __SHELL_MANIFEST__;
const CACHE_PREFIX = 'medora-shell-';
const CACHE_NAME = `${CACHE_PREFIX}${manifest.version}`;
const SHELL_URL = '/index.html';
/** Give up on a hanging navigation and open the cached shell instead. */
const NAVIGATION_TIMEOUT_MS = 10_000;
/**
 * Never answered or stored here: the API (tRPC answers, `/api/files/*` attachments and every
 * other route under /api), health checks and metrics.
 */
const NEVER = /^\/(trpc|api|health|metrics)(\/|$)/i;
/** A build file listed under one of those paths would still not be kept. */
const shellFiles = manifest.files.filter((file) => !NEVER.test(file));
const precached = new Set(shellFiles);

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE_NAME);
      // `reload`: the copy in the HTTP cache may belong to an older deploy.
      await cache.addAll(
        [SHELL_URL, ...shellFiles].map((url) => new Request(url, { cache: 'reload' })),
      );
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      const names = await caches.keys();
      await Promise.all(
        names
          .filter((name) => name.startsWith(CACHE_PREFIX) && name !== CACHE_NAME)
          .map((name) => caches.delete(name)),
      );
      await self.clients.claim();
    })(),
  );
});

async function fromCache(url: string | Request): Promise<Response | undefined> {
  const cache = await caches.open(CACHE_NAME);
  // Vary: Accept-Encoding must not make a stored file miss.
  return cache.match(url, { ignoreVary: true });
}

async function navigate(request: Request): Promise<Response> {
  let failed: Response | undefined;
  try {
    // A race, not a signal: a navigation request cannot be copied with new options.
    const response = await Promise.race([
      fetch(request),
      new Promise<never>((_resolve, reject) =>
        setTimeout(() => reject(new Error('navigation timed out')), NAVIGATION_TIMEOUT_MS),
      ),
    ]);
    if (response.status < 500) return response;
    failed = response;
  } catch {
    // Offline, server away or too slow: the shell below.
  }
  return (await fromCache(SHELL_URL)) ?? failed ?? Response.error();
}

async function precachedFile(request: Request): Promise<Response> {
  return (await fromCache(request)) ?? fetch(request);
}

self.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  // Only this origin's own http(s) files: never blob: or data: URLs (attachments being shown).
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return;
  if (url.origin !== self.location.origin || NEVER.test(url.pathname)) return;
  if (request.mode === 'navigate') event.respondWith(navigate(request));
  else if (precached.has(url.pathname)) event.respondWith(precachedFile(request));
});
