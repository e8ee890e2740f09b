/**
 * The shell around the pages, in a real Chromium: a signed-out visit is quiet (no 401, no console
 * error), the favicon and the web app manifest are served, no source maps reach the browser, and
 * the connectivity banner reads well in every language and on a phone-sized screen.
 */
import type { Browser, BrowserContext, ConsoleMessage, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchChromium, registerDoctor, screenshot, screenshotOnFailure } from './support';

const baseUrl = inject('baseUrl');

let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});
afterEach(async () => {
  await Promise.all(contexts.splice(0).map((c) => c.close()));
});

interface PageOptions {
  width?: number;
  locale?: string;
  /** `page.route` does not see requests a service worker makes: block it where a test routes. */
  serviceWorkers?: 'allow' | 'block';
}

async function openPage({ width = 1100, locale, serviceWorkers = 'block' }: PageOptions = {}) {
  const context = await browser.newContext({ viewport: { width, height: 800 }, serviceWorkers });
  contexts.push(context);
  if (locale) {
    await context.addInitScript((l) => localStorage.setItem('medora.locale', l), locale);
  }
  return { context, page: await context.newPage() };
}

/** The app has taken over the prerendered sign-in page (its header's buttons act from then on). */
async function appReady(page: Page): Promise<void> {
  await page.getByRole('heading', { level: 1, name: 'Kirish' }).waitFor();
  await page.locator('#root:not([data-prerendered])').waitFor({ state: 'attached' });
}

/** Console errors and failed answers (4xx/5xx) the page produces from now on. */
function watchProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (message: ConsoleMessage) => {
    if (message.type() === 'error' || message.type() === 'warning') {
      problems.push(`console ${message.type()}: ${message.text()}`);
    }
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`${response.status()} ${response.url()}`);
  });
  return problems;
}

describe('a signed-out visit', () => {
  it('restores no session, quietly: auth.refresh answers 200 and nothing fails', async () => {
    const { page } = await openPage({ serviceWorkers: 'allow' });
    screenshotOnFailure(page, 'signed-out-quiet');
    const problems = watchProblems(page);
    const refresh = page.waitForResponse((r) => r.url().endsWith('/trpc/auth.refresh'));
    await page.goto(`${baseUrl}/`);
    await page.getByRole('heading', { level: 1, name: 'Kirish' }).waitFor();
    const answer = await refresh;
    expect(answer.status()).toBe(200);
    expect(
      ((await answer.json()) as { result: { data: { json: unknown } } }).result.data.json,
    ).toEqual({
      session: null,
      signedOutReason: null,
    });
    await page.waitForLoadState('networkidle');
    expect(problems).toEqual([]);
  });

  it('stays quiet after signing out, with a dead refresh cookie', async () => {
    const { page } = await openPage({ serviceWorkers: 'allow' });
    screenshotOnFailure(page, 'signed-out-after-logout');
    await registerDoctor(page, baseUrl, 'Zarina Qodirova');
    await page.getByRole('button', { name: 'Chiqish' }).click();
    await page.getByRole('heading', { level: 1, name: 'Kirish' }).waitFor();
    const problems = watchProblems(page);
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Kirish' }).waitFor();
    await page.waitForLoadState('networkidle');
    expect(problems).toEqual([]);
  });
});

