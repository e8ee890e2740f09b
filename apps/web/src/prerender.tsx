/**
 * Draws a public page to HTML at build time (plugins/prerender.ts) as the browser's first render
 * draws it for a visitor without a session, in one language: the same router, layout, page and
 * strings. The server sends that HTML for the page (apps/server/src/routes/web.ts), so a phone
 * shows the page's text before the app's ~180 KB of JavaScript has arrived; the app then
 * replaces it with its own render of the same page.
 */
import { StrictMode } from 'react';
import { renderToString } from 'react-dom/server';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { createMemoryHistory, RouterProvider } from '@tanstack/react-router';
import { I18nextProvider } from 'react-i18next';
import type { Locale } from '@medora/schema';
import { RootErrorBoundary } from './components/error-fallback';
import { htmlLang, initI18n, setLocale } from './i18n';
import { startSignedOut } from './lib/session';
import { createAppRouter } from './router';

export interface PrerenderedPage {
  /** The markup of `#root`. */
  html: string;
  /** `<html lang>`. */
  lang: string;
  /** document.title as the page sets it ("<heading> · MedoraAI"). */
  title: string;
  /** The meta description in the page's language. */
  description: string;
}

const i18n = initI18n();
startSignedOut();

/** Renders `path` for a signed-out visitor in `locale`. Pages are drawn one at a time. */
export async function renderPage(path: string, locale: Locale): Promise<PrerenderedPage> {
  await setLocale(locale);
  const router = createAppRouter({ history: createMemoryHistory({ initialEntries: [path] }) });
  await router.load();
  const match = router.state.matches.at(-1);
  if (!match || match.status !== 'success' || router.state.location.pathname !== path) {
    throw new Error(`${path} did not render as a page (${match?.status ?? 'no match'})`);
  }
  const html = renderToString(
    <StrictMode>
      <I18nextProvider i18n={i18n}>
        <RootErrorBoundary>
          <QueryClientProvider client={new QueryClient()}>
            <RouterProvider router={router} />
          </QueryClientProvider>
        </RootErrorBoundary>
      </I18nextProvider>
    </StrictMode>,
  );
  const heading = /<h1\b[^>]*>([^<]*)<\/h1>/.exec(html)?.[1];
  if (!heading) throw new Error(`${path} has no plain-text <h1>`);
  const t = i18n.getFixedT(locale);
  return {
    html,
    lang: htmlLang[locale],
    title: `${heading} · ${t('app.name')}`,
    description: `${t('app.name')} — ${t('app.tagline')}`,
  };
}
