/** What the browser suites share: Chromium launch, fresh phone numbers, failure screenshots. */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { normalizeUzPhone } from '@medora/schema';
import { chromium, type Browser, type Page } from 'playwright-core';
import { onTestFailed } from 'vitest';

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
  for (;;) {
    const digits = String(Math.floor(Math.random() * 10_000_000)).padStart(7, '0');
    const e164 = `+99890${digits}`;
    if (normalizeUzPhone(e164) === e164) {
      // "90 123 45 67": the same number written the way people say it.
      const national = `90 ${digits.slice(0, 3)} ${digits.slice(3, 5)} ${digits.slice(5)}`;
      return { e164, national };
    }
  }
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
