/**
 * Every page in Uzbek, Russian and English, on a desktop and on a 375 px phone: each is scanned
 * with axe and photographed into test-results/screens/ (to look at). Also what each language must
 * get right (the plan name in the interface language, Russian dates without "г."), and that a
 * signed-in administrator lands on the admin page, not on the doctor's dashboard.
 */
import { createDb, type Db } from '@medora/db';
import { factories, TEST_PASSWORD } from '@medora/core/testing';
import type { Locale } from '@medora/schema';
import type { Browser, Page } from 'playwright-core';
import { en as adminEn } from '../../apps/web/src/features/admin/i18n/en';
import { ru as adminRu } from '../../apps/web/src/features/admin/i18n/ru';
import { uz as adminUz } from '../../apps/web/src/features/admin/i18n/uz';
import { en as subEn } from '../../apps/web/src/features/subscription/i18n/en';
import { ru as subRu } from '../../apps/web/src/features/subscription/i18n/ru';
import { uz as subUz } from '../../apps/web/src/features/subscription/i18n/uz';
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

const words: Record<
  Locale,
  {
    login: string;
    register: string;
    greeting: (name: string) => string;
    plan: string;
    profile: string;
    admin: string;
    menu: string;
  }
> = {
  uz: {
    login: 'Kirish',
    register: 'Roʻyxatdan oʻtish',
    greeting: (n) => `Xush kelibsiz, ${n}!`,
    plan: 'Tarif: Sinov',
    profile: 'Profil',
    admin: 'Boshqaruv',
    menu: 'Menyu',
  },
  ru: {
    login: 'Вход',
    register: 'Регистрация',
    greeting: (n) => `Добро пожаловать, ${n}!`,
    plan: 'Тариф: Пробный',
    profile: 'Профиль',
    admin: 'Администрирование',
    menu: 'Меню',
  },
  en: {
    login: 'Sign in',
    register: 'Create an account',
    greeting: (n) => `Welcome, ${n}!`,
    plan: 'Plan: Trial',
    profile: 'Profile',
    admin: 'Administration',
    menu: 'Menu',
  },
};

const viewports = [
  { label: 'desktop', width: 1280, height: 900 },
  { label: '375', width: 375, height: 740 },
] as const;

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

/** Signs in by the form's field ids, whatever the language. */
async function signInAs(page: Page, phone: string) {
  await page.goto(`${baseUrl}/login`);
  await page.locator('#login-phone').fill(phone);
  await page.locator('#login-password').fill(TEST_PASSWORD);
  await page.locator('main form button[type=submit]').click();
  await page.waitForURL((url) => url.pathname !== '/login', { timeout: 20_000 });
}

// Billing pages' headings, from their translations.
const billingTitles = (locale: Locale) => {
  const sub = { uz: subUz, ru: subRu, en: subEn }[locale].subscription as { title: string };
  const admin = { uz: adminUz, ru: adminRu, en: adminEn }[locale].admin as {
    payments: { title: string };
    plans: { title: string };
  };
  return { subscription: sub.title, payments: admin.payments.title, plans: admin.plans.title };
};

async function heading(page: Page, name: string) {
  await page.getByRole('heading', { level: 1, name }).waitFor({ timeout: 20_000 });
}

describe.each(viewports)('pages at $label width', (viewport) => {
  it.each(['uz', 'ru', 'en'] as const)('in %s', async (locale) => {
    const w = words[locale];
    const context = await browser.newContext({ viewport, locale: 'en-US' });
    // The language chosen on this device before anyone signed in.
    await context.addInitScript((l) => localStorage.setItem('medora.locale', l), locale);
    const page = await context.newPage();
    screenshotOnFailure(page, `screens-${locale}-${viewport.label}`);
    const shot = (name: string) => screenshot(page, `${name}-${locale}-${viewport.label}`);
    try {
      await page.goto(`${baseUrl}/login`);
      await heading(page, w.login);
      await expectNoSeriousA11yViolations(page, `login (${locale})`);
      await shot('login');

      await page.goto(`${baseUrl}/register`);
      await heading(page, w.register);
      await expectNoSeriousA11yViolations(page, `register (${locale})`);
      await shot('register');

      const f = factories(db);
      const doctor = await f.doctor({
        locale,
        phone: randomPhone().e164,
        name: 'Nilufar Sobirova',
      });
      await signInAs(page, doctor.phone);
      await heading(page, w.greeting(doctor.name));
      // The plan's name follows the interface language.
      await page.getByText(w.plan).waitFor();
      await expectNoSeriousA11yViolations(page, `dashboard (${locale})`);
      await shot('dashboard');
      if (viewport.width < 400) {
        await page.getByRole('button', { name: w.menu }).click();
        await shot('dashboard-menu');
        await page.getByRole('button', { name: w.menu }).click();
      }

      await page.goto(`${baseUrl}/profile`);
      await heading(page, w.profile);
      await page.getByRole('grid').waitFor();
      const text = await page.locator('main').innerText();
      // "2026 г.." at the end of a sentence: the year mark is left out in Russian.
      expect(text).not.toMatch(/\d{4} г\./);
      if (locale === 'uz') expect(text).not.toContain(' dagi');
      await expectNoSeriousA11yViolations(page, `profile (${locale})`);
      await shot('profile');

      await page.goto(`${baseUrl}/subscription`);
      await heading(page, billingTitles(locale).subscription);
      await expectNoSeriousA11yViolations(page, `subscription (${locale})`);
      await shot('subscription');

      // An administrator signs in: the admin page, not the doctor's dashboard.
      await page.evaluate(() => localStorage.clear());
      await context.clearCookies();
      const admin = await f.admin({ locale, phone: randomPhone().e164, name: 'Aziz Rahimov' });
      await signInAdminFirstTime(page, baseUrl, admin.phone);
      await heading(page, w.admin);
      expect(new URL(page.url()).pathname).toBe('/admin');
      // The console, not the doctor's subscription panel.
      expect(await page.locator('#subscription-title').count()).toBe(0);
      await page.locator('#admin-charts-title').waitFor();
      await expectNoSeriousA11yViolations(page, `admin (${locale})`);
      await shot('admin');
      for (const [path, title] of [
        ['/admin/payments', billingTitles(locale).payments],
        ['/admin/plans', billingTitles(locale).plans],
      ] as const) {
        await page.goto(`${baseUrl}${path}`);
        await heading(page, title);
        // The list, or its "nothing here" line (not the loading line, which is .muted).
        await page
          .locator('main table, main p[role="status"]:not(.muted):not(:empty)')
          .first()
          .waitFor();
        await expectNoSeriousA11yViolations(page, `${path} (${locale})`);
        await shot(path.slice(1).replace('/', '-'));
      }
      // The dashboard's address leads an administrator back to the admin page.
      await page.goto(`${baseUrl}/`);
      await heading(page, w.admin);
      expect(new URL(page.url()).pathname).toBe('/admin');
    } finally {
      await context.close();
    }
  });
});

describe('without JavaScript', () => {
  it('says in all three languages that JavaScript is needed, and describes the app in all three', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    try {
      await page.goto(`${baseUrl}/`);
      const text = await page.locator('body').innerText();
      expect(text).toContain('JavaScript yoqilgan boʻlishi kerak');
      expect(text).toContain('включите JavaScript');
      expect(text).toContain('MedoraAI needs JavaScript');
      const description = await page.getAttribute('meta[name="description"]', 'content');
      expect(description).toContain('shifokorlar uchun');
      expect(description).toContain('для врачей');
      expect(description).toContain('for doctors');
      await screenshot(page, 'noscript');
    } finally {
      await context.close();
    }
  });
});
