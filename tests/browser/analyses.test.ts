/**
 * Analyses in a real Chromium: a doctor opens New analysis from a patient's page, is stopped by
 * the shared schema first (the summary takes focus), picks an analyte with the keyboard, pastes
 * printout lines (an unknown one is listed back), sends, follows the live status to the end and
 * reads the report: the red-flag banner and the lab flags in words. Then the form with an error
 * and the report in uz, ru and en at 390 px and on a desktop, scanned with axe and photographed.
 */
import { mkdir } from 'node:fs/promises';
import { createDb, type Db } from '@medora/db';
import { factories, TEST_PASSWORD } from '@medora/core/testing';
import type { Locale } from '@medora/schema';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  expectNoSeriousA11yViolations,
  launchChromium,
  randomPhone,
  screenshot,
  screenshotOnFailure,
  watchCsp,
} from './support';

const baseUrl = inject('baseUrl');
const databaseUrl = inject('databaseUrl');
const SHOTS = '/tmp/shots';

let browser: Browser;
let db: Db;

beforeAll(async () => {
  expect(databaseUrl, 'the browser tests need the database of the server they test').not.toBe('');
  browser = await launchChromium();
  db = createDb(databaseUrl).db;
  await mkdir(SHOTS, { recursive: true });
});
afterAll(async () => {
  await browser?.close();
  await db?.destroy();
});

const words: Record<
  Locale,
  {
    newAnalysis: string;
    send: string;
    analyte: string;
    pasteButton: string;
    redFlags: string;
    critHigh: string;
    low: string;
    completed: string;
  }
> = {
  uz: {
    newAnalysis: 'Yangi tahlil',
    send: 'Tahlilga yuborish',
    analyte: 'Koʻrsatkich',
    pasteButton: 'Bu natijalarni qoʻshish',
    redFlags: 'Xavfli belgilar',
    critHigh: 'Xavfli darajada yuqori',
    low: 'Past',
    completed: 'Tayyor',
  },
  ru: {
    newAnalysis: 'Новый анализ',
    send: 'Отправить на анализ',
    analyte: 'Показатель',
    pasteButton: 'Добавить эти результаты',
    redFlags: 'Тревожные признаки',
    critHigh: 'Критически повышен',
    low: 'Понижен',
    completed: 'Готов',
  },
  en: {
    newAnalysis: 'New analysis',
    send: 'Send for analysis',
    analyte: 'Test',
    pasteButton: 'Add these results',
    redFlags: 'Red flags',
    critHigh: 'Critically high',
    low: 'Low',
    completed: 'Completed',
  },
};

async function signInAsNewDoctor(page: Page, locale: Locale) {
  const f = factories(db);
  const doctor = await f.doctor({ locale, phone: randomPhone().e164, name: 'Nodira Saidova' });
  const patient = await f.patient(doctor, { lastName: 'Karimova', firstName: 'Madina' });
  await page.goto(`${baseUrl}/login`);
  await page.locator('#login-phone').fill(doctor.phone);
  await page.locator('#login-password').fill(TEST_PASSWORD);
  await page.locator('main form button[type=submit]').click();
  await page.waitForURL((url) => url.pathname !== '/login', { timeout: 20_000 });
  return { doctor, patient };
}

/** From the patient's page to a sent analysis and its finished report. */
async function createAnalysis(page: Page, locale: Locale, patientId: string, shot?: string) {
  const w = words[locale];
  await page.goto(`${baseUrl}/patients/${patientId}`);
  await page.getByRole('link', { name: w.newAnalysis }).click();
  await page.getByRole('heading', { level: 1, name: new RegExp(w.newAnalysis) }).waitFor();

  // Nothing entered: the schema refuses it here, and the summary takes focus.
  await page.getByRole('button', { name: w.send }).click();
  const summary = page.locator('.error-summary');
  await summary.waitFor();
  await expect.poll(() => summary.evaluate((el) => el === document.activeElement)).toBe(true);
  await expectNoSeriousA11yViolations(page, `analysis form with an error (${locale})`);
  if (shot) await page.screenshot({ path: `${SHOTS}/form-error-${shot}.png`, fullPage: true });

  await page.locator('#analysis-complaints').fill('Holsizlik, yurak urishi');
  // Tab order follows the form: complaints, history, medications, then the vitals.
  await page.keyboard.press('Tab');
  expect(await page.evaluate(() => document.activeElement?.id)).toBe('analysis-history');
  await page.keyboard.press('Tab');
  expect(await page.evaluate(() => document.activeElement?.id)).toBe('analysis-medications');
  await page.keyboard.press('Tab');
  expect(await page.evaluate(() => document.activeElement?.id)).toBe('analysis-systolicBp');
  await page.locator('#analysis-systolicBp').fill('128');
  await page.locator('#analysis-diastolicBp').fill('82');

  // The picker by keyboard: type, arrow down, Enter.
  const row = page.locator('.lab-row').first();
  const combo = row.getByRole('combobox', { name: w.analyte });
  await combo.focus();
  await combo.pressSequentially(locale === 'ru' ? 'Кали' : locale === 'uz' ? 'Kaliy' : 'Potass');
  // Wait until the list is filtered: the unfiltered list can still show for a moment.
  await expect
    .poll(() => page.getByRole('option').first().textContent())
    .toMatch(/Kaliy|Калий|Potassium/);
  await combo.press('ArrowDown');
  await combo.press('Enter');
  await expect.poll(() => combo.inputValue()).toMatch(/Kaliy|Калий|Potassium/);
  await row.locator('input[inputmode=decimal]').first().fill('7.1');
  expect(await row.locator('select').inputValue()).toBe('mmol/L');

  await page.locator('#analysis-paste').fill('Hemoglobin 95 g/L\nGlobulin X 3 g/L');
  await page.getByRole('button', { name: w.pasteButton }).click();
  await page.locator('.paste-box .notice').filter({ hasText: 'Globulin X 3 g/L' }).waitFor();
  await expect.poll(() => page.locator('.lab-row').count()).toBe(2);

  await page.getByRole('button', { name: w.send }).click();
  await page.waitForURL(/\/analyses\/[0-9a-f-]{36}$/, { timeout: 20_000 });
  // The live status ends by itself and the report replaces it.
  await page.locator('.red-flags').waitFor({ timeout: 30_000 });
  await page.locator('.status', { hasText: w.completed }).waitFor();
}

