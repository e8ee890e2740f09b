// @vitest-environment node
import { describe, expect, it } from 'vitest';
import type { Rollup } from 'vite';
import { renderPage } from '../src/prerender';
import { en } from '../src/i18n/en';
import { ru } from '../src/i18n/ru';
import { uz } from '../src/i18n/uz';
import { en as authEn } from '../src/features/auth/i18n/en';
import { ru as authRu } from '../src/features/auth/i18n/ru';
import { uz as authUz } from '../src/features/auth/i18n/uz';
import { cssOf, prerenderedHtml, PRERENDERED } from './prerender';

const INDEX = `<!doctype html>
<html lang="uz-Latn">
  <head>
    <meta
      name="description"
      content="MedoraAI — three languages"
    />
    <title>MedoraAI</title>
    <script type="module" crossorigin src="/assets/boot-B00t.js"></script>
    <link rel="modulepreload" crossorigin href="/assets/index-Entry.js">
    <link rel="modulepreload" crossorigin href="/assets/react-R3act.js">
    <link rel="stylesheet" crossorigin href="/assets/index-Styles.css">
  </head>
  <body>
    <div id="root">
      <header class="site-header"><a href="/" class="brand">MedoraAI</a></header>
    </div>
    <noscript><p>JavaScript</p></noscript>
  </body>
</html>`;

const shell = { uz, ru, en };
const strings = { uz: authUz, ru: authRu, en: authEn };
/** A string of a translation table by its dotted key. */
const text = (table: unknown, key: string): string =>
  key
    .split('.')
    .reduce<unknown>((node, part) => (node as Record<string, unknown>)[part], table) as string;

describe('renderPage (src/prerender.tsx)', () => {
  it.each(['uz', 'ru', 'en'] as const)(
    'draws the sign-in and registration pages in %s, signed out, as the app does',
    async (locale) => {
      for (const [path, key] of [
        ['/login', 'login'],
        ['/register', 'register'],
      ] as const) {
        const page = await renderPage(path, locale);
        const heading = text(strings[locale], `${key}.title`);
        expect(page.html).toContain(`>${heading}</h1>`);
        expect(page.title).toBe(`${heading} · MedoraAI`);
        expect(page.lang).toBe({ uz: 'uz-Latn', ru: 'ru', en: 'en' }[locale]);
        expect(page.description).toBe(`MedoraAI — ${text(shell[locale], 'app.tagline')}`);
        // The whole layout: skip link, header with the language menu's button, the form.
        expect(page.html).toContain(
          `href="#main">${text(shell[locale], 'a11y.skipToContent')}</a>`,
        );
        expect(page.html).toMatch(/<form\b[^>]*class="form"/);
        expect(page.html).toContain(`id="${key}-phone"`);
        // Signed out: no signed-in navigation. No script (scroll restoration would add one).
        expect(page.html).not.toContain('href="/patients"');
        expect(page.html).not.toMatch(/<script\b/);
        // The registration form's language is the page's, selected in the HTML already.
        if (key === 'register') {
          expect(page.html).toMatch(new RegExp(`<option value="${locale}"[^>]*selected`));
        }
      }
    },
  );

  it('refuses a path that is not a page of its own', async () => {
    await expect(renderPage('/patients', 'uz')).rejects.toThrow(/did not render as a page/);
  });
});

describe('prerenderedHtml', () => {
  const page = {
    html: '<main><h1>Вход</h1><form class="form"><input id="p"><button type="submit">Войти</button></form><a href="/register">Регистрация</a></main>',
    lang: 'ru',
    title: 'Вход · MedoraAI',
    description: 'MedoraAI — "Поддержка" & <решения>',
    css: ['/assets/index-Styles.css', '/assets/own-device-Field.css'],
  };
  const html = prerenderedHtml(INDEX, page);

  it('puts the page in #root, marked as drawn at build time', () => {
    expect(html).toContain(`<div id="root" data-prerendered=""><main><h1>Вход</h1>`);
    expect(html).not.toContain('class="brand"');
    expect(html).toContain('<noscript><p>JavaScript</p></noscript>');
  });

  it('makes forms and buttons inert until the app takes over; links stay links', () => {
    expect(html).toContain('<form inert="" aria-disabled="true" class="form">');
    expect(html).toContain('<button inert="" aria-disabled="true" type="submit">');
    expect(html).toContain('<a href="/register">');
  });

  it('sets the language, the title and the description of the page', () => {
    expect(html).toContain('<html lang="ru">');
    expect(html).toContain('<title>Вход · MedoraAI</title>');
    expect(html).toContain('content="MedoraAI — &quot;Поддержка&quot; &amp; &lt;решения>"');
  });

  it('asks for no script before the first paint: only the boot script stays', () => {
    expect(html).not.toContain('modulepreload');
    expect(html).toContain('<script type="module" crossorigin src="/assets/boot-B00t.js">');
  });

  it("links the page's own stylesheets once, after the app's", () => {
    const links = [...html.matchAll(/<link rel="stylesheet"[^>]*href="([^"]+)"/g)].map((m) => m[1]);
    expect(links).toEqual(['/assets/index-Styles.css', '/assets/own-device-Field.css']);
  });

  it('refuses a page that holds a script, which the CSP would refuse', () => {
    expect(() =>
      prerenderedHtml(INDEX, { ...page, html: '<main></main><script>restore()</script>' }),
    ).toThrow(/<script>/);
  });

  it('refuses an index.html it cannot fill', () => {
    expect(() => prerenderedHtml('<html><body></body></html>', page)).toThrow(/#root/);
  });
});

describe('cssOf', () => {
  const chunk = (
    fileName: string,
    facadeModuleId: string | null,
    imports: string[],
    css: string[],
  ) =>
    ({
      type: 'chunk',
      fileName,
      facadeModuleId,
      imports,
      viteMetadata: { importedCss: new Set(css), importedAssets: new Set() },
    }) as unknown as Rollup.OutputChunk;

  it("collects the stylesheets of a page's chunk and of every chunk it imports", () => {
    const bundle = {
      'assets/login-page-1.js': chunk(
        'assets/login-page-1.js',
        '/app/src/features/auth/login-page.tsx',
        ['assets/own-device-2.js', 'assets/react-3.js'],
        [],
      ),
      'assets/own-device-2.js': chunk(
        'assets/own-device-2.js',
        null,
        ['assets/react-3.js'],
        ['assets/own-device-2.css'],
      ),
      'assets/react-3.js': chunk('assets/react-3.js', null, ['assets/own-device-2.js'], []),
      'assets/second-factor-4.js': chunk(
        'assets/second-factor-4.js',
        null,
        [],
        ['assets/second-factor-4.css'],
      ),
    } as unknown as Rollup.OutputBundle;
    expect(cssOf(bundle, 'src/features/auth/login-page.tsx', '/')).toEqual([
      '/assets/own-device-2.css',
    ]);
    expect(() => cssOf(bundle, 'src/features/auth/register-page.tsx', '/')).toThrow(/no chunk/);
  });

  it('names modules that exist', async () => {
    const { existsSync } = await import('node:fs');
    for (const page of PRERENDERED) {
      expect(existsSync(new URL(`../${page.module}`, import.meta.url)), page.module).toBe(true);
    }
  });
});
