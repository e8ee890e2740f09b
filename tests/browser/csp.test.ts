import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveApp, type ServedApp } from '../../apps/server/test/app-harness';
import { startTestServer, type TestServer } from '../../apps/server/test/start-test-server';
import { launchChromium } from './support';

// A page shaped like the built app: no inline script or style, a manifest link, and a module
// script that registers a service worker and records every CSP violation the page reports.
const FILES: Record<string, string> = {
  'index.html': `<!doctype html>
<html lang="uz">
  <head>
    <meta charset="utf-8" />
    <title>loading</title>
    <link rel="manifest" href="/manifest.webmanifest" />
    <script type="module" src="/assets/register-D4x9.js"></script>
  </head>
  <body></body>
</html>`,
  'assets/register-D4x9.js': `
const violations = [];
document.addEventListener('securitypolicyviolation', (e) =>
  violations.push(e.effectiveDirective + ' ' + e.blockedURI),
);
navigator.serviceWorker
  .register('/sw.js')
  .then(() => navigator.serviceWorker.ready)
  .then((reg) => (document.title = 'ready:' + reg.active.scriptURL))
  .catch((err) => (document.title = 'failed:' + err))
  .finally(() => (document.body.dataset.violations = JSON.stringify(violations)));
`,
  'sw.js': `self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (e) => e.waitUntil(self.clients.claim()));`,
  // Chromium asks for it on every page; its 404 would be a console error.
  'favicon.ico': '',
  'manifest.webmanifest': JSON.stringify({
    name: 'MedoraAI',
    start_url: '/',
    display: 'standalone',
  }),
};

let server: TestServer;
let app: ServedApp;
let browser: Browser;
let webDir: string;
beforeAll(async () => {
  server = await startTestServer();
  webDir = await mkdtemp(path.join(tmpdir(), 'medora-csp-'));
  for (const [name, content] of Object.entries(FILES)) {
    await mkdir(path.dirname(path.join(webDir, name)), { recursive: true });
    await writeFile(path.join(webDir, name), content);
  }
  app = await serveApp(server, { webDistDir: webDir, config: { isProduction: true } });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
  await server?.stop();
  if (webDir) await rm(webDir, { recursive: true, force: true });
});

describe('the content security policy in a browser', () => {
  it('lets the page register a same-origin service worker and load its web app manifest', async () => {
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      const consoleErrors: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error') consoleErrors.push(m.text());
      });
      await page.goto(`${app.baseUrl}/`);
      // A locator, not waitForFunction: that evaluates a string, which this CSP rightly refuses.
      await page.locator('body[data-violations]').waitFor({ state: 'attached' });
      expect(await page.title()).toBe(`ready:${app.baseUrl}/sw.js`);
      expect(await page.locator('body').getAttribute('data-violations')).toBe('[]');

      // Chromium fetches the manifest on demand; a CSP refusal would show up as an error here.
      const cdp = await context.newCDPSession(page);
      const manifest = await cdp.send('Page.getAppManifest', {});
      expect(manifest.errors).toEqual([]);
      expect(manifest.data).toContain('MedoraAI');
      expect(consoleErrors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
