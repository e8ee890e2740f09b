/**
 * Graceful degradation in a real Chromium: the banner tells "you are offline" from "MedoraAI
 * cannot be reached" and names it as soon as a background request fails; a reload without a
 * connection opens the app shell from the service worker with what the doctor viewed recently
 * (persisted query cache); form drafts survive, cached data goes on logout, and credentials and
 * API answers never reach web storage or the worker's caches.
 */
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { startProxy, type SwitchableProxy } from './proxy';
import { launchChromium, registerDoctor, screenshotOnFailure } from './support';

const baseUrl = inject('baseUrl');
const UNREACHABLE = 'MedoraAI bilan bogʻlanib boʻlmayapti';
const OFFLINE = 'Internetga ulanmagansiz';
const TRIAL = 'Sinov muddati: 7 kun qoldi';
const viewport = { width: 1100, height: 800 };

let browser: Browser;
const contexts: BrowserContext[] = [];
const proxies: SwitchableProxy[] = [];

beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});
afterEach(async () => {
  await Promise.all(contexts.splice(0).map((c) => c.close()));
  await Promise.all(proxies.splice(0).map((p) => p.close()));
});

/**
 * A fresh browser profile. `page.route` does not see requests a service worker makes, so tests
 * that cut the API with it run without one; the service-worker tests use a real outage instead.
 */
async function openPage(options: BrowserContextOptions = { serviceWorkers: 'block' }) {
  const context = await browser.newContext({ viewport, ...options });
  contexts.push(context);
  return { context, page: await context.newPage() };
}

async function proxy(): Promise<SwitchableProxy> {
  const p = await startProxy(baseUrl);
  proxies.push(p);
  return p;
}

const storage = (page: Page) => () =>
  page.evaluate<string>(
    'JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage })',
  );

const banner = (page: Page, text: string) => page.getByRole('status').filter({ hasText: text });
const greeting = (page: Page, name: string) =>
  page.getByRole('heading', { level: 1, name: `Xush kelibsiz, ${name}!` });

/** Resolves once the service worker has precached the shell and controls the page. */
async function shellReady(page: Page): Promise<void> {
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, {
    timeout: 20_000,
  });
}

/** Resolves once the page has sent no API request for `ms`. */
async function apiQuietFor(page: Page, ms: number): Promise<void> {
  let last = Date.now();
  const onRequest = (request: { url(): string }) => {
    if (new URL(request.url()).pathname.startsWith('/trpc/')) last = Date.now();
  };
  page.on('request', onRequest);
  try {
    while (Date.now() - last < ms) await page.waitForTimeout(100);
  } finally {
    page.off('request', onRequest);
  }
}

/** Every URL path held in the page's Cache Storage. */
function cachedPaths(page: Page): Promise<string[]> {
  return page.evaluate(async () => {
    const paths: string[] = [];
    for (const name of await caches.keys()) {
      for (const request of await (await caches.open(name)).keys()) {
        paths.push(new URL(request.url).pathname);
      }
    }
    return paths;
  });
}

describe('when the API is unreachable', () => {
  it('shows a banner and the recently viewed dashboard after a reload', async () => {
    const { page } = await openPage();
    screenshotOnFailure(page, 'offline-reload');
    const name = 'Nodira Yusupova';
    const { password } = await registerDoctor(page, baseUrl, name);
    await page.getByText(TRIAL).waitFor();
    // The query cache is persisted at most once a second.
    await expect.poll(storage(page)).toContain(name);

    // The server goes away for this browser: every API call fails at the network level.
    await page.route('**/trpc/**', (route) => route.abort('connectionrefused'));
    await page.reload();

    await banner(page, UNREACHABLE).waitFor({ timeout: 30_000 });
    await greeting(page, name).waitFor();
    await page.getByText(TRIAL).waitFor();
    const stored = await storage(page)();
    expect(stored).toContain(name);
    expect(stored).not.toContain(password);
    expect(stored).not.toMatch(/accessToken|refreshToken|medora_rt/);

    // The server is back: the banner goes and the session is still there (refresh cookie).
    await page.unroute('**/trpc/**');
    await page.reload();
    await greeting(page, name).waitFor({ timeout: 20_000 });
    await expect.poll(() => banner(page, UNREACHABLE).count()).toBe(0);
  });

  it('says the browser is offline and keeps showing cached pages while navigating', async () => {
    const { context, page } = await openPage();
    screenshotOnFailure(page, 'offline-navigate');
    const name = 'Sardor Rahimov';
    await registerDoctor(page, baseUrl, name);
    await page.getByRole('link', { name: 'Profil' }).click();
    await page.getByRole('heading', { level: 1, name: 'Profil' }).waitFor();
    await page.getByText('Shu qurilma').waitFor();

    await context.setOffline(true);
    await page.getByRole('link', { name: 'Bosh sahifa' }).click();
    await banner(page, OFFLINE).waitFor({ timeout: 30_000 });
    await greeting(page, name).waitFor();
    await page.getByRole('link', { name: 'Profil' }).click();
    await page.getByText('Shu qurilma').waitFor();

    // Back online: the banner goes.
    await context.setOffline(false);
    await expect.poll(() => banner(page, OFFLINE).count()).toBe(0);
  });

  it.each([
    ['refuses connections', (p: SwitchableProxy) => p.stop()],
    ['is behind a proxy answering 502', (p: SwitchableProxy) => p.badGateway()],
  ])(
    'names MedoraAI, not the internet, as soon as a background request fails while the server %s, and clears when it is back',
    async (_how, takeDown) => {
      const server = await proxy();
      const { page } = await openPage({});
      screenshotOnFailure(page, 'server-down');
      const name = 'Jasur Olimov';
      await registerDoctor(page, server.url, name);
      await page.getByText(TRIAL).waitFor();
      // The profile page's code then comes from the shell cache; only its data needs the server.
      await shellReady(page);

      await takeDown(server);
      // The profile page reads its data fresh on every visit: a request in the background.
      const failedAt = Date.now();
      await page.getByRole('link', { name: 'Profil' }).click();
      await banner(page, UNREACHABLE).waitFor({ timeout: 5_000 });
      // On the first failed attempt, before the retries (0.3 + 0.6 + 1.2 s) are over.
      expect(Date.now() - failedAt).toBeLessThan(2_000);
      expect(await banner(page, OFFLINE).count()).toBe(0);

      // Once the page's requests and their retries are over, nothing else asks the server: the
      // banner stays…
      await apiQuietFor(page, 2_500);
      expect(await banner(page, UNREACHABLE).count()).toBe(1);
      await server.up();
      // …until its own probe finds the server back; then what failed is fetched again.
      await expect
        .poll(() => banner(page, UNREACHABLE).count(), { timeout: 20_000, interval: 250 })
        .toBe(0);
      await page.getByText('Shu qurilma').waitFor({ timeout: 20_000 });
    },
  );
});