describe('static files', () => {
  it('serves the favicon and a web app manifest in the app’s colours', async () => {
    const { page } = await openPage();
    await page.goto(`${baseUrl}/login`);
    const links = await page.evaluate(() =>
      [...document.querySelectorAll('link[rel~="icon"], link[rel="manifest"]')].map((l) =>
        l.getAttribute('href'),
      ),
    );
    expect(links).toEqual(
      expect.arrayContaining(['/favicon.ico', '/favicon.svg', '/manifest.webmanifest']),
    );

    const ico = await page.request.get(`${baseUrl}/favicon.ico`);
    expect(ico.status()).toBe(200);
    expect(ico.headers()['content-type']).toMatch(/^image\//);
    // ICO magic: reserved 0, type 1.
    expect([...(await ico.body()).subarray(0, 4)]).toEqual([0, 0, 1, 0]);
    const svg = await page.request.get(`${baseUrl}/favicon.svg`);
    expect(svg.headers()['content-type']).toMatch(/^image\/svg\+xml/);

    const manifest = (await (await page.request.get(`${baseUrl}/manifest.webmanifest`)).json()) as {
      name: string;
      theme_color: string;
      background_color: string;
      icons: { src: string; sizes: string; purpose?: string }[];
    };
    expect(manifest.name).toBe('MedoraAI');
    const colours = await page.evaluate(() => {
      const style = getComputedStyle(document.documentElement);
      return {
        primary: style.getPropertyValue('--color-primary').trim(),
        background: style.getPropertyValue('--color-bg').trim(),
        meta: document.querySelector('meta[name="theme-color"]')?.getAttribute('content'),
      };
    });
    expect(manifest.theme_color).toBe(colours.primary);
    expect(manifest.theme_color).toBe(colours.meta);
    expect(manifest.background_color).toBe(colours.background);
    expect(manifest.icons.map((i) => i.sizes)).toEqual(
      expect.arrayContaining(['192x192', '512x512']),
    );
    expect(manifest.icons.some((i) => i.purpose === 'maskable')).toBe(true);
    for (const icon of manifest.icons) {
      const answer = await page.request.get(`${baseUrl}${icon.src}`);
      expect(answer.status(), icon.src).toBe(200);
      expect(answer.headers()['content-type'], icon.src).toMatch(/^image\//);
    }
  });

  it('ships no source maps to the browser', async () => {
    const { page } = await openPage();
    const scripts: string[] = [];
    page.on('response', (r) => {
      if (r.request().resourceType() === 'script') scripts.push(r.url());
    });
    await page.goto(`${baseUrl}/login`);
    await page.getByRole('heading', { level: 1, name: 'Kirish' }).waitFor();
    expect(scripts.length).toBeGreaterThan(0);
    for (const url of [...scripts, `${baseUrl}/sw.js`]) {
      const source = await (await page.request.get(url)).text();
      expect(source, url).not.toContain('sourceMappingURL');
      const map = await page.request.get(`${url}.map`);
      expect(map.status(), `${url}.map`).toBe(404);
    }
  });
});

describe('the connectivity banner', () => {
  const texts = {
    uz: {
      unreachable: 'MedoraAI bilan bogʻlanib boʻlmayapti',
      offline: 'Internetga ulanmagansiz',
      heading: 'Kirish',
    },
    ru: {
      unreachable: 'MedoraAI сейчас недоступен',
      offline: 'Нет подключения к интернету',
      heading: 'Вход',
    },
    en: {
      unreachable: 'MedoraAI cannot be reached',
      offline: 'You are offline',
      heading: 'Sign in',
    },
  } as const;

  it.each(
    (['uz', 'ru', 'en'] as const).flatMap((locale): [keyof typeof texts, number][] => [
      [locale, 1100],
      [locale, 375],
    ]),
  )('reads well in %s at %i px', async (locale, width) => {
    const { context, page } = await openPage({ width, locale });
    screenshotOnFailure(page, `banner-${locale}-${width}`);
    const text = texts[locale];
    await page.route('**/trpc/**', (route) => route.abort('connectionrefused'));
    await page.goto(`${baseUrl}/login`);
    const banner = page.getByRole('status').filter({ hasText: text.unreachable });
    await banner.waitFor({ timeout: 20_000 });
    await page.getByRole('heading', { level: 1, name: text.heading }).waitFor();

    const fits = () =>
      page.evaluate(() => ({
        page: document.documentElement.scrollWidth <= window.innerWidth,
        banner: [...document.querySelectorAll<HTMLElement>('.offline-banner')].every(
          (b) => b.scrollWidth <= b.clientWidth,
        ),
      }));
    expect(await fits()).toEqual({ page: true, banner: true });
    await screenshot(page, `banner-unreachable-${locale}-${width}`);

    await context.setOffline(true);
    await page.getByRole('status').filter({ hasText: text.offline }).waitFor();
    expect(await banner.count()).toBe(0);
    expect(await fits()).toEqual({ page: true, banner: true });
    await screenshot(page, `banner-offline-${locale}-${width}`);
    await context.setOffline(false);
  });
});

describe('the header', () => {
  it('is drawn by index.html before the app runs, and React puts the same header in its place', async () => {
    const { page } = await openPage({ width: 390 });
    screenshotOnFailure(page, 'header-static');
    // The HTML as the server sends it, without running a script (index.html: /login and
    // /register are prerendered whole, tests/browser/prerender.test.ts).
    const html = await (
      await page.request.get(`${baseUrl}/patients`, { headers: { accept: 'text/html' } })
    ).text();
    expect(html).toMatch(/<div id="root">\s*<header class="site-header">/);
    expect(html).toMatch(/<a href="\/" class="brand">MedoraAI<\/a>/);
    await page.goto(`${baseUrl}/patients`);
    await page.getByRole('heading', { level: 1, name: 'Kirish' }).waitFor();
    expect(await page.locator('header.site-header').count()).toBe(1);
    expect(await page.locator('.site-header__shell-row').count()).toBe(0);
  });

  it('opens the language menu when Enter is pressed while its code is still on the way', async () => {
    const { page } = await openPage({ width: 390 });
    screenshotOnFailure(page, 'language-keyboard-loading');
    // The menu's code is held until Enter has been pressed on the stand-in.
    let requested!: () => void;
    const wasRequested = new Promise<void>((resolve) => (requested = resolve));
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    await page.route('**/assets/language-menu-*.js', async (route) => {
      requested();
      await released;
      await route.continue();
    });
    await page.goto(`${baseUrl}/login`);
    await appReady(page);
    const language = page.getByRole('button', { name: 'Til: Oʻzbekcha' });
    expect(await language.getAttribute('aria-haspopup')).toBe('true');
    await language.focus();
    await wasRequested;
    await page.keyboard.press('Enter');
    expect(await page.getByRole('menu').count()).toBe(0);
    release();
    await page.getByRole('menu').waitFor();
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.getAttribute('role')))
      .toBe('menuitemradio');
    // Escape gives focus back to the menu's button, which took the stand-in's place.
    await page.keyboard.press('Escape');
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-label')))
      .toBe('Til: Oʻzbekcha');
    expect(await page.getByRole('menu').count()).toBe(0);
  });

  it('opens the language menu from the keyboard once focus has loaded its code', async () => {
    const { page } = await openPage({ width: 390 });
    screenshotOnFailure(page, 'language-keyboard');
    await page.goto(`${baseUrl}/login`);
    await appReady(page);
    const language = page.getByRole('button', { name: 'Til: Oʻzbekcha' });
    // Focus loads the menu, which takes the stand-in's place (React Aria marks its button
    // with data-rac): focus stays on the button.
    await language.focus();
    await page.locator('button[data-rac][aria-label="Til: Oʻzbekcha"]').waitFor();
    expect(await page.evaluate(() => document.activeElement?.hasAttribute('data-rac'))).toBe(true);
    await page.keyboard.press('Enter');
    await page.getByRole('menu').waitFor();
    expect(await page.evaluate(() => document.activeElement?.getAttribute('role'))).toBe(
      'menuitemradio',
    );
    await page.keyboard.press('Escape');
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-label')))
      .toBe('Til: Oʻzbekcha');
    await language.press('ArrowDown');
    await page.getByRole('menuitemradio', { name: 'English' }).click();
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
  });
});
