import {
  SDK_DATA_COLLECTION,
  scrubBreadcrumb,
  scrubEvent,
  type ClientConfig,
} from '@medora/schema';

import type * as SentryBrowserModule from '@sentry/browser';

type SentryBrowser = typeof SentryBrowserModule;

let sentry: SentryBrowser | undefined;

/**
 * Starts reporting browser errors when the server says where (`GET /api/client-config`, from
 * SENTRY_WEB_DSN). The SDK is a chunk of its own, imported only then: without a DSN it is
 * never downloaded and nothing is patched. Errors only (no tracing, replays or sessions); no
 * console or DOM breadcrumbs (a clicked element's text may be a patient's name); every event
 * and breadcrumb goes through the shared scrubber first.
 */
export async function startErrorReporting(fetchImpl: typeof fetch = fetch): Promise<boolean> {
  if (sentry) return true;
  let config: ClientConfig;
  try {
    const res = await fetchImpl('/api/client-config', { credentials: 'omit' });
    if (!res.ok) return false;
    config = (await res.json()) as ClientConfig;
  } catch {
    // Offline or an old server: the app works the same without error reports.
    return false;
  }
  if (!config.sentryDsn) return false;
  const S = await import('@sentry/browser');
  S.init({
    dsn: config.sentryDsn,
    environment: config.environment,
    release: config.release,
    dataCollection: SDK_DATA_COLLECTION,
    defaultIntegrations: false,
    integrations: [
      S.eventFiltersIntegration(),
      S.functionToStringIntegration(),
      S.browserApiErrorsIntegration(),
      S.globalHandlersIntegration(),
      S.linkedErrorsIntegration(),
      S.dedupeIntegration(),
      S.httpContextIntegration(),
      S.breadcrumbsIntegration({ dom: false, sentry: false }),
    ],
    maxBreadcrumbs: 20,
    beforeSend: (event) => scrubEvent(event),
    beforeBreadcrumb: (breadcrumb) => scrubBreadcrumb(breadcrumb),
    initialScope: { tags: { service: 'web' } },
  });
  sentry = S;
  return true;
}

/** Reports an error React caught (its boundaries keep it from the global handlers). */
export function reportError(error: unknown): void {
  sentry?.captureException(error);
}