describe('the app shell (service worker)', () => {
  it('opens offline after a reload and on a deep link, with the cached data', async () => {
    const { context, page } = await openPage({});
    screenshotOnFailure(page, 'sw-offline');
    const name = 'Dilnoza Ergasheva';
    await registerDoctor(page, baseUrl, name);
    await page.getByRole('link', { name: 'Profil' }).click();
    await page.getByText('Shu qurilma').waitFor();
    await page.getByRole('link', { name: 'Bosh sahifa' }).click();
    await page.getByText(TRIAL).waitFor();
    await expect.poll(storage(page)).toContain('HeadlessChrome'); // the sessions list
    await shellReady(page);

    await context.setOffline(true);
    await page.reload();
    await banner(page, OFFLINE).waitFor({ timeout: 20_000 });
    await greeting(page, name).waitFor();
    await page.getByText(TRIAL).waitFor();

    await page.goto(`${baseUrl}/profile`);
    await page.getByRole('heading', { level: 1, name: 'Profil' }).waitFor({ timeout: 20_000 });
    await page.getByText('Shu qurilma').waitFor();
    await banner(page, OFFLINE).waitFor();

    // Only the shell is kept: no API answer (they carry health data), nothing of the doctor's.
    const cached = await cachedPaths(page);
    expect(cached).toContain('/index.html');
    expect(cached.some((p) => p.startsWith('/assets/'))).toBe(true);
    expect(cached.filter((p) => /^\/(trpc|api|health)(\/|$)/.test(p))).toEqual([]);
    await context.setOffline(false);
  });

  it('opens the shell while the server is down, and the browser error page without it', async () => {
    const server = await proxy();
    const { page } = await openPage({});
    screenshotOnFailure(page, 'sw-server-down');
    const name = 'Bekzod Tursunov';
    await registerDoctor(page, server.url, name);
    await page.getByText(TRIAL).waitFor();
    await expect.poll(storage(page)).toContain(name);
    await shellReady(page);

    await server.stop();
    await page.reload();
    await banner(page, UNREACHABLE).waitFor({ timeout: 30_000 });
    await greeting(page, name).waitFor();

    // The same outage without a service worker: the browser can only show its error page.
    const { page: bare } = await openPage({ serviceWorkers: 'block' });
    await expect(bare.goto(server.url)).rejects.toThrow(/ERR_CONNECTION_REFUSED/);
  });

  it('keeps one cache, named after the build, holding every file the build lists', async () => {
    const { page } = await openPage({});
    await page.goto(`${baseUrl}/login`);
    await shellReady(page);
    const names = await page.evaluate(() => caches.keys());
    expect(names).toHaveLength(1);
    expect(names[0]).toMatch(/^medora-shell-[0-9a-f]{16}$/);
    const script = await (await page.request.get(`${baseUrl}/sw.js`)).text();
    expect(script).toContain(names[0]!.slice('medora-shell-'.length));
    const cached = await cachedPaths(page);
    for (const file of ['/index.html', '/favicon.svg', '/manifest.webmanifest']) {
      expect(cached).toContain(file);
    }
  });
});

describe('local data', () => {
  it('keeps the register form draft across a reload, never the password', async () => {
    const { page } = await openPage();
    screenshotOnFailure(page, 'draft');
    await page.goto(`${baseUrl}/register`);
    await page.getByLabel('Telefon raqami').fill('90 123 45 67');
    await page.getByLabel('Ism va familiya').fill('Qoralama Ism');
    await page.getByLabel('Parol', { exact: true }).fill('Yashirin-parol-1');
    // Drafts are written as the doctor types; give the debounce, if any, a moment.
    await expect.poll(storage(page)).toContain('Qoralama Ism');
    await page.reload();
    await expect.poll(() => page.getByLabel('Ism va familiya').inputValue()).toBe('Qoralama Ism');
    expect(await page.getByLabel('Telefon raqami').inputValue()).toBe('90 123 45 67');
    expect(await page.getByLabel('Parol', { exact: true }).inputValue()).toBe('');
    expect(await storage(page)()).not.toContain('Yashirin-parol-1');
  });

  it('forgets cached data and the draft on logout', async () => {
    const { page } = await openPage();
    screenshotOnFailure(page, 'logout-clears');
    const name = 'Malika Tosheva';
    await registerDoctor(page, baseUrl, name);
    await expect.poll(storage(page)).toContain(name);
    await page.getByRole('button', { name: 'Chiqish' }).click();
    await page.getByRole('heading', { level: 1, name: 'Kirish' }).waitFor();
    await expect.poll(storage(page)).not.toContain(name);
  });
});
