/**
 * The admin console in a real Chromium: an administrator opens the dashboard and the users list,
 * finds a doctor and deactivates them through the confirmation dialog, and the account is off.
 */
import { createDb, type Db } from '@medora/db';
import { factories } from '@medora/core/testing';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  expectNoSeriousA11yViolations,
  launchChromium,
  randomPhone,
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

describe('the admin console', () => {
  it('shows the overview and the users, and deactivates a doctor after confirmation', async () => {
    const f = factories(db);
    const admin = await f.admin({ locale: 'en', phone: randomPhone().e164 });
    const suffix = Math.random().toString(36).slice(2, 8);
    const doctor = await f.doctor({ name: `Zafar Konsolov ${suffix}`, phone: randomPhone().e164 });

    const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
    const page = await context.newPage();
    screenshotOnFailure(page, 'admin-console');
    // Sign-in through the form: password, then the authenticator's set-up at first sign-in.
    await signInAdminFirstTime(page, baseUrl, admin.phone);
    await page.waitForURL((url) => url.pathname === '/admin', { timeout: 20_000 });

    await page
      .getByRole('heading', { level: 1, name: 'Administration' })
      .waitFor({ timeout: 20_000 });
    await page.getByText('Doctors', { exact: true }).waitFor();
    // Each chart's numbers are also a table for screen readers.
    await expect(
      page.getByRole('table', { name: 'Analyses per day (last 30 days)' }).count(),
    ).resolves.toBe(1);
    await expectNoSeriousA11yViolations(page, 'admin dashboard');

    await page.getByRole('link', { name: 'Users' }).click();
    await page.getByRole('heading', { level: 1, name: 'Users' }).waitFor();
    await page.getByLabel('Name or phone').fill(suffix);
    await page.keyboard.press('Enter');
    const link = page.getByRole('link', { name: doctor.name });
    await link.waitFor({ timeout: 20_000 });
    await expectNoSeriousA11yViolations(page, 'admin users');
    await link.click();

    await page.getByRole('heading', { level: 1, name: doctor.name }).waitFor();
    await page.getByRole('button', { name: 'Deactivate' }).click();
    const dialog = page.getByRole('alertdialog', { name: 'Deactivate this account?' });
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Deactivate' }).click();
    await page.getByText('The account is deactivated and its sessions are ended.').waitFor();
    await page.getByRole('button', { name: 'Activate' }).waitFor();

    const row = await db
      .selectFrom('users')
      .select('is_active')
      .where('id', '=', doctor.userId)
      .executeTakeFirstOrThrow();
    expect(row.is_active).toBe(false);
    await context.close();
  });
});
