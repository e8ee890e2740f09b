import { rm, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
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

describe('prerendered pages', () => {
  const ACCEPT_BR = { 'accept-encoding': 'gzip, deflate, br' };
  const cookie = (locale: string) => ({ cookie: `theme=dark; medora_locale=${locale}` });
  const varies = (res: RawResponse, name: string) =>
    String(res.headers.vary ?? '')
      .toLowerCase()
      .split(/\s*,\s*/)
      .includes(name.toLowerCase());

  it('answers a page load with the page drawn in the language of the locale cookie', async () => {
    for (const [locale, file] of [
      ['ru', 'prerendered/login.ru.html'],
      ['en', 'prerendered/login.en.html'],
      ['uz', 'prerendered/login.uz.html'],
    ] as const) {
      const res = await get(prod, '/login?redirect=%2Fpatients', {
        ...NAVIGATE,
        ...cookie(locale),
      });
      expectFile(res, file, locale);
      expect(res.headers['content-type'], locale).toMatch(/^text\/html/);
      expect(res.headers['cache-control'], locale).toBe('no-cache');
      expect(varies(res, 'Cookie'), locale).toBe(true);
      expect(varies(res, 'Accept-Encoding'), locale).toBe(true);
    }
  });

  it('draws it in Uzbek without a cookie, or with one naming no language of the app', async () => {
    for (const headers of [
      {},
      cookie('de'),
      cookie('RU'),
      cookie(''),
      { cookie: 'medora_locale' },
    ]) {
      expectFile(
        await get(prod, '/login', { ...NAVIGATE, ...headers }),
        'prerendered/login.uz.html',
      );
    }
  });

  it('leaves a language the build did not draw, and every other route, to the app', async () => {
    // /register exists in Uzbek only here: a Russian visitor gets the app, not Uzbek text.
    expectFile(await get(prod, '/register', { ...NAVIGATE, ...cookie('ru') }), 'index.html');
    expectFile(await get(prod, '/register', NAVIGATE), 'prerendered/register.uz.html');
    for (const target of ['/', '/patients', '/login/', '/login/extra', '/Login']) {
      const res = await get(prod, target, { ...NAVIGATE, ...cookie('ru') });
      expectFile(res, 'index.html', target);
      expect(varies(res, 'Cookie'), target).toBe(false);
    }
    // Not a page load: no HTML at all, as for any route.
    expectNotFound(await get(prod, '/login', { ...FETCH, ...cookie('ru') }), 'fetch /login');
  });

  it('gives each language its own ETag, and revalidates each against its own', async () => {
    const uz = await get(prod, '/login', { ...NAVIGATE, ...ACCEPT_BR });
    const ru = await get(prod, '/login', { ...NAVIGATE, ...ACCEPT_BR, ...cookie('ru') });
    expect(uz.headers.etag).toMatch(/-uz-br"$/);
    expect(ru.headers.etag).toMatch(/-ru-br"$/);
    const again = await get(prod, '/login', {
      ...NAVIGATE,
      ...ACCEPT_BR,
      ...cookie('ru'),
      'if-none-match': String(ru.headers.etag),
    });
    expect(again.status).toBe(304);
    // The Uzbek copy is not fresh once the cookie says Russian.
    const switched = await get(prod, '/login', {
      ...NAVIGATE,
      ...cookie('ru'),
      'if-none-match': String(uz.headers.etag),
    });
    expectFile(switched, 'prerendered/login.ru.html');
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

describe('compressed delivery', () => {
  const BR = { 'accept-encoding': 'gzip, deflate, br, zstd' };
  const GZIP = { 'accept-encoding': 'gzip, deflate' };
  /** The text files of a build, each as the browser asks for it. */
  const TEXT: [string, keyof typeof WEB_FILES, Record<string, string>, RegExp][] = [
    ['/', 'index.html', NAVIGATE, /^text\/html/],
    ['/patients', 'index.html', NAVIGATE, /^text\/html/],
    ['/assets/index-Bx3f9a1c.js', 'assets/index-Bx3f9a1c.js', SCRIPT, /javascript/],
    ['/sw.js', 'sw.js', SCRIPT, /javascript/],
    ['/manifest.webmanifest', 'manifest.webmanifest', FETCH, /^application\/manifest\+json/],
  ];

  function expectEncoded(res: RawResponse, encoding: 'br' | 'gzip', name: keyof typeof WEB_FILES) {
    expect(res.status, name).toBe(200);
    expect(res.headers['content-encoding'], name).toBe(encoding);
    const decoded = encoding === 'br' ? brotliDecompressSync(res.bytes) : gunzipSync(res.bytes);
    expect(decoded.toString('utf8'), name).toBe(WEB_FILES[name]);
    expect(Number(res.headers['content-length']), name).toBe(res.bytes.length);
  }
  const varies = (res: RawResponse) =>
    String(res.headers.vary ?? '')
      .toLowerCase()
      .split(/\s*,\s*/)
      .includes('accept-encoding');

  it('sends the brotli twin when the browser accepts br, with the type and caching of the file', async () => {
    for (const [target, name, headers, type] of TEXT) {
      const res = await get(prod, target, { ...headers, ...BR });
      expectEncoded(res, 'br', name);
      expect(res.headers['content-type'], target).toMatch(type);
      expect(varies(res), target).toBe(true);
      expect(res.headers['cache-control'], target).toBe(
        target.startsWith('/assets/') ? 'max-age=31536000,immutable' : 'no-cache',
      );
    }
  });

  it('sends the gzip twin when only gzip is accepted, or brotli is refused', async () => {
    for (const [target, name, headers, type] of TEXT) {
      const res = await get(prod, target, { ...headers, ...GZIP });
      expectEncoded(res, 'gzip', name);
      expect(res.headers['content-type'], target).toMatch(type);
      expect(varies(res), target).toBe(true);
    }
    const refused = { ...SCRIPT, 'accept-encoding': 'br;q=0, gzip' };
    expectEncoded(
      await get(prod, '/assets/index-Bx3f9a1c.js', refused),
      'gzip',
      'assets/index-Bx3f9a1c.js',
    );
  });

  it('sends the file itself when no encoding is accepted, still varying on Accept-Encoding', async () => {
    const extras: Record<string, string>[] = [
      {},
      { 'accept-encoding': 'identity' },
      { 'accept-encoding': 'deflate' },
    ];
    for (const extra of extras) {
      for (const [target, name, headers] of TEXT) {
        const res = await get(prod, target, { ...headers, ...extra });
        const label = `${target} ${JSON.stringify(extra)}`;
        expectFile(res, name, label);
        expect(res.headers['content-encoding'], label).toBeUndefined();
        expect(varies(res), label).toBe(true);
      }
    }
  });

  it('gives each encoding its own ETag, and a revalidation with it is a 304', async () => {
    const target = '/assets/index-Bx3f9a1c.js';
    const tags = new Map<string, string>();
    for (const [label, extra] of [
      ['br', BR],
      ['gzip', GZIP],
      ['identity', {}],
    ] as const) {
      const res = await get(prod, target, { ...SCRIPT, ...extra });
      const etag = String(res.headers.etag);
      tags.set(label, etag);
      const again = await get(prod, target, { ...SCRIPT, ...extra, 'if-none-match': etag });
      expect(again.status, label).toBe(304);
      expect(again.body, label).toBe('');
      expect(again.headers.etag, label).toBe(etag);
      expect(varies(again), label).toBe(true);
    }
    expect(new Set(tags.values()).size).toBe(3);
    // A gzip copy is not fresh for a client now getting brotli: it gets the full brotli body.
    const switched = await get(prod, target, {
      ...SCRIPT,
      ...BR,
      'if-none-match': tags.get('gzip')!,
    });
    expectEncoded(switched, 'br', 'assets/index-Bx3f9a1c.js');
    // index.html too, through the client router's fallback.
    const page = await get(prod, '/patients', { ...NAVIGATE, ...BR });
    const revalidated = await get(prod, '/patients', {
      ...NAVIGATE,
      ...BR,
      'if-none-match': String(page.headers.etag),
    });
    expect(revalidated.status).toBe(304);
  });

  it('keeps the ETags apart even when the twins have the same size and time', async () => {
    // The tag is built from size and mtime; the encoding in it is what separates these two.
    const twins = await makeWebDist();
    const file = path.join(twins, 'sw.js');
    const when = new Date('2026-12-01T00:00:00Z');
    for (const ext of ['.br', '.gz']) {
      await writeFile(`${file}${ext}`, Buffer.alloc(16, 1));
      await utimes(`${file}${ext}`, when, when);
    }
    const app = await serveApp(server, { webDistDir: twins, config: { isProduction: true } });
    try {
      const br = await get(app, '/sw.js', { ...SCRIPT, ...BR });
      const gz = await get(app, '/sw.js', { ...SCRIPT, ...GZIP });
      expect([br.headers['content-encoding'], gz.headers['content-encoding']]).toEqual([
        'br',
        'gzip',
      ]);
      expect(br.headers.etag).not.toBe(gz.headers.etag);
    } finally {
      await app.close();
      await rm(twins, { recursive: true, force: true });
    }
  });

  it('answers a Range request with the whole file (ranges are not offered)', async () => {
    for (const extra of [BR, {}]) {
      const res = await get(prod, '/assets/index-Bx3f9a1c.js', {
        ...SCRIPT,
        ...extra,
        range: 'bytes=0-3',
      });
      expect(res.status).toBe(200);
      expect(res.headers['content-range']).toBeUndefined();
      expect(res.headers['accept-ranges']).toBeUndefined();
      if (extra === BR) expectEncoded(res, 'br', 'assets/index-Bx3f9a1c.js');
      else expectFile(res, 'assets/index-Bx3f9a1c.js');
    }
  });

  it('leaves images alone and never serves a twin or a compressed source map by its own name', async () => {
    const icon = await get(prod, '/icons/icon-192.png', { ...IMAGE, ...BR });
    expectFile(icon, 'icons/icon-192.png');
    expect(icon.headers['content-encoding']).toBeUndefined();
    for (const app of [dev, prod]) {
      for (const target of ['/assets/index-Bx3f9a1c.js.br', '/sw.js.gz', '/index.html.br']) {
        expectNotFound(await get(app, target, { ...SCRIPT, ...BR }), target);
      }
    }
    for (const extra of [BR, GZIP]) {
      expectNotFound(
        await get(prod, '/assets/index-Bx3f9a1c.js.map', { ...FETCH, ...extra }),
        'map',
      );
    }
  });

  it('answers HEAD with the headers of the compressed answer and no body', async () => {
    const res = await rawRequest(prod.baseUrl, {
      method: 'HEAD',
      path: '/assets/index-Bx3f9a1c.js',
      headers: { ...SCRIPT, ...BR },
    });
    expect(res.status).toBe(200);
    expect(res.headers['content-encoding']).toBe('br');
    expect(res.bytes.length).toBe(0);
  });

  it('falls back to the files themselves when a build has no twins', async () => {
    const bare = await makeWebDist({ precompressed: false });
    const app = await serveApp(server, { webDistDir: bare, config: { isProduction: true } });
    try {
      for (const [target, name, headers] of TEXT) {
        const res = await get(app, target, { ...headers, ...BR });
        expectFile(res, name, target);
        expect(res.headers['content-encoding'], target).toBeUndefined();
      }
    } finally {
      await app.close();
      await rm(bare, { recursive: true, force: true });
    }
  });
});
