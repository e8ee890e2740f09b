/**
 * The patients feature in a real Chromium: a doctor creates a patient through the form (a field
 * error first), finds them by search in either script, opens the record, uploads a PNG with a
 * progress bar that reaches 100 %, previews it from a blob: URL under the server's CSP, and sees
 * the visit in the access log. Then every patients page in uz, ru and en at 390 px and on a
 * desktop, scanned with axe and photographed into test-results/screens/.
 */
import { createDb, type Db } from '@medora/db';
import { factories, TEST_PASSWORD } from '@medora/core/testing';
import type { Locale } from '@medora/schema';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import {
  expectNoSeriousA11yViolations,
  launchChromium,
  randomPhone,
  registerDoctor,
  screenshot,
  screenshotOnFailure,
  watchCsp,
  png,
} from './support';

const baseUrl = inject('baseUrl');
const databaseUrl = inject('databaseUrl');

let browser: Browser;
let db: Db;

beforeAll(async () => {
  expect(databaseUrl, 'the browser tests need the database of the server they test').not.toBe('');
  browser = await launchChromium();
  db = createDb(databaseUrl).db;
});
afterAll(async () => {
  await browser?.close();
  await db?.destroy();
});

/** A one-page PDF with a line of text, valid enough for the server's check and a viewer. */
function minimalPdf(): string {
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 144] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    '<< /Length 44 >>\nstream\nBT /F1 18 Tf 20 70 Td (Analiz natijasi) Tj ET\nendstream',
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) out += `${String(offset).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return out;
}

/** Records the values every upload `<progress>` bar takes, as the page shows them. */
async function watchProgress(page: Page): Promise<() => Promise<number[]>> {
  await page.addInitScript(() => {
    const seen: number[] = [];
    (window as unknown as { __progress: number[] }).__progress = seen;
    new MutationObserver(() => {
      for (const bar of document.querySelectorAll('progress')) {
        const value = Number(bar.getAttribute('value'));
        if (seen.at(-1) !== value) seen.push(value);
      }
    }).observe(document, { subtree: true, childList: true, attributes: true });
  });
  return () => page.evaluate(() => (window as unknown as { __progress: number[] }).__progress);
}

describe('a doctor and a new patient', () => {
  let context: BrowserContext;
  let page: Page;
  beforeEach(async () => {
    context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
    page = await context.newPage();
  });
  afterEach(async () => {
    await context?.close();
  });

  it('creates, finds in either script, opens, attaches and previews a file, and sees the access log', async () => {
    screenshotOnFailure(page, 'patients-flow');
    const cspProblems = await watchCsp(page);
    const progressValues = await watchProgress(page);
    await registerDoctor(page, baseUrl, 'Feruza Olimova');
    const creates: string[] = [];
    page.on('request', (r) => {
      if (r.url().includes('/trpc/patient.create')) creates.push(r.url());
    });

    // The navigation leads to the (still empty) list, which offers to add the first patient.
    await page.getByRole('navigation').getByRole('link', { name: 'Bemorlar' }).click();
    await page.getByRole('heading', { level: 1, name: 'Bemorlar' }).waitFor();
    await page.getByRole('heading', { level: 2, name: 'Hali bemorlar yoʻq' }).waitFor();
    await expectNoSeriousA11yViolations(page, 'empty patient list');
    await page.getByRole('link', { name: 'Birinchi bemorni qoʻshish' }).click();
    await page.getByRole('heading', { level: 1, name: 'Yangi bemor' }).waitFor();

    // A first try without the sex and birth date: the summary takes focus and names both.
    await page.getByLabel('Familiya').fill('Shukurov');
    await page.getByLabel('Ism', { exact: true }).fill('Alisher');
    await page.getByRole('button', { name: 'Bemorni qoʻshish' }).click();
    const summary = page.getByRole('alert').filter({ hasText: 'Quyidagilarni toʻgʻrilang:' });
    await summary.waitFor();
    expect(await summary.evaluate((el) => el === document.activeElement)).toBe(true);
    await summary.getByRole('link', { name: 'Jinsi: Jinsni tanlang.' }).waitFor();
    await summary
      .getByRole('link', {
        name: 'Tugʻilgan sana: Tugʻilgan sanani yoki, u nomaʼlum boʻlsa, yoshni kiriting.',
      })
      .waitFor();
    expect(await page.getByLabel('Jinsi').getAttribute('aria-invalid')).toBe('true');
    await expectNoSeriousA11yViolations(page, 'patient form with errors');
    // Nothing was sent: the shared schema refused it in the browser.
    expect(creates).toEqual([]);

    // The birth date is not known: the age instead.
    await page.getByLabel('Tugʻilgan sana nomaʼlum: oʻrniga yoshni kiriting').check();
    await page.getByLabel('Yoshi (toʻliq yil)').fill('34');
    await page.getByLabel('Jinsi').selectOption({ label: 'Erkak' });
    await page.getByLabel('Telefon (ixtiyoriy)').fill('90 123 45 67');
    await page.getByLabel('Allergiyalar (ixtiyoriy)').fill('Penitsillin');
    await page.getByRole('button', { name: 'Bemorni qoʻshish' }).click();

    // The new patient's page, its heading focused.
    await page.waitForURL(/\/patients\/[0-9a-f-]{36}$/, { timeout: 20_000 });
    const title = page.getByRole('heading', { level: 1, name: 'Shukurov Alisher' });
    await title.waitFor();
    await expect.poll(() => title.evaluate((el) => el === document.activeElement)).toBe(true);
    const record = page.locator('main section').first();
    expect(await record.innerText()).toContain('≈34 yosh');
    expect(await record.innerText()).toContain('+998 90 123 45 67');
    expect(await record.innerText()).toContain('Penitsillin');
    const patientUrl = page.url();

    // Search, in Latin and in Cyrillic; the result count is announced.
    await page.getByRole('link', { name: 'Bemorlar roʻyxatiga qaytish' }).click();
    await page.getByRole('heading', { level: 1, name: 'Bemorlar' }).waitFor();
    const search = page.getByRole('searchbox', { name: 'Ism yoki telefon boʻyicha qidirish' });
    const results = page.getByRole('list', { name: 'Bemorlar' });
    const announcement = page.getByTestId('patients-announcement');
    await expect.poll(() => announcement.innerText()).toBe('1 ta bemor');
    await search.fill('Шукуров');
    await expect.poll(() => announcement.innerText()).toBe('1 ta bemor topildi');
    expect(await results.getByRole('link').allInnerTexts()).toEqual([
      expect.stringContaining('Shukurov Alisher'),
    ]);
    expect(new URL(page.url()).searchParams.get('q')).toBe('Шукуров');
    await search.fill('Rahimova');
    await page.getByText('“Rahimova” boʻyicha bemor topilmadi.').waitFor();
    await expect.poll(() => announcement.innerText()).toBe('0 ta bemor topildi');
    await search.fill('shukur');
    await results.getByRole('link', { name: /Shukurov Alisher/ }).click();
    await page.waitForURL(patientUrl);
    await title.waitFor();

    // An attachment: chosen with the ordinary button, its progress bar reaches 100 %.
    const chooser = page.waitForEvent('filechooser');
    await page.getByRole('button', { name: 'Fayllarni tanlash' }).click();
    const image = png(64);
    await (await chooser).setFiles({ name: 'rentgen.png', mimeType: 'image/png', buffer: image });
    const done = page.getByRole('progressbar', { name: 'rentgen.png yuklandi.' });
    await done.waitFor({ timeout: 20_000 });
    expect(await done.getAttribute('value')).toBe('100');
    expect(await progressValues()).toContain(100);
    const files = page.getByRole('grid', { name: 'Bemorning fayllari' });
    const row = files.getByRole('row').filter({ hasText: 'rentgen.png' });
    await row.waitFor();
    expect(await row.innerText()).toContain('Rasm');
    expect(await row.innerText()).toContain('Feruza Olimova');

    // The preview: an <img> of a blob: URL, loaded under the CSP; closing it revokes the URL.
    await row.getByRole('button', { name: 'Koʻrish' }).click();
    const dialog = page.getByRole('dialog', { name: 'Koʻrish: rentgen.png' });
    const img = dialog.getByRole('img', { name: 'rentgen.png' });
    await img.waitFor();
    const src = (await img.getAttribute('src')) ?? '';
    expect(src).toMatch(/^blob:/);
    await expect.poll(() => img.evaluate((el: HTMLImageElement) => el.naturalWidth)).toBe(64);
    await expectNoSeriousA11yViolations(page, 'image preview');
    await screenshot(page, 'patient-preview-uz-desktop');
    await dialog.getByRole('button', { name: 'Yopish' }).click();
    await dialog.waitFor({ state: 'detached' });
    // (Probed with an image: connect-src rightly refuses fetching blob: URLs.)
    const stillThere = await page.evaluate(
      (url) =>
        new Promise<boolean>((resolve) => {
          const probe = new Image();
          probe.onload = () => resolve(true);
          probe.onerror = () => resolve(false);
          probe.src = url;
        }),
      src,
    );
    expect(stillThere, 'the blob: URL is revoked after the preview').toBe(false);

    // A PDF, dropped on the drop zone, previews in a frame of a blob: URL (CSP frame-src blob:).
    const drop = await page.evaluateHandle((text) => {
      const data = new DataTransfer();
      data.items.add(new File([text], 'analiz.pdf', { type: 'application/pdf' }));
      return data;
    }, minimalPdf());
    await page.getByRole('group', { name: 'Fayl biriktirish' }).dispatchEvent('drop', {
      dataTransfer: drop,
    });
    await page.getByRole('progressbar', { name: 'analiz.pdf yuklandi.' }).waitFor();
    const pdfRow = files.getByRole('row').filter({ hasText: 'analiz.pdf' });
    expect(await pdfRow.innerText()).toContain('PDF');
    await pdfRow.getByRole('button', { name: 'Koʻrish' }).click();
    const pdfDialog = page.getByRole('dialog', { name: 'Koʻrish: analiz.pdf' });
    const frame = pdfDialog.locator('iframe[title="analiz.pdf"]');
    await frame.waitFor();
    expect(await frame.getAttribute('src')).toMatch(/^blob:/);
    await page.waitForTimeout(1000);
    await screenshot(page, 'patient-pdf-preview-uz-desktop');
    await page.keyboard.press('Escape');
    await pdfDialog.waitFor({ state: 'detached' });

    // The access log names the doctor, the visit and the upload.
    const log = page.getByRole('grid', { name: 'Bemor yozuvining kirishlar jurnali' });
    await log.getByRole('row').filter({ hasText: 'Fayl yukladi (rentgen.png)' }).waitFor();
    const viewed = log.getByRole('row').filter({ hasText: 'Yozuvni ochdi' });
    expect(await viewed.count()).toBeGreaterThan(0);
    expect(await viewed.first().innerText()).toContain('Feruza Olimova');
    await log.getByRole('row').filter({ hasText: 'Yozuvni yaratdi' }).waitFor();
    await expectNoSeriousA11yViolations(page, 'patient page');

    // Nothing of the attachment is kept by the browser.
    const stored = await page.evaluate(async () => ({
      caches: 'caches' in window ? await caches.keys() : [],
      local: JSON.stringify(localStorage),
    }));
    for (const name of stored.caches) expect(name).toMatch(/^medora-shell-/);
    expect(stored.local).not.toContain('rentgen');

    expect(await cspProblems()).toEqual([]);
  });
});

describe('an existing patient', () => {
  it('is edited in place, archived after a confirmation, found among archived ones and restored', async () => {
    const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
    const page = await context.newPage();
    screenshotOnFailure(page, 'patients-edit-archive');
    try {
      const f = factories(db);
      const doctor = await f.doctor({ phone: randomPhone().e164, name: 'Jasur Ergashev' });
      const patient = await f.patient(doctor, { firstName: 'Gʻulom', lastName: 'Hasanov' });
      await page.goto(`${baseUrl}/login`);
      await page.locator('#login-phone').fill(doctor.phone);
      await page.locator('#login-password').fill(TEST_PASSWORD);
      await page.locator('main form button[type=submit]').click();
      await page.waitForURL((url) => url.pathname !== '/login', { timeout: 20_000 });
      // Through the list, which stays cached: archiving must refresh it.
      await page.goto(`${baseUrl}/patients`);
      await page.getByRole('list', { name: 'Bemorlar' }).getByRole('link').click();
      await page.getByRole('heading', { level: 1, name: 'Hasanov Gʻulom' }).waitFor();
      expect(new URL(page.url()).pathname).toBe(`/patients/${patient.id}`);

      // Edit: the form starts from the record; saving shows the new value and says so.
      await page.getByRole('button', { name: 'Tahrirlash' }).click();
      const allergies = page.getByLabel('Allergiyalar (ixtiyoriy)');
      expect(await allergies.inputValue()).toBe('');
      expect(await page.getByLabel('Tugʻilgan sana', { exact: true }).inputValue()).toBe(
        '1980-05-17',
      );
      await allergies.fill('Aspirin');
      await page.getByRole('button', { name: 'Oʻzgarishlarni saqlash' }).click();
      await page.getByRole('status').filter({ hasText: 'Oʻzgarishlar saqlandi.' }).waitFor();
      const details = page.getByRole('heading', { level: 2, name: 'Maʼlumotlar' });
      expect(await details.evaluate((el) => el === document.activeElement)).toBe(true);
      expect(await page.locator('.patient-facts').innerText()).toContain('Aspirin');

      // Archive: asks first, Cancel is the first choice.
      const archive = page.getByRole('button', { name: 'Arxivlash' });
      await archive.click();
      const dialog = page.getByRole('alertdialog', { name: 'Bu bemor arxivlansinmi?' });
      await dialog.waitFor();
      expect(await page.evaluate(() => document.activeElement?.textContent ?? '')).toBe(
        'Bekor qilish',
      );
      await dialog.getByRole('button', { name: 'Arxivlash' }).click();
      await page.getByText(/^Bu bemor arxivga oʻtkazilgan/).waitFor();
      const log = page.getByRole('grid', { name: 'Bemor yozuvining kirishlar jurnali' });
      await log.getByRole('row').filter({ hasText: 'Bemorni arxivladi' }).waitFor();
      await log.getByRole('row').filter({ hasText: 'Maʼlumotlarni oʻzgartirdi' }).waitFor();

      // Gone from the list, there among the archived.
      await page.getByRole('link', { name: 'Bemorlar roʻyxatiga qaytish' }).click();
      await page.getByRole('heading', { level: 2, name: 'Hali bemorlar yoʻq' }).waitFor();
      await page.getByLabel('Arxivdagi bemorlarni koʻrsatish').check();
      const archived = page.getByRole('list', { name: 'Arxivdagi bemorlar' });
      await archived.getByRole('link', { name: /Hasanov Gʻulom/ }).click();

      await page.getByRole('button', { name: 'Tiklash' }).click();
      await page
        .getByRole('alertdialog', { name: 'Bu bemor tiklansinmi?' })
        .getByRole('button', { name: 'Tiklash' })
        .click();
      await page.getByRole('button', { name: 'Arxivlash' }).waitFor();
      expect(await page.getByText(/^Bu bemor arxivga oʻtkazilgan/).count()).toBe(0);
    } finally {
      await context.close();
    }
  });
});

const words: Record<
  Locale,
  { title: string; newPatient: string; submit: string; patient: string; menu: string }
> = {
  uz: {
    title: 'Bemorlar',
    newPatient: 'Yangi bemor',
    submit: 'Bemorni qoʻshish',
    patient: 'Karimova Madina Rustamovna',
    menu: 'Menyu',
  },
  ru: {
    title: 'Пациенты',
    newPatient: 'Новый пациент',
    submit: 'Добавить пациента',
    patient: 'Karimova Madina Rustamovna',
    menu: 'Меню',
  },
  en: {
    title: 'Patients',
    newPatient: 'New patient',
    submit: 'Add patient',
    patient: 'Karimova Madina Rustamovna',
    menu: 'Menu',
  },
};

const viewports = [
  { label: 'desktop', width: 1280, height: 900 },
  { label: '390', width: 390, height: 844 },
] as const;

describe.each(viewports)('patients pages at $label width', (viewport) => {
  it.each(['uz', 'ru', 'en'] as const)('in %s', async (locale) => {
    const w = words[locale];
    const context = await browser.newContext({ viewport, locale: 'en-US' });
    await context.addInitScript((l) => localStorage.setItem('medora.locale', l), locale);
    const page = await context.newPage();
    screenshotOnFailure(page, `patients-${locale}-${viewport.label}`);
    const cspProblems = await watchCsp(page);
    const shot = (name: string) => screenshot(page, `${name}-${locale}-${viewport.label}`);
    try {
      const f = factories(db);
      const doctor = await f.doctor({ locale, phone: randomPhone().e164, name: 'Nodira Saidova' });
      // Enough patients for a second page.
      for (let i = 0; i < 21; i++)
        await f.patient(doctor, {
          lastName: `Toshmatov`,
          firstName: `Bobur${'abcdefghijklmnopqrstu'[i]}`,
        });
      await page.goto(`${baseUrl}/login`);
      await page.locator('#login-phone').fill(doctor.phone);
      await page.locator('#login-password').fill(TEST_PASSWORD);
      await page.locator('main form button[type=submit]').click();
      await page.waitForURL((url) => url.pathname !== '/login', { timeout: 20_000 });

      await page.goto(`${baseUrl}/patients`);
      await page.getByRole('heading', { level: 1, name: w.title }).waitFor({ timeout: 20_000 });
      const list = page.getByRole('list', { name: w.title });
      await expect.poll(() => list.getByRole('listitem').count()).toBe(20);
      // "Show more" brings the rest.
      await page.locator('.patients__more button').click();
      await expect.poll(() => list.getByRole('listitem').count()).toBe(21);
      await expectNoSeriousA11yViolations(page, `patient list (${locale})`);
      await shot('patients');

      // The form, with its errors.
      await page.getByRole('link', { name: w.newPatient }).click();
      await page.getByRole('heading', { level: 1, name: w.newPatient }).waitFor();
      await page.getByRole('button', { name: w.submit }).click();
      await page.locator('.error-summary').waitFor();
      await expectNoSeriousA11yViolations(page, `patient form (${locale})`);
      await shot('patient-form-errors');

      await page.locator('#new-patient-lastName').fill('Karimova');
      await page.locator('#new-patient-firstName').fill('Madina');
      await page.locator('#new-patient-middleName').fill('Rustamovna');
      await page.locator('#new-patient-birthDate').fill('1991-04-12');
      await page.locator('#new-patient-sex').selectOption('female');
      await page.locator('#new-patient-phone').fill('+998 93 555 12 34');
      await page.locator('#new-patient-address').fill('Toshkent, Yunusobod tumani, 4-mavze, 12-uy');
      await page.locator('#new-patient-allergies').fill('Penitsillin, yongʻoq');
      await page.locator('#new-patient-chronicConditions').fill('Arterial gipertenziya');
      await page.locator('#new-patient-currentMedications').fill('Lizinopril 10 mg');
      await page.getByRole('button', { name: w.submit }).click();
      await page.getByRole('heading', { level: 1, name: w.patient }).waitFor({ timeout: 20_000 });

      const chooser = page.waitForEvent('filechooser');
      await page.locator('.drop-zone button').click();
      await (
        await chooser
      ).setFiles({ name: 'EKG-2026.png', mimeType: 'image/png', buffer: png(32) });
      await page.getByRole('grid').filter({ hasText: 'EKG-2026.png' }).first().waitFor();
      await page
        .locator('.patients-table')
        .last()
        .getByRole('row')
        .filter({ hasText: 'EKG-2026.png' })
        .waitFor();
      await expectNoSeriousA11yViolations(page, `patient page (${locale})`);
      await shot('patient');
      if (viewport.width < 400) {
        await page.getByRole('button', { name: w.menu }).click();
        await shot('patient-menu');
      }
      expect(await cspProblems()).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