describe('a doctor sends an analysis and reads the report', () => {
  it('creates it from the patient page and sees the red flag and the lab flags', async () => {
    const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
    const page = await context.newPage();
    screenshotOnFailure(page, 'analyses-flow');
    const cspProblems = await watchCsp(page);
    const creates: string[] = [];
    const streams: (string | undefined)[] = [];
    page.on('request', (r) => {
      if (r.url().includes('/trpc/analysis.create')) creates.push(r.url());
      // The live status: server-sent events, authorized with the same bearer token.
      if (r.url().includes('/trpc/analysis.onStatus')) streams.push(r.headers()['authorization']);
    });
    try {
      const { patient } = await signInAsNewDoctor(page, 'uz');
      await createAnalysis(page, 'uz', patient.id);
      expect(creates).toHaveLength(1);
      expect(streams.length).toBeGreaterThan(0);
      expect(streams[0]).toMatch(/^Bearer /);
      const banner = page.getByRole('alert').filter({ hasText: words.uz.redFlags });
      await banner.waitFor();
      const table = page.locator('.lab-table');
      const potassium = table.getByRole('row').filter({ hasText: 'Kaliy' });
      expect(await potassium.innerText()).toContain(words.uz.critHigh);
      const hb = table.getByRole('row').filter({ hasText: 'Gemoglobin' });
      expect(await hb.innerText()).toContain(words.uz.low);
      // The score is labelled as a heuristic.
      await page.getByText(/evristika, ehtimollik emas/).waitFor();
      await expectNoSeriousA11yViolations(page, 'analysis report');

      // Feedback on the first condition shows the chosen verdict.
      const first = page.locator('.condition').first();
      if ((await first.count()) > 0) {
        await first.getByRole('button', { name: 'Tekshirish kerak' }).click();
        await expect
          .poll(() =>
            first.getByRole('button', { name: 'Tekshirish kerak' }).getAttribute('aria-pressed'),
          )
          .toBe('true');
      }

      // Back on the patient's page: the list shows the analysis and its red flag.
      await page.goto(`${baseUrl}/patients/${patient.id}`);
      const list = page.locator('.analysis-list');
      await list.getByRole('row').nth(1).waitFor();
      expect(await list.innerText()).toContain(words.uz.completed);
      await page.locator('.trend svg').waitFor();
      await screenshot(page, 'analyses-patient-page');

      // The navigation's Analyses: the workspace's analyses with the patient's name.
      await page.getByRole('navigation').getByRole('link', { name: 'Tahlillar' }).click();
      await page.waitForURL(`${baseUrl}/analyses`);
      // The workspace-wide table has the patient column (the patient page's has not).
      await page.getByRole('columnheader', { name: 'Bemor' }).waitFor();
      const recent = page.locator('.analysis-list');
      await recent.getByRole('row').nth(1).waitFor();
      expect(await recent.innerText()).toContain(patient.lastName);
      await expectNoSeriousA11yViolations(page, 'analyses list');
      expect(await cspProblems()).toEqual([]);
    } finally {
      await context.close();
    }
  });
});

const viewports = [
  { label: 'desktop', width: 1280, height: 900 },
  { label: '390', width: 390, height: 844 },
] as const;

describe.each(viewports)('analyses pages at $label width', (viewport) => {
  it.each(['uz', 'ru', 'en'] as const)('in %s', async (locale) => {
    const context = await browser.newContext({ viewport, locale: 'en-US' });
    await context.addInitScript((l) => localStorage.setItem('medora.locale', l), locale);
    const page = await context.newPage();
    const name = `${locale}-${viewport.label}`;
    screenshotOnFailure(page, `analyses-${name}`);
    try {
      const { patient } = await signInAsNewDoctor(page, locale);
      await createAnalysis(page, locale, patient.id, name);
      await expectNoSeriousA11yViolations(page, `analysis report (${locale})`);
      await page.screenshot({ path: `${SHOTS}/report-${name}.png`, fullPage: true });
      await page.emulateMedia({ media: 'print' });
      await page.screenshot({ path: `${SHOTS}/print-${name}.png`, fullPage: true });
      await page.emulateMedia({ media: 'screen' });
      await page.goto(`${baseUrl}/patients/${patient.id}`);
      await page.locator('.analysis-list').waitFor();
      await page.screenshot({ path: `${SHOTS}/patient-${name}.png`, fullPage: true });
    } finally {
      await context.close();
    }
  });
});
