/**
 * Sign-up, sign-out and sign-in in a real Chromium, plus accessibility scans (axe) of the pages.
 * Also: the lock-out warning on the login form, the show-password toggle, and the reason a
 * browser was signed out (its session ended elsewhere, the password changed). The UI starts in
 * Uzbek, the default language.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import {
  expectNoSeriousA11yViolations,
  launchChromium,
  randomPhone,
  registerDoctor,
  screenshotOnFailure,
  signIn,
} from './support';

const baseUrl = inject('baseUrl');

let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
});

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

  describe('on the login form', () => {
    let loginContext: BrowserContext;
    let loginPage: Page;

    beforeAll(async () => {
      loginContext = await browser.newContext();
      loginPage = await loginContext.newPage();
    });

    afterAll(async () => {
      await loginContext?.close();
    });

    it('warns how many attempts remain before the lock, and says it once', async () => {
      screenshotOnFailure(loginPage, 'auth-attempts-left');
      const account = await registerDoctor(loginPage, baseUrl, 'Ulugbek Saidov');
      await loginPage.getByRole('button', { name: 'Chiqish' }).click();
      await loginPage.getByRole('heading', { level: 1, name: 'Kirish' }).waitFor();

      const main = loginPage.getByRole('main');
      const summary = main.getByRole('alert');
      for (let attempt = 1; attempt <= 3; attempt += 1) {
        await loginPage.getByLabel('Telefon raqami').fill(account.phone.e164);
        await loginPage.getByLabel('Parol', { exact: true }).fill(`wrong-password-${attempt}`);
        const answered = loginPage.waitForResponse((r) => r.url().includes('/trpc/auth.login'));
        await main.getByRole('button', { name: 'Kirish' }).click();
        await answered;
        await summary.filter({ hasText: 'Telefon raqami yoki parol notoʻgʻri' }).waitFor();
      }
      // After the third failure two tries are left (five before a 15-minute lock).
      await summary.filter({ hasText: '15 daqiqalik bloklashgacha 2 ta urinish qoldi.' }).waitFor();
      // The summary has focus, and the message is not repeated elsewhere on the page.
      expect(await loginPage.evaluate(() => document.activeElement?.getAttribute('role'))).toBe(
        'alert',
      );
      expect(await main.getByText('Telefon raqami yoki parol notoʻgʻri').count()).toBe(1);
      await expectNoSeriousA11yViolations(loginPage, 'login page with an error');
    });

    it('shows the password while typing with an accessible toggle', async () => {
      screenshotOnFailure(loginPage, 'auth-show-password');
      await loginPage.goto(`${baseUrl}/login`);
      const password = loginPage.getByLabel('Parol', { exact: true });
      await password.fill('Ko‘rinadigan-parol');
      const toggle = loginPage.getByRole('button', { name: 'Parolni koʻrsatish' });
      expect(await toggle.getAttribute('aria-pressed')).toBe('false');
      expect(await password.getAttribute('type')).toBe('password');
      await toggle.click();
      expect(await toggle.getAttribute('aria-pressed')).toBe('true');
      expect(await password.getAttribute('type')).toBe('text');
      expect(await password.inputValue()).toBe('Ko‘rinadigan-parol');
      await toggle.press('Enter');
      expect(await password.getAttribute('type')).toBe('password');
      // The toggle is a touch target of its own.
      const box = await toggle.boundingBox();
      expect(box?.height).toBeGreaterThanOrEqual(44);
    });
  });

  describe('signed out elsewhere', () => {
    let first: BrowserContext;
    let second: BrowserContext;

    // Two browsers of one doctor, new for each test.
    beforeEach(async () => {
      first = await browser.newContext();
      second = await browser.newContext();
    });

    afterEach(async () => {
      await first?.close();
      await second?.close();
    });

    it('says why when the session was ended from another browser', async () => {
      const pageA = await first.newPage();
      const pageB = await second.newPage();
      screenshotOnFailure(pageA, 'auth-revoked-elsewhere');
      const account = await registerDoctor(pageA, baseUrl, 'Kamola Ergasheva');
      await signIn(pageB, baseUrl, account);

      // B ends A's session from its profile page.
      await pageB.goto(`${baseUrl}/profile`);
      const end = pageB.getByRole('button', { name: 'Seansni yakunlash' });
      await end.click();
      await pageB
        .getByRole('alertdialog')
        .getByRole('button', { name: 'Seansni yakunlash' })
        .click();
      await pageB.getByText('Boshqa faol seanslar yoʻq.').waitFor();

      // A's next visit lands on the sign-in page with the reason.
      await pageA.goto(`${baseUrl}/profile`);
      await pageA.getByRole('heading', { level: 1, name: 'Kirish' }).waitFor();
      await pageA
        .getByRole('status')
        .filter({ hasText: 'Bu seans boshqa qurilmadan yakunlandi.' })
        .waitFor();
      await expectNoSeriousA11yViolations(pageA, 'login page with a signed-out reason');
    });

    it('says why when the password was changed on another browser', async () => {
      const pageA = await first.newPage();
      const pageB = await second.newPage();
      screenshotOnFailure(pageA, 'auth-password-changed-elsewhere');
      const account = await registerDoctor(pageA, baseUrl, 'Jasur Toshmatov');
      await signIn(pageB, baseUrl, account);

      await pageB.goto(`${baseUrl}/profile`);
      await pageB.getByLabel('Joriy parol').fill(account.password);
      await pageB.getByLabel('Yangi parol').fill(`${account.password}-new`);
      await pageB.getByRole('button', { name: 'Parolni oʻzgartirish' }).click();
      await pageB.getByText('Parol oʻzgartirildi.').waitFor();

      // A is on the dashboard; its next request finds the session gone.
      await pageA.reload();
      await pageA.getByRole('heading', { level: 1, name: 'Kirish' }).waitFor();
      await pageA
        .getByRole('status')
        .filter({ hasText: 'Parol oʻzgartirildi, shuning uchun bu qurilmada seans yakunlandi.' })
        .waitFor();
      // Signing out on purpose needs no explanation.
      await signIn(pageA, baseUrl, { ...account, password: `${account.password}-new` });
      await pageA.getByRole('button', { name: 'Chiqish' }).click();
      await pageA.getByRole('heading', { level: 1, name: 'Kirish' }).waitFor();
      expect(await pageA.locator('.notice').count()).toBe(0);
    });
  });
});
