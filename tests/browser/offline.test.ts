/**
 * Graceful degradation in a real Chromium: with the API unreachable the app says so, still shows
 * what the doctor viewed recently (persisted query cache), keeps form drafts, and forgets the
 * cached data on logout. Credentials never reach web storage.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { launchChromium, randomPhone, screenshotOnFailure } from './support';

const baseUrl = inject('baseUrl');
const OFFLINE_SERVER = 'Server bilan bogʻlanib boʻlmayapti';
const OFFLINE_BROWSER = 'Internetga ulanmagansiz';

let browser: Browser;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});
beforeEach(async () => {
  await context?.close();
  context = await browser.newContext({ viewport: { width: 1100, height: 800 } });
  page = await context.newPage();
});

async function register(name: string): Promise<string> {
  const password = `Medora-${Math.random().toString(36).slice(2, 10)}-Test`;
  await page.goto(`${baseUrl}/register`);
  await page.getByLabel('Telefon raqami').fill(randomPhone().e164);
  await page.getByLabel('Ism va familiya').fill(name);
  await page.getByLabel('Parol', { exact: true }).fill(password);
  await page.getByRole('main').getByRole('button', { name: 'Roʻyxatdan oʻtish' }).click();
  await page
    .getByRole('heading', { level: 1, name: `Xush kelibsiz, ${name}!` })
    .waitFor({ timeout: 20_000 });
  return password;
}

const storage = () =>
  page.evaluate<string>(
    'JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage })',
  );

describe('when the API is unreachable', () => {
  it('shows a banner and the recently viewed dashboard after a reload', async () => {
    screenshotOnFailure(page, 'offline-reload');
    const name = 'Nodira Yusupova';
    const password = await register(name);
    await page.getByText('Sinov muddati: 7 kun qoldi').waitFor();
    // The query cache is persisted at most once a second.
    await expect.poll(storage).toContain(name);

    // The server goes away for this browser: every API call fails at the network level.
    await page.route('**/trpc/**', (route) => route.abort('connectionrefused'));
    await page.reload();

    await page.getByRole('status').filter({ hasText: OFFLINE_SERVER }).waitFor({ timeout: 30_000 });
    await page.getByRole('heading', { level: 1, name: `Xush kelibsiz, ${name}!` }).waitFor();
    await page.getByText('Sinov muddati: 7 kun qoldi').waitFor();
    const stored = await storage();
    expect(stored).toContain(name);
    expect(stored).not.toContain(password);
    expect(stored).not.toMatch(/accessToken|refreshToken|medora_rt/);

    // The server is back: the banner goes and the session is still there (refresh cookie).
    await page.unroute('**/trpc/**');
    await page.reload();
    await page
      .getByRole('heading', { level: 1, name: `Xush kelibsiz, ${name}!` })
      .waitFor({ timeout: 20_000 });
    await expect
      .poll(() => page.getByRole('status').filter({ hasText: OFFLINE_SERVER }).count())
      .toBe(0);
  });

  it('says the browser is offline and keeps showing cached pages while navigating', async () => {
    screenshotOnFailure(page, 'offline-navigate');
    const name = 'Sardor Rahimov';
    await register(name);
    await page.getByRole('link', { name: 'Profil' }).click();
    await page.getByRole('heading', { level: 1, name: 'Profil' }).waitFor();
    await page.getByText('Shu qurilma').waitFor();

    await context.setOffline(true);
    await page.getByRole('link', { name: 'Bosh sahifa' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: OFFLINE_BROWSER })
      .waitFor({ timeout: 30_000 });
    await page.getByRole('heading', { level: 1, name: `Xush kelibsiz, ${name}!` }).waitFor();
    await page.getByRole('link', { name: 'Profil' }).click();
    await page.getByText('Shu qurilma').waitFor();
    await context.setOffline(false);
  });
});

describe('local data', () => {
  it('keeps the register form draft across a reload, never the password', async () => {
    screenshotOnFailure(page, 'draft');
    await page.goto(`${baseUrl}/register`);
    await page.getByLabel('Telefon raqami').fill('90 123 45 67');
    await page.getByLabel('Ism va familiya').fill('Qoralama Ism');
    await page.getByLabel('Parol', { exact: true }).fill('Yashirin-parol-1');
    // Drafts are written as the doctor types; give the debounce, if any, a moment.
    await expect.poll(storage).toContain('Qoralama Ism');
    await page.reload();
    await expect.poll(() => page.getByLabel('Ism va familiya').inputValue()).toBe('Qoralama Ism');
    expect(await page.getByLabel('Telefon raqami').inputValue()).toBe('90 123 45 67');
    expect(await page.getByLabel('Parol', { exact: true }).inputValue()).toBe('');
    expect(await storage()).not.toContain('Yashirin-parol-1');
  });

  it('forgets cached data and the draft on logout', async () => {
    screenshotOnFailure(page, 'logout-clears');
    const name = 'Malika Tosheva';
    await register(name);
    await expect.poll(storage).toContain(name);
    await page.getByRole('button', { name: 'Chiqish' }).click();
    await page.getByRole('heading', { level: 1, name: 'Kirish' }).waitFor();
    await expect.poll(storage).not.toContain(name);
  });
});
