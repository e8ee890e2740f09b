/**
 * The profile page in a real Chromium: the sessions list is fresh on every visit, a change saved
 * offline says at once that it waits for the connection (and is sent when it is back), ending a
 * session asks first, and the mobile header's touch targets are at least 44 px. The UI kit must
 * work under the server's CSP without injecting `<style>` elements.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import {
  expectNoSeriousA11yViolations,
  launchChromium,
  registerDoctor,
  screenshot,
  screenshotOnFailure,
  signIn,
  watchCsp,
} from './support';

const baseUrl = inject('baseUrl');
const IPHONE_UA =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1';

let browser: Browser;
let context: BrowserContext;
let other: BrowserContext;
let page: Page;

beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});
beforeEach(async () => {
  context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
  // A second browser of the same doctor: an iPhone, so its row is easy to tell apart.
  other = await browser.newContext({ userAgent: IPHONE_UA });
  page = await context.newPage();
});
afterEach(async () => {
  await context?.close();
  await other?.close();
});

/** The session rows of the table (without its header row). */
const sessionRows = (p: Page) =>
  p
    .getByRole('grid')
    .getByRole('row')
    .filter({ has: p.getByRole('gridcell') });

async function openProfile(p: Page) {
  await p.goto(`${baseUrl}/profile`);
  await p.getByRole('heading', { level: 1, name: 'Profil' }).waitFor({ timeout: 20_000 });
  await p.getByRole('grid').waitFor();
}

describe('the sessions list', () => {
  it('is fresh after a reload and on every visit: new sessions appear, ended ones are gone', async () => {
    screenshotOnFailure(page, 'profile-sessions-fresh');
    const account = await registerDoctor(page, baseUrl, 'Shahzod Qodirov');
    await openProfile(page);
    expect(await sessionRows(page).count()).toBe(1);
    await page.getByText('Boshqa faol seanslar yoʻq.').waitFor();
    // The list is kept on this device (for offline use): a stale copy must not be what shows.
    await expect
      .poll(() => page.evaluate(() => localStorage.getItem('medora.query-cache') ?? ''))
      .toContain('sessions');

    const phone = await other.newPage();
    await signIn(phone, baseUrl, account);

    // Reload: the new session is there on the first paint of the list, not after a while.
    await page.reload();
    await page.getByRole('grid').waitFor({ timeout: 20_000 });
    expect(await sessionRows(page).count()).toBe(2);
    const iphoneRow = sessionRows(page).filter({ hasText: 'iPhone' });
    expect(await iphoneRow.count()).toBe(1);

    // The iPhone signs out; a visit through the menu (no reload) no longer lists it.
    // The sign-out page may show before the server has ended the session: wait for its answer.
    const signedOut = phone.waitForResponse((r) => r.url().includes('/trpc/auth.logout'));
    await phone.getByRole('button', { name: 'Chiqish' }).click();
    expect((await signedOut).status()).toBe(200);
    await phone.getByRole('heading', { level: 1, name: 'Kirish' }).waitFor();
    await page.getByRole('link', { name: 'Bosh sahifa' }).click();
    await page
      .getByRole('heading', { level: 1, name: 'Xush kelibsiz, Shahzod Qodirov!' })
      .waitFor();
    await page.getByRole('link', { name: 'Profil' }).click();
    await page.getByRole('grid').waitFor();
    expect(await sessionRows(page).count()).toBe(1);
    expect(await sessionRows(page).filter({ hasText: 'iPhone' }).count()).toBe(0);
  });

  it('names each device, marks this one, shows IP and last activity, and asks before ending one', async () => {
    screenshotOnFailure(page, 'profile-end-session');
    const cspProblems = await watchCsp(page);
    const account = await registerDoctor(page, baseUrl, 'Gulnora Azimova');
    const phone = await other.newPage();
    await signIn(phone, baseUrl, account);
    await openProfile(page);

    const mine = sessionRows(page).filter({ hasText: 'Shu qurilma' });
    expect(await mine.count()).toBe(1);
    expect(await mine.getByRole('button').count()).toBe(0);
    const iphone = sessionRows(page).filter({ hasText: 'Safari 17, iPhone (iOS 17.0)' });
    expect(await iphone.count()).toBe(1);
    expect(await iphone.innerText()).toContain('127.0.0.1');
    expect(await iphone.innerText()).toMatch(/\d{4}-yil \d{1,2}-[a-z]+, \d{2}:\d{2}/);
    await page.getByRole('columnheader', { name: 'Oxirgi faollik' }).waitFor();

    // Ending it asks first; Cancel (focused first) and Escape change nothing.
    const end = iphone.getByRole('button', { name: 'Seansni yakunlash' });
    await end.click();
    const dialog = page.getByRole('alertdialog', { name: 'Bu seans yakunlansinmi?' });
    await dialog.waitFor();
    expect(await dialog.innerText()).toContain('Safari 17, iPhone (iOS 17.0)');
    expect(await page.evaluate(() => document.activeElement?.textContent ?? '')).toBe(
      'Bekor qilish',
    );
    await expectNoSeriousA11yViolations(page, 'profile page with the confirmation dialog');
    await screenshot(page, 'profile-confirm-uz-desktop');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    // Focus goes back to the button that opened the dialog.
    expect(await end.evaluate((el) => el === document.activeElement)).toBe(true);
    await end.click();
    await dialog.getByRole('button', { name: 'Bekor qilish' }).click();
    await dialog.waitFor({ state: 'detached' });
    expect(await sessionRows(page).count()).toBe(2);

    // Confirmed: the session ends, a notification says so and the row goes.
    await end.click();
    const ended = page.waitForResponse((r) => r.url().includes('/trpc/auth.sessions.revoke'));
    await dialog.getByRole('button', { name: 'Seansni yakunlash' }).click();
    expect((await ended).ok()).toBe(true);
    await page
      .getByRole('region', { name: 'Bildirishnomalar' })
      .getByText('Seans yakunlandi: Safari 17, iPhone (iOS 17.0).')
      .waitFor();
    await expect.poll(() => sessionRows(page).count()).toBe(1);
    await expectNoSeriousA11yViolations(page, 'profile page with a notification');

    // The iPhone is signed out for real.
    await phone.reload();
    await phone.getByRole('heading', { level: 1, name: 'Kirish' }).waitFor();
    expect(await cspProblems()).toEqual([]);
  });
});

