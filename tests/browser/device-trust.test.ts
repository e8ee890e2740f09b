/**
 * Health data stays off shared computers, in a real Chromium against the built app: a doctor who
 * signs in without "keep data on this device" leaves nothing of a patient they opened in any of
 * the browser's storages (localStorage, sessionStorage, IndexedDB, Cache Storage), even with the
 * tab closed while still signed in; with the choice, the patient opens again offline after a
 * reload, and signing out removes it. Also photographs the sign-in page with the box at 390 px
 * in uz, ru and en (test-results/screens/device-trust-login-*.png).
 */
import {
  request,
  type APIRequestContext,
  type Browser,
  type BrowserContext,
  type Page,
} from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import {
  launchChromium,
  randomPassword,
  randomPhone,
  screenshot,
  screenshotOnFailure,
} from './support';

const baseUrl = inject('baseUrl');
const OWN_DEVICE = /bu qurilmada saqlash/;
const OFFLINE = 'Internetga ulanmagansiz';
const viewport = { width: 1100, height: 800 };

let browser: Browser;
let api: APIRequestContext;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  browser = await launchChromium();
  // Outside any browser: its own cookies, its own session.
  api = await request.newContext({ baseURL: baseUrl });
});
afterAll(async () => {
  await api?.dispose();
  await browser?.close();
});
// Closed before the next test rather than after this one, so a failure's screenshot
// (screenshotOnFailure) still has its page.
beforeEach(async () => {
  await Promise.all(contexts.splice(0).map((c) => c.close()));
});

/** A fresh browser profile, service worker allowed (it must not keep API answers either). */
async function openContext(options: { width?: number } = {}): Promise<BrowserContext> {
  const context = await browser.newContext({
    viewport: { ...viewport, ...(options.width ? { width: options.width, height: 844 } : {}) },
  });
  contexts.push(context);
  return context;
}

/** A tRPC call as the server's adapter takes it (superjson, no batching). */
async function trpc<T>(procedure: string, input: unknown, token?: string): Promise<T> {
  const response = await api.post(`/trpc/${procedure}`, {
    data: { json: input },
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
  const body = (await response.json()) as { result?: { data: { json: T } }; error?: unknown };
  if (!response.ok() || !body.result) {
    throw new Error(`${procedure}: ${response.status()} ${JSON.stringify(body.error)}`);
  }
  return body.result.data.json;
}

interface Doctor {
  phone: string;
  password: string;
  name: string;
}

interface Patient {
  id: string;
  firstName: string;
  lastName: string;
  /** An attachment's name, and a text found only inside its bytes. */
  fileName: string;
  fileMarker: string;
}

/** A tiny PDF whose bytes carry `marker` (the server types files by their bytes). */
function pdfWith(marker: string): Buffer {
  return Buffer.from(
    `%PDF-1.4\n% ${marker}\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n` +
      `2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n` +
      `trailer << /Root 1 0 R >>\n%%EOF\n`,
  );
}

/**
 * A doctor with one patient and one attachment, all created through the API (as another device
 * of theirs).
 */
async function doctorWithPatient(
  name: string,
  patientName: [string, string],
): Promise<{ doctor: Doctor; patient: Patient }> {
  const doctor = { phone: randomPhone().e164, password: randomPassword(), name };
  const auth = await trpc<{ accessToken: string }>('auth.register', { ...doctor, locale: 'uz' });
  const [firstName, lastName] = patientName;
  const created = await trpc<{ id: string }>(
    'patient.create',
    { firstName, lastName, sex: 'female', ageYears: 41, allergies: 'Penitsillin' },
    auth.accessToken,
  );
  const fileMarker = `ICHKI-MATN-${Math.random().toString(36).slice(2, 12)}`;
  const fileName = `tahlil-${lastName.toLowerCase()}.pdf`;
  const uploaded = await api.post('/api/files', {
    headers: { authorization: `Bearer ${auth.accessToken}` },
    multipart: {
      purpose: 'attachment',
      patientId: created.id,
      file: { name: fileName, mimeType: 'application/pdf', buffer: pdfWith(fileMarker) },
    },
  });
  expect(uploaded.status(), await uploaded.text()).toBeLessThan(300);
  return { doctor, patient: { id: created.id, firstName, lastName, fileName, fileMarker } };
}

/**
 * Opens the attachment's preview (its bytes fetched into a blob: URL) and closes it again; the
 * download must go to the network, not through the service worker.
 */
async function previewAttachment(page: Page, patient: Patient): Promise<void> {
  const download = page.waitForResponse((r) => new URL(r.url()).pathname.startsWith('/api/files/'));
  await page
    .getByRole('row', { name: new RegExp(patient.fileName) })
    .getByRole('button', { name: 'Koʻrish' })
    .click();
  const response = await download;
  expect(response.status()).toBe(200);
  expect(response.fromServiceWorker()).toBe(false);
  await expect
    .poll(() => page.locator('dialog iframe, [role="dialog"] iframe').getAttribute('src'))
    .toMatch(/^blob:/);
  await page.keyboard.press('Escape');
  await page.getByRole('dialog').waitFor({ state: 'detached' });
}

/** Signs in through the login page, answering "keep data on this device" as told. */
async function signInAs(page: Page, doctor: Doctor, ownDevice: boolean): Promise<void> {
  await page.goto(`${baseUrl}/login`);
  await page.getByLabel('Telefon raqami').fill(doctor.phone);
  await page.getByLabel('Parol', { exact: true }).fill(doctor.password);
  await page.getByRole('checkbox', { name: OWN_DEVICE }).setChecked(ownDevice);
  await page.getByRole('main').getByRole('button', { name: 'Kirish' }).click();
  await page
    .getByRole('heading', { level: 1, name: `Xush kelibsiz, ${doctor.name}!` })
    .waitFor({ timeout: 20_000 });
}

/** Opens the patient list and the patient's page (record, access log, attachments). */
async function viewPatient(page: Page, patient: Patient): Promise<void> {
  await page.getByRole('navigation').getByRole('link', { name: 'Bemorlar' }).click();
  await page.getByRole('link', { name: new RegExp(patient.lastName) }).click({ timeout: 20_000 });
  await page
    .getByRole('heading', { level: 1, name: new RegExp(patient.lastName) })
    .waitFor({ timeout: 20_000 });
}

/** When the persister last wrote the query cache (0: nothing stored). */
function persistedAt(page: Page): Promise<number> {
  return page.evaluate(() => {
    const raw = localStorage.getItem('medora.query-cache');
    if (!raw) return 0;
    const parsed = JSON.parse(raw) as { json?: { timestamp?: number } };
    return parsed.json?.timestamp ?? 0;
  });
}

/**
 * Everything the origin keeps in the browser, as text: localStorage, sessionStorage, every
 * IndexedDB record, and every Cache Storage entry's URL and body.
 */
function everythingStored(page: Page): Promise<string> {
  return page.evaluate(async () => {
    const parts: string[] = [
      JSON.stringify({ ...localStorage }),
      JSON.stringify({ ...sessionStorage }),
    ];
    for (const info of await indexedDB.databases()) {
      if (!info.name) continue;
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const open = indexedDB.open(info.name!);
        open.onsuccess = () => resolve(open.result);
        open.onerror = () => reject(new Error(String(open.error)));
      });
      for (const store of db.objectStoreNames) {
        const all = await new Promise<unknown[]>((resolve, reject) => {
          const req = db.transaction(store).objectStore(store).getAll();
          req.onsuccess = () => resolve(req.result);
          req.onerror = () => reject(new Error(String(req.error)));
        });
        parts.push(`${info.name}/${store}: ${JSON.stringify(all)}`);
      }
      db.close();
    }
    for (const name of await caches.keys()) {
      const cache = await caches.open(name);
      for (const req of await cache.keys()) {
        const res = await cache.match(req);
        parts.push(`${name} ${req.url}: ${res ? await res.text() : ''}`);
      }
    }
    return parts.join('\n');
  });
}

