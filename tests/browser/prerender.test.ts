/**
 * The sign-in and registration pages as the build draws them (apps/web/plugins/prerender.ts), in
 * a real Chromium: readable in the visitor's language before any of the app's code has arrived,
 * nothing on them acts until the app has taken over, and the app's own render replaces them
 * without the page going blank or moving.
 */
import type { Browser, BrowserContext, Page, Route } from 'playwright-core';
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

/**
 * A phone-sized page whose locale cookie says `locale`, and whose scripts under /assets are held
 * until `release()`: what a doctor on a slow connection sees before the code arrives.
 */
async function openHeld(locale?: string) {
  const context = await browser.newContext({
    viewport: { width: 390, height: 844 },
    serviceWorkers: 'block',
  });
  contexts.push(context);
  if (locale) {
    await context.addCookies([{ name: 'medora_locale', value: locale, url: baseUrl }]);
  }
  // Whether the page's heading was ever missing once it had been drawn (a blank moment).
  await context.addInitScript(() => {
    const w = window as unknown as { headingGone: boolean };
    w.headingGone = false;
    let seen = false;
    new MutationObserver(() => {
      const present = Boolean(document.querySelector('main h1'));
      if (present) seen = true;
      else if (seen) w.headingGone = true;
    }).observe(document, { childList: true, subtree: true });
  });
  const held: Route[] = [];
  let holding = true;
  const page = await context.newPage();
  await page.route('**/assets/*.js', (route) => {
    if (holding) held.push(route);
    else void route.continue().catch(() => {});
  });
  const release = () => {
    holding = false;
    // A request of a page already left is gone: continuing it fails, harmlessly.
    for (const route of held.splice(0)) void route.continue().catch(() => {});
  };
  return { page, release, held };
}

/** The app has drawn its own page in the prerendered one's place (main.tsx drops the mark). */
const takenOver = (page: Page) =>
  page.locator('#root:not([data-prerendered]) form:not([inert])').waitFor();

describe('a prerendered page', () => {
  it('is readable in the language of the cookie before any script has arrived', async () => {
    const { page, release, held } = await openHeld('ru');
    screenshotOnFailure(page, 'prerender-held-ru');
    // Not 'domcontentloaded': module scripts, held here, delay that event.
    await page.goto(`${baseUrl}/login`, { waitUntil: 'commit' });
    await page.getByRole('heading', { level: 1, name: 'Вход' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('ru');
    expect(await page.title()).toBe('Вход · MedoraAI');
    await expect.poll(() => held.length).toBeGreaterThan(0);
    await screenshot(page, 'prerendered-login-ru-390-before-script');
    // Nothing acts yet: the form is inert, so Enter cannot send the password in the address.
    expect(await page.locator('form').getAttribute('inert')).toBe('');
    await page
      .locator('#login-password')
      .press('Enter', { timeout: 1000 })
      .catch(() => {});
    await page.waitForTimeout(300);
    expect(new URL(page.url()).search).toBe('');
    // A link works without the app: it loads the other prerendered page.
    await page.getByRole('link', { name: 'Регистрация' }).first().click();
    await page.getByRole('heading', { level: 1, name: 'Регистрация' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/register');

    release();
    await takenOver(page);
    await page.getByLabel('Номер телефона').fill('90 123 45 67');
    expect(await page.getByLabel('Номер телефона').inputValue()).toBe('90 123 45 67');
  });

  it('is in Uzbek for a first visit, and the app takes it over without a blank moment or a move', async () => {
    const { page, release } = await openHeld();
    screenshotOnFailure(page, 'prerender-takeover');
    // Not 'domcontentloaded': module scripts, held here, delay that event.
    await page.goto(`${baseUrl}/login`, { waitUntil: 'commit' });
    const heading = page.getByRole('heading', { level: 1, name: 'Kirish' });
    await heading.waitFor();
    const hint = page.locator('.check-field__hint');
    const before = { heading: await heading.boundingBox(), hint: await hint.boundingBox() };
    release();
    await takenOver(page);
    // The app drew the same page where the HTML had it (a moved element would be painted anew).
    expect({ heading: await heading.boundingBox(), hint: await hint.boundingBox() }).toEqual(
      before,
    );
    expect(
      await page.evaluate(() => (window as unknown as { headingGone: boolean }).headingGone),
    ).toBe(false);
    // The app now answers: an empty submit gets its localized errors.
    await page.getByRole('button', { name: 'Kirish', exact: true }).click();
    await expect.poll(() => page.locator('[aria-invalid="true"]').count()).toBeGreaterThan(0);
  });

  it("asks for the app's code only once the page has been painted", async () => {
    const context = await browser.newContext({
      viewport: { width: 390, height: 844 },
      serviceWorkers: 'block',
    });
    contexts.push(context);
    const page = await context.newPage();
    screenshotOnFailure(page, 'prerender-paint-first');
    await page.goto(`${baseUrl}/login`);
    await takenOver(page);
    // The boot script waits for the first contentful paint before it asks for the chunks.
    const timing = await page.evaluate(() => ({
      paint: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null,
      scripts: performance
        .getEntriesByType('resource')
        .filter((e) => /\/assets\/.*\.js$/.test(e.name) && !/\/boot-[^/]*\.js$/.test(e.name))
        .map((e) => e.startTime),
    }));
    expect(timing.paint).not.toBeNull();
    expect(timing.scripts.length).toBeGreaterThan(5);
    expect(Math.min(...timing.scripts)).toBeGreaterThanOrEqual(timing.paint!);
  });

  it('remembers a language chosen in the app for the next page load', async () => {
    const context = await browser.newContext({ serviceWorkers: 'block' });
    contexts.push(context);
    const page = await context.newPage();
    screenshotOnFailure(page, 'prerender-language');
    await registerDoctor(page, baseUrl, 'Nodira Saidova');
    await page.getByRole('button', { name: 'Chiqish' }).click();
    await page.getByRole('heading', { level: 1, name: 'Kirish' }).waitFor();
    await page.getByRole('button', { name: 'Til: Oʻzbekcha' }).click();
    await page.getByRole('menuitemradio', { name: 'English' }).click();
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    // The server now sends the English page: what arrives before the app runs is in English.
    const response = await page.request.get(`${baseUrl}/login`, {
      headers: { accept: 'text/html', 'sec-fetch-mode': 'navigate' },
    });
    const html = await response.text();
    expect(html).toContain('<html lang="en">');
    expect(html).toContain('>Sign in</h1>');
  });
});
