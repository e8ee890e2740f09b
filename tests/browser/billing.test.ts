/**
 * The money path in a real Chromium: a doctor on trial opens /subscription, uploads a PNG
 * receipt (previewed, with progress), sends it for a plan and sees it pending; an administrator
 * reviews it in /admin/payments with the receipt shown inline and approves it; the doctor
 * reloads and sees the new status and the end date the API set. And a rejection: its reason
 * reaches the doctor, who may send again.
 */
import { createDb, type Db } from '@medora/db';
import { factories } from '@medora/core/testing';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { en as adminEn } from '../../apps/web/src/features/admin/i18n/en';
import { uz as subUz } from '../../apps/web/src/features/subscription/i18n/uz';
import { uz as shellUz } from '../../apps/web/src/i18n/uz';
import {
  expectNoSeriousA11yViolations,
  launchChromium,
  png,
  randomPhone,
  registerDoctor,
  screenshotOnFailure,
  signInAdminFirstTime,
} from './support';

const baseUrl = inject('baseUrl');
const databaseUrl = inject('databaseUrl');

// The page's own words, so the test follows the translations instead of copying them.
const s = subUz.subscription as Record<string, string> & {
  paymentStatus: Record<string, string>;
  statuses: Record<string, string>;
};
const a = adminEn.admin;
const banner = shellUz.banner as Record<string, string>;

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

const UZ_MONTHS = [
  'yanvar',
  'fevral',
  'mart',
  'aprel',
  'may',
  'iyun',
  'iyul',
  'avgust',
  'sentabr',
  'oktabr',
  'noyabr',
  'dekabr',
];
/** The web client's Uzbek date ("2026-yil 3-dekabr"), in this machine's zone as the browser's. */
const uzDate = (d: Date) => `${d.getFullYear()}-yil ${d.getDate()}-${UZ_MONTHS[d.getMonth()]}`;

const letters = () =>
  Array.from({ length: 6 }, () => String.fromCharCode(97 + Math.floor(Math.random() * 26))).join(
    '',
  );

async function doctorPlan() {
  return db
    .selectFrom('plans')
    .select(['id', 'name_uz'])
    .where('code', '=', 'doctor_monthly')
    .executeTakeFirstOrThrow();
}

/** On /subscription: choose the plan, upload the receipt, send; the pending notice follows. */
async function sendReceipt(page: Page, planName: string, fileName: string) {
  await page.goto(`${baseUrl}/subscription`);
  await page.getByRole('heading', { level: 1, name: s.title }).waitFor({ timeout: 20_000 });
  await page.getByRole('radio', { name: planName }).check();
  // The field's button (in the page's language) opens the browser's file picker.
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: `${s.receipt} ${s.receiptChoose}` }).click();
  await (await chooser).setFiles({ name: fileName, mimeType: 'image/png', buffer: png(48) });
  await page
    .getByText(s.receiptUploaded!.replace('{{name}}', fileName), { exact: true })
    .first()
    .waitFor({ timeout: 20_000 });
  // The chosen image is previewed before it is sent.
  const thumb = page.getByRole('img', { name: s.receiptPreviewAlt!.replace('{{name}}', fileName) });
  await expect(thumb.evaluate((img: HTMLImageElement) => img.naturalWidth)).resolves.toBe(48);
  await page.getByRole('button', { name: s.send }).click();
  await page.getByRole('heading', { level: 2, name: s.pendingTitle }).waitFor({ timeout: 20_000 });
}

async function openAdminReview(context: BrowserContext, doctorName: string): Promise<Page> {
  const f = factories(db);
  const admin = await f.admin({ locale: 'en', phone: randomPhone().e164 });
  const page = await context.newPage();
  screenshotOnFailure(page, 'billing-admin');
  await signInAdminFirstTime(page, baseUrl, admin.phone);
  await page.waitForURL((url) => url.pathname === '/admin', { timeout: 20_000 });
  await page
    .getByRole('navigation', { name: a.nav.label })
    .getByRole('link', { name: a.nav.payments })
    .click();
  await page.getByRole('heading', { level: 1, name: a.payments.title }).waitFor();
  // The queue shows pending payments by default.
  await expect(page.getByLabel(a.payments.filter).inputValue()).resolves.toBe('pending');
  const link = page.getByRole('link', { name: new RegExp(doctorName) });
  await link.waitFor({ timeout: 20_000 });
  await link.click();
  await page.getByRole('heading', { level: 1, name: a.payment.title }).waitFor();
  return page;
}