/** A page of the origin that does not run the app, to read its storage as it is. */
async function inspector(context: BrowserContext): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${baseUrl}/favicon.svg`);
  return page;
}

/** Where `needles` occur in `stored`, each with a little context (the dump is long). */
function occurrences(stored: string, needles: string[]): string[] {
  return needles.flatMap((needle) => {
    const found: string[] = [];
    for (let i = stored.indexOf(needle); i !== -1; i = stored.indexOf(needle, i + 1)) {
      found.push(`${needle}: …${stored.slice(Math.max(0, i - 80), i + needle.length + 80)}…`);
    }
    return found;
  });
}

const traces = (patient: Patient) => [
  patient.id,
  patient.lastName,
  patient.firstName,
  'Penitsillin',
  patient.fileName,
  patient.fileMarker,
];

function expectNothingOf(stored: string, patient: Patient): void {
  expect(occurrences(stored, traces(patient))).toEqual([]);
}

function expectAllOf(stored: string, needles: string[]): void {
  expect(needles.filter((n) => !stored.includes(n))).toEqual([]);
}

/** Waits for the persister (it writes at most once a second) to have stored all of `needles`. */
async function untilStored(page: Page, needles: string[]): Promise<void> {
  await expect
    .poll(async () => {
      const stored = await everythingStored(page);
      return needles.filter((n) => !stored.includes(n));
    })
    .toEqual([]);
}

/** Resolves once the service worker has precached the shell and controls the page. */
async function shellReady(page: Page): Promise<void> {
  // Precaching every built file can take a while on a busy machine.
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, {
    timeout: 45_000,
  });
}

describe('health data on this device', () => {
  it('keeps nothing of a patient when the doctor did not say the device is theirs', async () => {
    const { doctor, patient } = await doctorWithPatient('Umida Saidova', ['Xurshida', 'Nazarova']);
    const context = await openContext();
    const page = await context.newPage();
    screenshotOnFailure(page, 'device-trust-shared');

    await page.goto(`${baseUrl}/login`);
    // Off by default on a browser that was never asked.
    expect(await page.getByRole('checkbox', { name: OWN_DEVICE }).isChecked()).toBe(false);
    await signInAs(page, doctor, false);
    await shellReady(page);
    const viewedAt = Date.now();
    await viewPatient(page, patient);
    await previewAttachment(page, patient);

    // The persister did write after the patient was opened (the doctor's own profile)…
    await expect.poll(() => persistedAt(page), { timeout: 10_000 }).toBeGreaterThan(viewedAt);
    const whileOpen = await everythingStored(page);
    expectAllOf(whileOpen, [doctor.name]);
    // …and nothing of the patient, while the page is still open and signed in.
    expectNothingOf(whileOpen, patient);

    // The tab is closed without signing out (a shared computer left as it is).
    await page.close();
    const left = await inspector(context);
    expectNothingOf(await everythingStored(left), patient);
  });

  it('keeps the patient for offline use on the doctor’s own device, until sign-out', async () => {
    const { doctor, patient } = await doctorWithPatient('Akmal Yoqubov', ['Shahnoza', 'Qodirova']);
    const context = await openContext();
    const page = await context.newPage();
    screenshotOnFailure(page, 'device-trust-own');

    await page.goto(`${baseUrl}/login`);
    expect(await page.getByRole('checkbox', { name: OWN_DEVICE }).isChecked()).toBe(false);
    await signInAs(page, doctor, true);
    await shellReady(page);
    await viewPatient(page, patient);
    await previewAttachment(page, patient);
    await untilStored(page, [patient.id, doctor.name, patient.fileName]);
    // The list of attachments is kept; their contents never are.
    expect(occurrences(await everythingStored(page), [patient.fileMarker])).toEqual([]);

    // Offline, and the page reloaded: the shell from the worker, the patient from storage.
    await context.setOffline(true);
    await page.reload();
    await page.getByRole('status').filter({ hasText: OFFLINE }).waitFor({ timeout: 20_000 });
    await page
      .getByRole('heading', { level: 1, name: new RegExp(patient.lastName) })
      .waitFor({ timeout: 20_000 });
    await page.getByText('Penitsillin').waitFor();

    // Back online, the doctor signs out: the patient is gone from every storage.
    await context.setOffline(false);
    await page.getByRole('button', { name: 'Chiqish' }).click();
    await page.getByRole('heading', { level: 1, name: 'Kirish' }).waitFor({ timeout: 20_000 });
    // The write still pending at sign-out (throttled, 1 s) must not bring anything back.
    await page.waitForTimeout(1_500);
    expectNothingOf(await everythingStored(page), patient);
    // The answer is remembered on this browser for the next sign-in, and only the answer.
    expect(await page.getByRole('checkbox', { name: OWN_DEVICE }).isChecked()).toBe(true);
    expect(await page.evaluate(() => localStorage.getItem('medora.own-device'))).toBe('true');
  });

  it('removes the saved patient at once when the doctor turns the choice off', async () => {
    const { doctor, patient } = await doctorWithPatient('Dilshod Karimov', ['Mohira', 'Ismoilova']);
    const context = await openContext();
    const page = await context.newPage();
    screenshotOnFailure(page, 'device-trust-turn-off');
    await signInAs(page, doctor, true);
    await viewPatient(page, patient);
    await untilStored(page, [patient.id, doctor.name]);

    await page.getByRole('link', { name: 'Profil' }).click();
    const box = page.getByRole('checkbox', { name: OWN_DEVICE });
    expect(await box.isChecked()).toBe(true);
    await screenshot(page, 'device-trust-profile-uz');
    await box.uncheck();
    // At once, not after the next write.
    const after = await everythingStored(page);
    expectNothingOf(after, patient);
    expectAllOf(after, [doctor.name]);
    await page.waitForTimeout(1_500);
    expectNothingOf(await everythingStored(page), patient);
  });
});

describe('the sign-in page with the choice', () => {
  it.each([
    ['uz', 'Kirish', /bu qurilmada saqlash/],
    ['ru', 'Вход', /Сохранять данные на этом устройстве/],
    ['en', 'Sign in', /Keep data on this device/],
  ] as const)('in %s at 390 px', async (locale, title, label) => {
    const context = await openContext({ width: 390 });
    await context.addInitScript((l) => localStorage.setItem('medora.locale', l), locale);
    const page = await context.newPage();
    screenshotOnFailure(page, `device-trust-login-${locale}`);
    await page.goto(`${baseUrl}/login`);
    await page.getByRole('heading', { level: 1, name: title }).waitFor({ timeout: 20_000 });
    const box = page.getByRole('checkbox', { name: label });
    expect(await box.isChecked()).toBe(false);
    // Nothing sticks out sideways on a phone.
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBe(0);
    await screenshot(page, `device-trust-login-${locale}-390`);
    // The label is a target too, not only the box.
    await page.getByText(label).click();
    expect(await box.isChecked()).toBe(true);

    // Registering signs in: the same question, off by default.
    await page.goto(`${baseUrl}/register`);
    expect(await page.getByRole('checkbox', { name: label }).isChecked()).toBe(false);
    await screenshot(page, `device-trust-register-${locale}-390`);
  });
});
