import './lib/csp';
import { StrictMode, startTransition, useLayoutEffect } from 'react';
import { createRoot } from 'react-dom/client';
import { RouterProvider } from '@tanstack/react-router';
import { PersistQueryClientProvider } from '@tanstack/react-query-persist-client';
import { I18nextProvider } from 'react-i18next';
import { initI18n } from './i18n';
import { RootErrorBoundary } from './components/error-fallback';
import { startErrorReporting } from './lib/error-reporting';
import { persistOptions, queryClient } from './lib/query-client';
import { router } from './router';
import './styles.css';

const i18n = initI18n();

// The service worker keeps the app shell so a reload without a connection still opens the app.
// Only production builds have one (the dev server's modules change on every edit).
// Registered once the page has loaded (its install fetches the whole shell); the boot script may
// have started the app after that already.
if (import.meta.env.PROD && 'serviceWorker' in navigator) {
  const register = () => {
    navigator.serviceWorker.register('/sw.js').catch((error: unknown) => {
      console.warn('The offline app shell is unavailable:', error);
    });
  };
  if (document.readyState === 'complete') register();
  else window.addEventListener('load', register, { once: true });
}

// Where browser errors go is the server's setting; without one, the SDK is never loaded.
void startErrorReporting();

const found = document.getElementById('root');
if (!found) throw new Error('Missing #root element');
const container: HTMLElement = found;

// The page's route code is fetched while the session is checked, not after.
for (const match of router.matchRoutes(window.location.pathname)) {
  void router.loadRouteChunk(router.routesById[match.routeId]);
}

/** Drops the prerendered page's mark once React's own page is on screen. */
function TakenOver({ root: element }: { root: HTMLElement }) {
  useLayoutEffect(() => {
    element.removeAttribute('data-prerendered');
  }, [element]);
  return null;
}

function render() {
  // As a transition, the first render yields to the browser every few milliseconds instead of
  // holding the main thread in one long task.
  startTransition(() => {
    root.render(
      <StrictMode>
        <I18nextProvider i18n={i18n}>
          <RootErrorBoundary>
            <PersistQueryClientProvider client={queryClient} persistOptions={persistOptions}>
              <RouterProvider router={router} />
              <TakenOver root={container} />
            </PersistQueryClientProvider>
          </RootErrorBoundary>
        </I18nextProvider>
      </StrictMode>,
    );
  });
}

/** How long a page without prerendered content waits for its route before React draws anyway. */
const FIRST_ROUTE_WAIT_MS = 1000;

// React's first render draws the route once it has loaded (session, code, strings, data): as a
// transition, that render yields to the browser every few milliseconds. Rendered before, React
// would draw the page again once the router had loaded, synchronously (the router's store
// updates through useSyncExternalStore): one long task on a phone. On a prerendered page
// (apps/web/plugins/prerender.ts) the route is always waited for: a commit before it would
// replace the page with the header alone. Elsewhere index.html shows only the header, so after
// a second the app draws its layout and the route's pending state instead.
const root = createRoot(container);
const firstRoute = router
  .load()
  .catch((error: unknown) => console.error('The first page could not be loaded:', error));
void (
  container.hasAttribute('data-prerendered')
    ? firstRoute
    : Promise.race([firstRoute, new Promise((resolve) => setTimeout(resolve, FIRST_ROUTE_WAIT_MS))])
).then(render);
