import './lib/csp';
import { StrictMode, startTransition } from 'react';
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

const container = document.getElementById('root');
if (!container) throw new Error('Missing #root element');

// The page's route code is fetched while the session is checked, not after.
for (const match of router.matchRoutes(window.location.pathname)) {
  void router.loadRouteChunk(router.routesById[match.routeId]);
}

// As a transition, the first render yields to the browser every few milliseconds instead of
// holding the main thread in one long task; index.html's header stays on screen meanwhile.
const root = createRoot(container);
startTransition(() => {
  root.render(
    <StrictMode>
      <I18nextProvider i18n={i18n}>
        <RootErrorBoundary>
          <PersistQueryClientProvider client={queryClient} persistOptions={persistOptions}>
            <RouterProvider router={router} />
          </PersistQueryClientProvider>
        </RootErrorBoundary>
      </I18nextProvider>
    </StrictMode>,
  );
});
