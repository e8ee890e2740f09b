/**
 * Notifications in a real Chromium: the header's bell carries the unread count in its accessible
 * name, the page words each notification in the interface language, and marking read updates
 * the list and the badge. Also the profile's e-mail field.
 */
import { randomBytes } from 'node:crypto';
import { notify } from '@medora/core';
import { createDb, type Db } from '@medora/db';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import {
  expectNoSeriousA11yViolations,
  launchChromium,
  registerDoctor,
  screenshot,
  screenshotOnFailure,
} from './support';

const baseUrl = inject('baseUrl');
const databaseUrl = inject('databaseUrl');

let browser: Browser;
let context: BrowserContext;
let page: Page;
let db: Db;

beforeAll(async () => {
  browser = await launchChromium();
  db = createDb(databaseUrl).db;
});
afterAll(async () => {
  await browser?.close();
  await db?.destroy();
});
beforeEach(async () => {
  context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
  page = await context.newPage();
});
afterEach(async () => {
  await context?.close();
});

async function userIdOf(phone: string): Promise<string> {
  const row = await db
    .selectFrom('users')
    .select('id')
    .where('phone', '=', phone)
    .executeTakeFirstOrThrow();
  return row.id;
}

describe('notifications', () => {
  it('shows the unread count on the bell, words the list, and marks read', async () => {
    screenshotOnFailure(page, 'notifications');
    const account = await registerDoctor(page, baseUrl, 'Nodira Yusupova');
    const bell = page.getByRole('banner').getByRole('link', { name: /^Bildirishnomalar/ });
    await expect.poll(() => bell.getAttribute('aria-label')).toBe('Bildirishnomalar');

    const userId = await userIdOf(account.phone.e164);
    await db.transaction().execute(async (trx) => {
      await notify(
        trx,
        {
          workspaceId: null,
          kind: 'payment_rejected',
          params: { reason: 'Chek oʻqilmaydi' },
          dedupeKey: `payment_rejected:${randomBytes(6).toString('hex')}`,
        },
        [userId],
      );
      await notify(
        trx,
        {
          workspaceId: null,
          kind: 'payment_approved',
          params: { planCode: 'doctor_monthly', periodEnd: '2027-01-05T19:30:00.000Z' },
          dedupeKey: `payment_approved:${randomBytes(6).toString('hex')}`,
        },
        [userId],
      );
    });
    // The badge follows on focus (or within a minute): a reload is the quick way here.
    await page.reload();
    await expect
      .poll(() => bell.getAttribute('aria-label'), { timeout: 20_000 })
      .toBe('Bildirishnomalar: 2 ta oʻqilmagan');

    await bell.click();
    await page
      .getByRole('heading', { level: 1, name: 'Bildirishnomalar' })
      .waitFor({ timeout: 20_000 });
    const main = page.getByRole('main');
    await expect.poll(() => main.getByRole('listitem').count()).toBe(2);
    await expect.poll(() => main.innerText()).toContain('«Shifokor (oylik)» tarifi');
    await expect.poll(() => main.innerText()).toContain('Sabab: Chek oʻqilmaydi.');
    await expectNoSeriousA11yViolations(page, 'notifications page');
    await screenshot(page, 'notifications');

    await main
      .getByRole('listitem')
      .filter({ hasText: 'Toʻlov rad etildi' })
      .getByRole('button', { name: 'Oʻqilgan deb belgilash', exact: true })
      .click();
    await expect.poll(() => main.getByRole('status').first().innerText()).toContain('belgilandi');
    await expect
      .poll(() => bell.getAttribute('aria-label'))
      .toBe('Bildirishnomalar: 1 ta oʻqilmagan');

    await main.getByRole('button', { name: 'Hammasini oʻqilgan deb belgilash' }).click();
    await expect.poll(() => bell.getAttribute('aria-label')).toBe('Bildirishnomalar');
    await expect
      .poll(() => main.getByRole('button', { name: 'Oʻqilgan deb belgilash', exact: true }).count())
      .toBe(0);
  });

  it('saves and clears an e-mail on the profile, refusing a malformed one', async () => {
    screenshotOnFailure(page, 'profile-email');
    const account = await registerDoctor(page, baseUrl, 'Sardor Aliyev');
    await page.goto(`${baseUrl}/profile`);
    await page.getByRole('heading', { level: 1, name: 'Profil' }).waitFor({ timeout: 20_000 });
    const email = page.getByLabel('Elektron pochta');
    const save = page.getByRole('button', { name: 'Oʻzgarishlarni saqlash' });
    await email.fill('not-an-email');
    await save.click();
    await expect
      .poll(() => page.getByRole('main').innerText())
      .toContain('Elektron pochta manzilini kiriting');
    await email.fill('sardor@example.uz');
    await save.click();
    await expect
      .poll(
        async () =>
          (
            await db
              .selectFrom('users')
              .select('email')
              .where('phone', '=', account.phone.e164)
              .executeTakeFirstOrThrow()
          ).email,
      )
      .toBe('sardor@example.uz');
    await email.fill('');
    await save.click();
    await expect
      .poll(
        async () =>
          (
            await db
              .selectFrom('users')
              .select('email')
              .where('phone', '=', account.phone.e164)
              .executeTakeFirstOrThrow()
          ).email,
      )
      .toBeNull();
  });
});
