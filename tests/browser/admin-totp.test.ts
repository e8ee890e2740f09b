/**
 * An administrator's second factor in a real Chromium: the first sign-in sets up the
 * authenticator (QR code and key, a code to confirm, recovery codes shown once); the next
 * sign-in asks for a code after the password, refuses a wrong one, and takes a recovery code.
 */
import { createDb, type Db } from '@medora/db';
import { factories, TEST_PASSWORD } from '@medora/core/testing';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  expectNoSeriousA11yViolations,
  launchChromium,
  randomPhone,
  screenshot,
  screenshotOnFailure,
  signInAdminFirstTime,
} from './support';

const baseUrl = inject('baseUrl');
const databaseUrl = inject('databaseUrl');

let browser: Browser;
let db: Db;

beforeAll(async () => {
  browser = await launchChromium();
  db = createDb(databaseUrl).db;
});
afterAll(async () => {
  await browser?.close();
  await db?.destroy();
});

describe("an administrator's second factor", () => {
  it('is set up at first sign-in, then asked for after the password', async () => {
    const admin = await factories(db).admin({ locale: 'uz', phone: randomPhone().e164 });
    const context = await browser.newContext({ viewport: { width: 375, height: 800 } });
    const page = await context.newPage();
    screenshotOnFailure(page, 'admin-totp');

    // The password alone leads to the set-up: QR code, key, and a code to confirm.
    await page.goto(`${baseUrl}/login`);
    await page.locator('#login-phone').fill(admin.phone);
    await page.locator('#login-password').fill(TEST_PASSWORD);
    await page.locator('main form button[type=submit]').click();
    await page.getByRole('heading', { level: 2, name: 'Autentifikatorni sozlang' }).waitFor();
    await page.getByRole('img', { name: /QR kod/ }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/login');
    await expectNoSeriousA11yViolations(page, 'authenticator set-up');
    await screenshot(page, 'admin-totp-enrol');

    // A second browser finishes the set-up the same way (helper), so this one starts over.
    const other = await browser.newContext();
    const { recoveryCodes } = await signInAdminFirstTime(
      await other.newPage(),
      baseUrl,
      admin.phone,
    );
    await other.close();
    expect(recoveryCodes).toHaveLength(10);

    // Now enrolled: the password asks for a code. A wrong one is refused on the page.
    await page.goto(`${baseUrl}/login`);
    await page.locator('#login-phone').fill(admin.phone);
    await page.locator('#login-password').fill(TEST_PASSWORD);
    await page.locator('main form button[type=submit]').click();
    await page.getByRole('heading', { level: 2, name: 'Autentifikator kodini kiriting' }).waitFor();
    const code = page.locator('#totp-code');
    expect(await code.getAttribute('autocomplete')).toBe('one-time-code');
    expect(await code.getAttribute('inputmode')).toBe('numeric');
    await code.fill('000000');
    await page.locator('main form button[type=submit]').click();
    await page.getByText(/Kod notoʻgʻri/).waitFor();
    expect(new URL(page.url()).pathname).toBe('/login');
    await screenshot(page, 'admin-totp-code');

    // A recovery code signs in instead, once (the page is in Uzbek until the admin's own
    // language applies after sign-in; this admin's is Uzbek too).
    await code.fill(recoveryCodes[0]!);
    await page.locator('main form button[type=submit]').click();
    await page.waitForURL((url) => url.pathname === '/admin', { timeout: 20_000 });
    await page.getByRole('heading', { level: 1, name: 'Boshqaruv' }).waitFor();

    // Signed out, the same recovery code no longer works.
    await page.setViewportSize({ width: 1200, height: 800 });
    await page.getByRole('button', { name: 'Chiqish' }).first().click();
    await page.waitForURL((url) => url.pathname === '/login', { timeout: 20_000 });
    await page.locator('#login-phone').fill(admin.phone);
    await page.locator('#login-password').fill(TEST_PASSWORD);
    await page.locator('main form button[type=submit]').click();
    await page.locator('#totp-code').fill(recoveryCodes[0]!);
    await page.locator('main form button[type=submit]').click();
    await page.getByText(/Kod notoʻgʻri/).waitFor();
    await context.close();
  });
});
