import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { RouterProvider } from '@tanstack/react-router';
import { PersistQueryClientProvider } from '@tanstack/react-query-persist-client';
import { I18nextProvider } from 'react-i18next';
import { initI18n } from './i18n';
import { RootErrorBoundary } from './components/error-fallback';
import { connectivity } from './lib/connectivity';
import { persistOptions, queryClient } from './lib/query-client';
import { resumeAfterOffline } from './lib/session';
import { router } from './router';
import './styles.css';

const i18n = initI18n();

// Coming back online after starting offline: restore the session quietly.
let wasOnline = connectivity.get().browserOnline;
connectivity.subscribe(() => {
  const { browserOnline } = connectivity.get();
  if (browserOnline && !wasOnline) void resumeAfterOffline();
  wasOnline = browserOnline;
});

const container = document.getElementById('root');
if (!container) throw new Error('Missing #root element');

createRoot(container).render(
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
