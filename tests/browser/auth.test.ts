/**
 * Sign-up, sign-out and sign-in in a real Chromium, plus an accessibility scan (axe) of the
 * register page and the dashboard. The UI starts in Uzbek, the default language.
 */
import AxeBuilder from '@axe-core/playwright';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchChromium, randomPhone, screenshotOnFailure } from './support';

const baseUrl = inject('baseUrl');

let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
});

/** Fails on serious or critical WCAG 2.1 A/AA violations, listing them readably. */
async function expectNoSeriousA11yViolations(page: Page, label: string) {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  const serious = results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
    );
  expect(serious, `axe on ${label}`).toEqual([]);
}

describe('authentication in the browser', () => {
  let context: BrowserContext;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
  });

  afterAll(async () => {
    await context?.close();
  });

  it('registers, signs out and signs in again with the phone written differently', async () => {
    screenshotOnFailure(page, 'auth-register-login');
    const phone = randomPhone();
    const name = 'Aziza Karimova';
    const password = `Medora-${Math.random().toString(36).slice(2, 10)}-Test`;

    // Register.
    await page.goto(`${baseUrl}/register`);
    await page.getByRole('heading', { level: 1, name: 'Roʻyxatdan oʻtish' }).waitFor();
    expect(await page.getAttribute('html', 'lang')).toBe('uz-Latn');
    await expect
      .poll(() => page.getByLabel('Telefon raqami').getAttribute('placeholder'))
      .toBe('+998 90 123 45 67');
    await expectNoSeriousA11yViolations(page, 'register page');

    await page.getByLabel('Telefon raqami').fill(phone.e164);
    await page.getByLabel('Ism va familiya').fill(name);
    await page.getByLabel('Parol', { exact: true }).fill(password);
    const registered = page.waitForResponse((r) => r.url().includes('/trpc/auth.register'));
    await page.getByRole('main').getByRole('button', { name: 'Roʻyxatdan oʻtish' }).click();
    const body = (await (await registered).json()) as {
      result: { data: { json: { accessToken: string } } };
    };
    const accessToken = body.result.data.json.accessToken;
    expect(accessToken.split('.')).toHaveLength(3);

    // Dashboard: greeting and 7 trial days.
    const greeting = page.getByRole('heading', { level: 1, name: `Xush kelibsiz, ${name}!` });
    await greeting.waitFor({ timeout: 20_000 });
    expect(new URL(page.url()).pathname).toBe('/');
    await page.getByText('Sinov muddati: 7 kun qoldi').waitFor();
    await expectNoSeriousA11yViolations(page, 'dashboard');

    // The access token never reaches web storage; the query cache holds no secrets.
    const stored = await page.evaluate<string>(
      'JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage })',
    );
    expect(stored).not.toContain(password);
    expect(stored).not.toContain(accessToken);
    expect(stored).not.toMatch(/accessToken/);
    // The refresh token is an httpOnly cookie: invisible to scripts.
    expect(await page.evaluate<string>('document.cookie')).not.toContain('medora_rt');

    // Sign out.
    await page.getByRole('button', { name: 'Chiqish' }).click();
    await page.getByRole('heading', { level: 1, name: 'Kirish' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/login');

    // Protected pages now send us to the login page.
    await page.goto(`${baseUrl}/profile`);
    await page.getByRole('heading', { level: 1, name: 'Kirish' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/login');

    // Sign in with "90 123 45 67" instead of "+99890…"; we come back to /profile.
    await page.getByLabel('Telefon raqami').fill(phone.national);
    await page.getByLabel('Parol', { exact: true }).fill(password);
    await page.getByRole('main').getByRole('button', { name: 'Kirish' }).click();
    await page.getByRole('heading', { level: 1, name: 'Profil' }).waitFor({ timeout: 20_000 });
    expect(new URL(page.url()).pathname).toBe('/profile');

    await page.getByRole('link', { name: 'Bosh sahifa' }).click();
    await greeting.waitFor({ timeout: 20_000 });

    // A reload keeps the session through the httpOnly refresh cookie.
    await page.reload();
    await greeting.waitFor({ timeout: 20_000 });

    expect(pageErrors).toEqual([]);
  });

  describe('with a fresh browser context', () => {
    let errorsContext: BrowserContext;
    let errorsPage: Page;

    beforeAll(async () => {
      errorsContext = await browser.newContext();
      errorsPage = await errorsContext.newPage();
    });

    afterAll(async () => {
      await errorsContext?.close();
    });

    it('shows translated field errors next to the fields', async () => {
      screenshotOnFailure(errorsPage, 'auth-field-errors');
      await errorsPage.goto(`${baseUrl}/register`);
      await errorsPage.getByRole('heading', { level: 1, name: 'Roʻyxatdan oʻtish' }).waitFor();
      await errorsPage.getByLabel('Telefon raqami').fill('12345');
      await errorsPage.getByRole('main').getByRole('button', { name: 'Roʻyxatdan oʻtish' }).click();
      const summary = errorsPage
        .getByRole('alert')
        .filter({ hasText: 'Quyidagilarni toʻgʻrilang' });
      await summary.waitFor();
      const phoneInput = errorsPage.getByLabel('Telefon raqami');
      expect(await phoneInput.getAttribute('aria-invalid')).toBe('true');
      const describedBy = (await phoneInput.getAttribute('aria-describedby')) ?? '';
      const errorId = describedBy.split(' ').find((id) => id.endsWith('-error'));
      expect(errorId).toBeTruthy();
      expect(await errorsPage.locator(`#${errorId}`).innerText()).toContain(
        'Oʻzbekiston mobil raqamini kiriting',
      );
      await expectNoSeriousA11yViolations(errorsPage, 'register page with errors');
    });
  });
});