describe('paying by receipt', () => {
  it('a trial doctor sends a receipt, an admin approves it, and the doctor sees the new end', async () => {
    const plan = await doctorPlan();
    const doctorContext = await browser.newContext({ viewport: { width: 1200, height: 900 } });
    const doctor = await doctorContext.newPage();
    screenshotOnFailure(doctor, 'billing-doctor');
    const name = `Dilnoza Tolovova ${letters()}`;
    await registerDoctor(doctor, baseUrl, name);
    // The doctor's navigation leads to the page.
    await doctor.getByRole('link', { name: 'Obuna' }).first().click();
    await doctor.getByRole('heading', { level: 1, name: s.title }).waitFor({ timeout: 20_000 });
    await doctor.getByText(s.statuses.trialing!, { exact: true }).waitFor();
    await expectNoSeriousA11yViolations(doctor, 'subscription (trial)');

    await sendReceipt(doctor, plan.name_uz, 'chek.png');
    // Waiting for review: no second form to send.
    await expect(doctor.getByRole('button', { name: s.send }).count()).resolves.toBe(0);
    await doctor.getByRole('cell', { name: s.paymentStatus.pending }).waitFor();
    await expectNoSeriousA11yViolations(doctor, 'subscription (pending)');

    const adminContext = await browser.newContext({ viewport: { width: 1200, height: 900 } });
    const admin = await openAdminReview(adminContext, name);
    // The receipt is shown inline: the bytes fetched with the admin's token, as a blob: image.
    const receipt = admin.getByRole('img', { name: 'Receipt chek.png' });
    await receipt.waitFor({ timeout: 20_000 });
    await expect(receipt.evaluate((img: HTMLImageElement) => img.naturalWidth)).resolves.toBe(48);
    await expect(receipt.getAttribute('src')).resolves.toMatch(/^blob:/);
    await expectNoSeriousA11yViolations(admin, 'admin payment review');

    await admin.getByRole('button', { name: a.payment.approve }).click();
    const dialog = admin.getByRole('alertdialog', { name: a.payment.confirmApprove });
    await dialog.waitFor();
    await dialog.getByRole('button', { name: a.payment.approve }).click();
    await admin.getByText(/The payment is approved\. The subscription runs until/).waitFor({
      timeout: 20_000,
    });

    const row = await db
      .selectFrom('payments')
      .innerJoin('workspaces', 'workspaces.id', 'payments.workspace_id')
      .select(['payments.status', 'payments.period_end_after', 'workspaces.subscription_status'])
      .where('payments.submitted_by', 'in', (qb) =>
        qb.selectFrom('users').select('id').where('name', '=', name),
      )
      .executeTakeFirstOrThrow();
    expect(row.status).toBe('approved');
    expect(row.subscription_status).toBe('active');
    const periodEnd = row.period_end_after!;

    await doctor.reload();
    await doctor.getByRole('heading', { level: 1, name: s.title }).waitFor({ timeout: 20_000 });
    await doctor.getByText(s.statuses.active!, { exact: true }).waitFor();
    await expect(doctor.getByTestId('subscription-ends-at').innerText()).resolves.toBe(
      uzDate(periodEnd),
    );
    await doctor.getByText(s.paidUntil!.replace('{{date}}', uzDate(periodEnd))).waitFor();
    // Paid again, so the form is back for the next period.
    await doctor.getByRole('button', { name: s.send }).waitFor();

    await adminContext.close();
    await doctorContext.close();
  });

  it('a rejection with its reason reaches the doctor, who may send again', async () => {
    const plan = await doctorPlan();
    const doctorContext = await browser.newContext({ viewport: { width: 1200, height: 900 } });
    const doctor = await doctorContext.newPage();
    screenshotOnFailure(doctor, 'billing-doctor-reject');
    const name = `Rustam Chekov ${letters()}`;
    await registerDoctor(doctor, baseUrl, name);
    await sendReceipt(doctor, plan.name_uz, 'xira-chek.png');

    const adminContext = await browser.newContext({ viewport: { width: 1200, height: 900 } });
    const admin = await openAdminReview(adminContext, name);
    const rejectButton = admin.getByRole('button', { name: a.payment.reject });

    // The reason dialog: focus moves in, Escape closes it and focus returns to its button.
    await rejectButton.focus();
    await admin.keyboard.press('Enter');
    const dialog = admin.getByRole('dialog', { name: a.payment.rejectTitle });
    await dialog.waitFor();
    await expect(admin.evaluate(() => document.activeElement?.id)).resolves.toBe('reject-reason');
    await admin.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    await expect(rejectButton.evaluate((el) => el === document.activeElement)).resolves.toBe(true);

    // A reason is required.
    await rejectButton.click();
    await dialog.getByRole('button', { name: a.payment.reject }).click();
    await dialog.getByText('This field is required.').first().waitFor();
    const reason = 'Chekdagi summa koʻrinmaydi';
    await dialog.getByLabel(a.payment.reason).fill(reason);
    await dialog.getByRole('button', { name: a.payment.reject }).click();
    await admin.getByText(a.payment.rejected).waitFor({ timeout: 20_000 });

    await doctor.reload();
    await doctor
      .getByRole('heading', { level: 2, name: s.historyTitle })
      .waitFor({ timeout: 20_000 });
    await doctor.getByText(s.rejectionReason!.replace('{{reason}}', reason)).waitFor();
    await doctor.getByRole('cell', { name: new RegExp(s.paymentStatus.rejected!) }).waitFor();
    // Rejected: the doctor may send a new receipt.
    await doctor.getByRole('button', { name: s.send }).waitFor();

    await adminContext.close();
    await doctorContext.close();
  });

  it('warns on every page when the trial is about to end, and alerts once it has ended', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    screenshotOnFailure(page, 'billing-banner');
    const name = `Malika Muddatova ${letters()}`;
    await registerDoctor(page, baseUrl, name);
    const workspace = db
      .updateTable('workspaces')
      .where('id', 'in', (qb) =>
        qb
          .selectFrom('workspace_members')
          .innerJoin('users', 'users.id', 'workspace_members.user_id')
          .select('workspace_members.workspace_id')
          .where('users.name', '=', name),
      );

    // Two days (less a minute) left: a polite status with a way to renew.
    await workspace
      .set({ trial_ends_at: new Date(Date.now() + 2 * 86_400_000 - 60_000) })
      .execute();
    await page.goto(`${baseUrl}/patients`);
    const near = page.getByRole('status').filter({
      hasText: banner.trialEnds_other!.replace('{{count}}', '2'),
    });
    await near.waitFor({ timeout: 20_000 });
    await near.getByRole('link', { name: banner.renew }).waitFor();

    // Ended: an alert; the records stay, the link leads to the subscription page.
    await workspace.set({ trial_ends_at: new Date(Date.now() - 60_000) }).execute();
    await page.reload();
    const ended = page.getByRole('alert').filter({ hasText: banner.ended! });
    await ended.waitFor({ timeout: 20_000 });
    await expect(page.getByRole('status').filter({ hasText: banner.renew! }).count()).resolves.toBe(
      0,
    );
    await ended.getByRole('link', { name: banner.renew }).click();
    await page.waitForURL((url) => url.pathname === '/subscription');
    await page.getByText(s.ended!).waitFor();
    // An ended trial may still pay.
    await page.getByRole('button', { name: s.send }).waitFor();
    await expectNoSeriousA11yViolations(page, 'subscription (ended, 390 px)');
    await context.close();
  });

  it('an admin creates, archives and restores a plan, and extends a workspace by hand', async () => {
    const f = factories(db);
    const doctor = await f.doctor({
      name: `Jasur Uzaytirov ${letters()}`,
      phone: randomPhone().e164,
    });
    const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
    const page = await context.newPage();
    screenshotOnFailure(page, 'billing-plans');
    const admin = await f.admin({ locale: 'en', phone: randomPhone().e164 });
    await signInAdminFirstTime(page, baseUrl, admin.phone);
    await page.waitForURL((url) => url.pathname === '/admin', { timeout: 20_000 });
    await page.getByRole('link', { name: a.nav.plans }).click();
    await page.getByRole('heading', { level: 1, name: a.plans.title }).waitFor();

    const code = `test_${letters()}`;
    const create = async () => {
      await page.getByRole('button', { name: a.plans.new }).click();
      await page.getByRole('heading', { level: 2, name: a.plans.newTitle }).waitFor();
      await page.getByLabel(a.plans.code).fill(code);
      await page.getByLabel(a.plans.nameUz).fill('Sinov klinikasi');
      await page.getByLabel(a.plans.nameRu).fill('Тестовая клиника');
      await page.getByLabel(a.plans.nameEn).fill('Test clinic');
      await page.getByLabel(a.plans.priceSum).fill('150000.5');
      await page.getByLabel(a.plans.durationDays).fill('30');
      await page.getByLabel(a.plans.unlimitedAnalyses).check();
      await page.getByLabel(a.plans.storage, { exact: true }).fill('2.5');
      await page.getByLabel(a.plans.storageUnit).selectOption('GB');
      await page.getByLabel(a.plans.sortOrder).fill('40');
      await page.getByRole('button', { name: a.plans.create }).click();
    };
    await create();
    await page.getByText(a.plans.created).waitFor({ timeout: 20_000 });
    // Sum to tiyin, GB to bytes, "unlimited" to null.
    const row = await db
      .selectFrom('plans')
      .select(['price_tiyin', 'storage_quota_bytes', 'max_analyses_per_month', 'is_active'])
      .where('code', '=', code)
      .executeTakeFirstOrThrow();
    expect(Number(row.price_tiyin)).toBe(15_000_050);
    expect(Number(row.storage_quota_bytes)).toBe(2.5 * 1024 ** 3);
    expect(row.max_analyses_per_month).toBeNull();

    // The same code again: said at the form, nothing created.
    await create();
    // At the code field, and in the summary that links to it.
    await page
      .getByText('A plan with this code already exists.', { exact: true })
      .waitFor({ timeout: 20_000 });
    await page.getByRole('link', { name: `${a.plans.code}: A plan with this code` }).waitFor();
    await expect(
      db.selectFrom('plans').select('id').where('code', '=', code).execute(),
    ).resolves.toHaveLength(1);
    await page.getByRole('button', { name: a.cancel }).click();

    const planRow = page.getByRole('row').filter({ hasText: code });
    await planRow.getByRole('button', { name: a.plans.archive }).click();
    const confirm = page.getByRole('alertdialog', { name: /Archive the plan/ });
    await confirm.getByRole('button', { name: a.plans.archive }).click();
    await page.getByText(a.plans.archived).waitFor({ timeout: 20_000 });
    await planRow.getByText(a.plans.archivedBadge).waitFor();
    await planRow.getByRole('button', { name: a.plans.restore }).click();
    await page.getByText(a.plans.restored).waitFor({ timeout: 20_000 });
    await planRow.getByText(a.plans.active, { exact: true }).waitFor();
    await expectNoSeriousA11yViolations(page, 'admin plans');

    // Another administrator saves the plan while this form is open: this save is refused,
    // said plainly, and the other change stands (the form would have written the old price back).
    await planRow.getByRole('button', { name: a.plans.edit }).click();
    await page
      .getByRole('heading', { level: 2, name: a.plans.editTitle.replace('{{code}}', code) })
      .waitFor();
    await db
      .updateTable('plans')
      .set({ price_tiyin: 20_000_000, updated_at: new Date(Date.now() + 1000) })
      .where('code', '=', code)
      .execute();
    await page.getByLabel(a.plans.durationDays).fill('31');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page
      .getByText('Someone else changed this plan while you were editing it.', { exact: false })
      .first()
      .waitFor({ timeout: 20_000 });
    const stood = await db
      .selectFrom('plans')
      .select(['price_tiyin', 'duration_days'])
      .where('code', '=', code)
      .executeTakeFirstOrThrow();
    expect([Number(stood.price_tiyin), stood.duration_days]).toEqual([20_000_000, 30]);
    await page.getByRole('button', { name: a.cancel }).click();

    // A manual extension on the user's page.
    const before = await db
      .selectFrom('workspaces')
      .select('access_ends_at')
      .where('id', '=', doctor.workspaceId)
      .executeTakeFirstOrThrow();
    await page.goto(`${baseUrl}/admin/users/${doctor.userId}`);
    await page
      .getByRole('heading', { level: 2, name: a.extend.title })
      .waitFor({ timeout: 20_000 });
    await page.getByLabel(a.extend.days).fill('10');
    await page.getByLabel(a.extend.reason).fill('Bank transfer received by phone');
    await page.getByRole('button', { name: a.extend.submit }).click();
    await page.getByText(/Extended by 10 days: access until/).waitFor({ timeout: 20_000 });
    const after = await db
      .selectFrom('workspaces')
      .select('access_ends_at')
      .where('id', '=', doctor.workspaceId)
      .executeTakeFirstOrThrow();
    expect(after.access_ends_at!.getTime() - before.access_ends_at!.getTime()).toBe(
      10 * 86_400_000,
    );
    await context.close();
  });
});