describe('saving while offline', () => {
  it('says at once that the change waits for the connection, and sends it when it is back', async () => {
    screenshotOnFailure(page, 'profile-offline-save');
    await registerDoctor(page, baseUrl, 'Otabek Yuldashev');
    await openProfile(page);
    const name = page.getByLabel('Ism va familiya');
    await name.fill('Otabek Yoʻldoshev');

    await context.setOffline(true);
    const started = Date.now();
    await page.getByRole('button', { name: 'Oʻzgarishlarni saqlash' }).click();
    await page
      .getByRole('main')
      .getByRole('status')
      .filter({ hasText: 'Aloqa tiklanganda yuboriladi' })
      .waitFor({
        timeout: 2_000,
      });
    expect(Date.now() - started).toBeLessThan(2_000);
    // Never a "Saving…" that never ends.
    expect(await page.getByText('Saqlanmoqda…').count()).toBe(0);
    await screenshot(page, 'profile-queued-uz-desktop');

    await context.setOffline(false);
    await page
      .getByRole('main')
      .getByRole('status')
      .filter({ hasText: 'Oʻzgarishlar saqlandi.' })
      .waitFor({
        timeout: 20_000,
      });
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Profil' }).waitFor({ timeout: 20_000 });
    await expect
      .poll(() => page.getByLabel('Ism va familiya').inputValue())
      .toBe('Otabek Yoʻldoshev');
  });
});

describe('on a 375 px wide phone', () => {
  it('has header, menu and language targets of at least 44 px, and an accessible mobile menu', async () => {
    const mobile = await browser.newContext({
      viewport: { width: 375, height: 740 },
      hasTouch: true,
    });
    const p = await mobile.newPage();
    screenshotOnFailure(p, 'profile-mobile-targets');
    const cspProblems = await watchCsp(p);
    try {
      await registerDoctor(p, baseUrl, 'Zarina Nazarova');
      const sizeOf = async (name: string, locator: ReturnType<Page['getByRole']>) => {
        const box = await locator.boundingBox();
        expect(box, name).not.toBeNull();
        expect(box!.height, `${name} height`).toBeGreaterThanOrEqual(44);
        expect(box!.width, `${name} width`).toBeGreaterThanOrEqual(44);
      };

      // The navigation is folded behind "Menyu".
      const toggle = p.getByRole('button', { name: 'Menyu' });
      expect(await toggle.getAttribute('aria-expanded')).toBe('false');
      expect(await p.getByRole('link', { name: 'Profil' }).isVisible()).toBe(false);
      await sizeOf('menu button', toggle);
      const language = p.getByRole('button', { name: 'Til: Oʻzbekcha' });
      await sizeOf('language button', language);

      await toggle.click();
      expect(await toggle.getAttribute('aria-expanded')).toBe('true');
      const nav = p.getByRole('navigation', { name: 'Asosiy menyu' });
      for (const link of ['Bosh sahifa', 'Profil'])
        await sizeOf(link, nav.getByRole('link', { name: link }));
      await sizeOf('sign out', nav.getByRole('button', { name: 'Chiqish' }));
      await expectNoSeriousA11yViolations(p, 'mobile menu');
      // Escape folds it and gives focus back to the toggle.
      await nav.getByRole('link', { name: 'Profil' }).focus();
      await p.keyboard.press('Escape');
      expect(await toggle.getAttribute('aria-expanded')).toBe('false');
      expect(await toggle.evaluate((el) => el === document.activeElement)).toBe(true);

      // The language menu: each choice is a 44 px target; choosing one switches the UI.
      await language.click();
      const menu = p.getByRole('menu');
      await menu.waitFor();
      for (const item of ['Oʻzbekcha', 'Русский', 'English']) {
        await sizeOf(item, menu.getByRole('menuitemradio', { name: item }));
      }
      expect(
        await menu.getByRole('menuitemradio', { name: 'Oʻzbekcha' }).getAttribute('aria-checked'),
      ).toBe('true');
      await expectNoSeriousA11yViolations(p, 'language menu');
      await menu.getByRole('menuitemradio', { name: 'English' }).click();
      await p.getByRole('heading', { level: 1, name: 'Welcome, Zarina Nazarova!' }).waitFor();
      expect(await p.getAttribute('html', 'lang')).toBe('en');
      await p.getByText('Trial: 7 days left').waitFor();

      // A page opened after the switch comes in the new language too.
      await p.getByRole('button', { name: 'Menu' }).click();
      await p.getByRole('link', { name: 'Profile' }).click();
      await p.getByRole('heading', { level: 1, name: 'Profile' }).waitFor();
      await p.getByRole('columnheader', { name: 'Last active' }).waitFor({ state: 'attached' });
      await sizeOf('show password', p.getByRole('button', { name: 'Show password' }).first());
      await expectNoSeriousA11yViolations(p, 'profile page at 375 px');
      expect(await cspProblems()).toEqual([]);
    } finally {
      await mobile.close();
    }
  });
});
