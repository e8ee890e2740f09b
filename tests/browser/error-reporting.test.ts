import { startSentrySink, type SentrySink } from '@medora/core/testing';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveApp, type ServedApp } from '../../apps/server/test/app-harness';
import { startTestServer, type TestServer } from '../../apps/server/test/start-test-server';
import { launchChromium, watchCsp } from './support';

// The built app reports a browser error to SENTRY_WEB_DSN (a local sink speaking Sentry's
// envelope protocol) scrubbed, under the real CSP; without a web DSN the SDK never loads.

const NAME = 'Tursunbayeva';
const PHONE = '+998935557213';
const EMAIL = 'gulnora.t@pochta.uz';
const SDK_NAME = 'sentry.javascript.browser';

let server: TestServer;
let sink: SentrySink;
let reporting: ServedApp;
let browser: Browser;

beforeAll(async () => {
  server = await startTestServer();
  sink = await startSentrySink();
  const { errorReporting } = server.services.config;
  reporting = await serveApp(server, {
    config: { errorReporting: { ...errorReporting, webDsn: sink.dsn } },
  });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await reporting?.close();
  await sink?.close();
  await server?.stop();
});

/** Whether the SDK chunk ran in the page (it leaves its carrier on the global object). */
const sdkLoaded = (page: Page) => page.evaluate(() => '__SENTRY__' in window);

async function until(check: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('browser error reports', () => {
  it('without SENTRY_WEB_DSN the SDK is never loaded', async () => {
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      const configs: string[] = [];
      const scripts: Promise<string>[] = [];
      page.on('response', (r) => {
        if (r.url().endsWith('/api/client-config')) configs.push(r.url());
        if (r.request().resourceType() === 'script') scripts.push(r.text());
      });
      await page.goto(`${server.baseUrl}/login`, { waitUntil: 'networkidle' });
      expect(configs).toHaveLength(1);
      expect(scripts.length).toBeGreaterThan(0);
      // The SDK's global carrier: in its chunk only, and no script the page fetched has it.
      for (const script of await Promise.all(scripts)) expect(script).not.toContain('__SENTRY__');
      expect(await sdkLoaded(page)).toBe(false);
    } finally {
      await context.close();
    }
  });

  it('an error in the page arrives scrubbed, within the CSP', async () => {
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      const violations = await watchCsp(page);
      await page.goto(`${reporting.baseUrl}/login?q=${NAME}&phone=${encodeURIComponent(PHONE)}`);
      await until(() => sdkLoaded(page));
      // A request whose URL names a patient leaves a breadcrumb; then a careless error.
      await page.evaluate(async (name) => {
        const input = encodeURIComponent(JSON.stringify({ json: { search: name } }));
        await fetch(`/trpc/patient.list?input=${input}`);
      }, NAME);
      await page.evaluate(
        ({ phone, email }) => {
          setTimeout(() => {
            throw new Error(`render failed for ${phone} (${email})`);
          });
        },
        { phone: PHONE, email: EMAIL },
      );
      const [event] = await sink.waitForEvents(1);
      const raw = sink.envelopes.map((e) => e.raw).join('\n');
      for (const value of [NAME, PHONE, '998935557213', EMAIL, encodeURIComponent(PHONE), 'q='])
        expect(raw, value).not.toContain(value);

      expect(event!.tags).toMatchObject({ service: 'web' });
      expect((event!.sdk as { name: string }).name).toBe(SDK_NAME);
      const exception = (event!.exception as { values: { value: string }[] }).values.at(-1)!;
      expect(exception.value).toBe('render failed for [phone] ([email])');
      expect((event!.request as { url: string }).url).toBe(`${reporting.baseUrl}/login`);
      const crumbs = event!.breadcrumbs as { category: string; data?: { url?: string } }[];
      expect(crumbs.find((c) => c.category === 'fetch')?.data?.url).toBe('/trpc/patient.list');
      expect(await violations()).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
