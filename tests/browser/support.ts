/** What the browser suites share: Chromium launch, fresh phone numbers, sign-up, axe, screenshots. */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { deflateSync } from 'node:zlib';
import AxeBuilder from '@axe-core/playwright';
import { freshPhone, TEST_PASSWORD, totpCode } from '@medora/core/testing';
import { chromium, type Browser, type Page } from 'playwright-core';
import { expect, onTestFailed } from 'vitest';

const resultsDir = path.resolve(import.meta.dirname, '../../test-results');

/** Debian's Chromium, headless, with the background networking this machine refuses turned off. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}

/** A fresh, valid Uzbek mobile number: +998 90 and seven random digits. */
export function randomPhone(): { e164: string; national: string } {
  const e164 = freshPhone();
  const digits = e164.slice(6);
  // "90 123 45 67": the same number written the way people say it.
  const national = `90 ${digits.slice(0, 3)} ${digits.slice(3, 5)} ${digits.slice(5)}`;
  return { e164, national };
}

export function randomPassword(): string {
  return `Medora-${Math.random().toString(36).slice(2, 10)}-Test`;
}

/** Keeps a screenshot under test-results/ when the current test fails. */
export function screenshotOnFailure(page: Page, name: string): void {
  onTestFailed(async () => {
    await mkdir(resultsDir, { recursive: true });
    await page
      .screenshot({ path: path.join(resultsDir, `${name}.png`), fullPage: true })
      .catch(() => {});
  });
}

/** A full-page screenshot under test-results/screens/, to look at. */
export async function screenshot(page: Page, name: string): Promise<void> {
  const dir = path.join(resultsDir, 'screens');
  await mkdir(dir, { recursive: true });
  await page.screenshot({ path: path.join(dir, `${name}.png`), fullPage: true });
}

/** Fails on serious or critical WCAG 2.1 A/AA violations, listing them readably. */
export async function expectNoSeriousA11yViolations(page: Page, label: string): Promise<void> {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  const serious = results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
    );
  expect(serious, `axe on ${label}`).toEqual([]);
}

export interface Account {
  phone: { e164: string; national: string };
  name: string;
  password: string;
}

/** Signs up through the register page (Uzbek UI) and waits for the dashboard. */
export async function registerDoctor(page: Page, baseUrl: string, name: string): Promise<Account> {
  const account = { phone: randomPhone(), name, password: randomPassword() };
  await page.goto(`${baseUrl}/register`);
  await page.getByLabel('Telefon raqami').fill(account.phone.e164);
  await page.getByLabel('Ism va familiya').fill(name);
  await page.getByLabel('Parol', { exact: true }).fill(account.password);
  await page.getByRole('main').getByRole('button', { name: 'Roʻyxatdan oʻtish' }).click();
  await page
    .getByRole('heading', { level: 1, name: `Xush kelibsiz, ${name}!` })
    .waitFor({ timeout: 20_000 });
  return account;
}

/** Signs in through the login page (Uzbek UI) and waits to leave it. */
export async function signIn(page: Page, baseUrl: string, account: Account): Promise<void> {
  await page.goto(`${baseUrl}/login`);
  await page.getByLabel('Telefon raqami').fill(account.phone.e164);
  await page.getByLabel('Parol', { exact: true }).fill(account.password);
  await page.getByRole('main').getByRole('button', { name: 'Kirish' }).click();
  await page.waitForURL((url) => url.pathname !== '/login', { timeout: 20_000 });
}

/**
 * An administrator's first sign-in through the page: the password, then the authenticator's
 * set-up (the key read off the page, the code computed from it as an app would), then the
 * recovery codes, acknowledged. Returns the key and the codes; leaves the page where sign-in led.
 */
export async function signInAdminFirstTime(
  page: Page,
  baseUrl: string,
  phone: string,
): Promise<{ secret: string; recoveryCodes: string[] }> {
  await page.goto(`${baseUrl}/login`);
  await page.locator('#login-phone').fill(phone);
  await page.locator('#login-password').fill(TEST_PASSWORD);
  await page.locator('main form button[type=submit]').click();
  const secretText = page.locator('.totp-secret');
  await secretText.waitFor({ timeout: 20_000 });
  const secret = (await secretText.innerText()).trim();
  await page.locator('#totp-enrol-code').fill(totpCode(secret));
  await page.locator('main form button[type=submit]').click();
  await page.locator('.recovery-codes').waitFor({ timeout: 20_000 });
  const recoveryCodes = (await page.locator('.recovery-codes code').allInnerTexts()).map((c) =>
    c.trim(),
  );
  await page.locator('.totp-actions .button--primary').click();
  await page.waitForURL((url) => url.pathname !== '/login', { timeout: 20_000 });
  return { secret, recoveryCodes };
}

/**
 * Records Content-Security-Policy violations and `<style>` elements added after load: the UI
 * kit must work under the server's strict CSP without injecting styles.
 */
export async function watchCsp(page: Page): Promise<() => Promise<string[]>> {
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { __cspViolations: string[] }).__cspViolations = seen;
    document.addEventListener('securitypolicyviolation', (e) =>
      seen.push(
        `${e.violatedDirective}: ${e.blockedURI || 'inline'} ${e.sample} at ${e.sourceFile}:${e.lineNumber}`,
      ),
    );
  });
  return async () =>
    page.evaluate(() => [
      ...(window as unknown as { __cspViolations: string[] }).__cspViolations,
      ...[...document.querySelectorAll('style')].map((s) => `<style>: ${s.textContent ?? ''}`),
    ]);
}

/** A real PNG (servers check the content): `size` × `size` pixels of one colour. */
export function png(size: number): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf: Buffer) => {
    let c = 0xffffffff;
    for (const byte of buf) c = crcTable[(c ^ byte) & 0xff]! ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc(body));
    return Buffer.concat([len, body, sum]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.writeUInt8(8, 8); // bit depth
  header.writeUInt8(2, 9); // truecolour
  const row = Buffer.concat([Buffer.from([0]), Buffer.alloc(size * 3, 0x3c)]);
  const pixels = deflateSync(Buffer.concat(Array.from({ length: size }, () => row)));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', pixels),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
