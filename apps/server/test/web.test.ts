import { rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  makeWebDist,
  rawRequest,
  serveApp,
  WEB_FILES,
  type RawResponse,
  type ServedApp,
} from './app-harness';
import { startTestServer, type TestServer } from './start-test-server';

let server: TestServer;
let webDir: string;
let dev: ServedApp;
let prod: ServedApp;
beforeAll(async () => {
  server = await startTestServer();
  webDir = await makeWebDist();
  dev = await serveApp(server, { webDistDir: webDir, config: { isProduction: false } });
  prod = await serveApp(server, { webDistDir: webDir, config: { isProduction: true } });
});
afterAll(async () => {
  await dev?.close();
  await prod?.close();
  await server?.stop();
  if (webDir) await rm(webDir, { recursive: true, force: true });
});

/** Headers Chromium sends for a page load, a script, an image and a fetch. */
const NAVIGATE = {
  accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8',
  'sec-fetch-mode': 'navigate',
  'sec-fetch-dest': 'document',
  'sec-fetch-site': 'none',
};
const SCRIPT = { accept: '*/*', 'sec-fetch-mode': 'cors', 'sec-fetch-dest': 'script' };
const IMAGE = {
  accept: 'image/avif,image/webp,image/apng,image/svg+xml,image/*,*/*;q=0.8',
  'sec-fetch-mode': 'no-cors',
  'sec-fetch-dest': 'image',
};
const FETCH = { accept: '*/*', 'sec-fetch-mode': 'cors', 'sec-fetch-dest': 'empty' };

const get = (app: ServedApp, target: string, headers: Record<string, string> = {}) =>
  rawRequest(app.baseUrl, { method: 'GET', path: target, headers });

function expectFile(res: RawResponse, name: keyof typeof WEB_FILES, label: string = name) {
  expect(res.status, label).toBe(200);
  expect(res.body, label).toBe(WEB_FILES[name]);
}

function expectNotFound(res: RawResponse, label: string) {
  expect(res.status, label).toBe(404);
  expect(res.headers['content-type'] ?? '', label).not.toMatch(/html/);
  expect(res.body, label).not.toContain('<!doctype html>');
}

describe('the built web app', () => {
  it('serves index.html for navigations to app routes, revalidated on every visit', async () => {
    for (const target of ['/', '/index.html', '/patients', '/patients/7c9e6679-7425-40de', '/a/']) {
      const res = await get(dev, target, NAVIGATE);
      expectFile(res, 'index.html', target);
      expect(res.headers['content-type'], target).toMatch(/^text\/html/);
      expect(res.headers['cache-control'], target).toBe('no-cache');
    }
    // Without fetch metadata (older browsers, curl), an Accept that names HTML is a page load.
    expectFile(await get(dev, '/patients', { accept: 'text/html' }), 'index.html');
  });

  it('answers 404, never the app shell, for unknown paths that are not page loads', async () => {
    const cases: [string, Record<string, string>][] = [
      ['/assets/index-0ld0ne.js', SCRIPT],
      ['/assets/index-0ld0ne.js', NAVIGATE],
      ['/assets/', NAVIGATE],
      ['/assets', NAVIGATE],
      ['/assets/nested/missing.css', {}],
      ['/apple-touch-icon.png', IMAGE],
      ['/robots.txt', NAVIGATE],
      ['/sw-old.js', SCRIPT],
      ['/patients', FETCH],
      ['/patients', { accept: '*/*' }],
      ['/patients', {}],
    ];
    for (const [target, headers] of cases)
      expectNotFound(await get(dev, target, headers), `${target} ${JSON.stringify(headers)}`);
  });

  it('keeps hashed assets forever and revalidates the files at the web root', async () => {
    const asset = await get(dev, '/assets/index-Bx3f9a1c.js', SCRIPT);
    expectFile(asset, 'assets/index-Bx3f9a1c.js');
    expect(asset.headers['content-type']).toMatch(/javascript/);
    expect(asset.headers['cache-control']).toBe('max-age=31536000,immutable');

    const rootFiles: [keyof typeof WEB_FILES, RegExp][] = [
      ['sw.js', /javascript/],
      ['manifest.webmanifest', /^application\/manifest\+json/],
      ['favicon.ico', /^image\//],
      ['icons/icon-192.png', /^image\/png/],
    ];
    for (const [name, type] of rootFiles) {
      const res = await get(dev, `/${name}`, name === 'sw.js' ? SCRIPT : IMAGE);
      expectFile(res, name);
      expect(res.headers['content-type'], name).toMatch(type);
      expect(res.headers['cache-control'], name).toBe('no-cache');
    }
  });

  it('never answers /favicon.ico with HTML, even when the build has none', async () => {
    const bare = await makeWebDist();
    await rm(path.join(bare, 'favicon.ico'));
    const app = await serveApp(server, { webDistDir: bare });
    try {
      for (const headers of [IMAGE, NAVIGATE, { accept: '*/*' }])
        expectNotFound(await get(app, '/favicon.ico', headers), JSON.stringify(headers));
    } finally {
      await app.close();
      await rm(bare, { recursive: true, force: true });
    }
  });

  it('lets the page load a same-origin service worker and web app manifest under the CSP', async () => {
    const csp = String((await get(dev, '/', NAVIGATE)).headers['content-security-policy']);
    const directives = new Map(
      csp.split(';').map((d) => {
        const [name = '', ...values] = d.trim().split(/\s+/);
        return [name, values.join(' ')] as const;
      }),
    );
    expect(directives.get('worker-src')).toBe("'self'");
    expect(directives.get('manifest-src')).toBe("'self'");
    expect(directives.get('script-src')).toBe("'self'");
  });
});

describe('source maps', () => {
  const maps = [
    '/assets/index-Bx3f9a1c.js.map',
    '/assets/index-Bx3f9a1c.js.map.gz',
    // Percent-encoded, as the file server decodes it.
    '/assets/index-Bx3f9a1c.js%2Emap',
    '/assets/index-Bx3f9a1c.js.%6D%61%70',
  ];

  it('are never served in production, even when the build folder has them', async () => {
    for (const target of maps) {
      expectNotFound(await get(prod, target, FETCH), target);
      expectNotFound(await get(prod, target, NAVIGATE), target);
    }
    // The script itself is still served.
    expectFile(await get(prod, '/assets/index-Bx3f9a1c.js', SCRIPT), 'assets/index-Bx3f9a1c.js');
  });

  it('are served in development, for the browser debugger', async () => {
    expectFile(await get(dev, maps[0]!, FETCH), 'assets/index-Bx3f9a1c.js.map');
    expectFile(await get(dev, maps[2]!, FETCH), 'assets/index-Bx3f9a1c.js.map');
  });
});
