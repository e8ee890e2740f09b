/**
 * The error-tracking chunk: imported by `error-reporting.ts` only when the server names a web
 * DSN. Named imports, so the bundler keeps only what is used here (not replays or feedback).
 */
import {
  breadcrumbsIntegration,
  browserApiErrorsIntegration,
  captureException,
  dedupeIntegration,
  eventFiltersIntegration,
  functionToStringIntegration,
  globalHandlersIntegration,
  httpContextIntegration,
  init,
  linkedErrorsIntegration,
} from '@sentry/browser';
import { SDK_DATA_COLLECTION, scrubBreadcrumb, scrubEvent } from '@medora/schema';

export { captureException };

/**
 * Errors only (no tracing, replays or sessions); no console or DOM breadcrumbs (a clicked
 * element's text may be a patient's name); every event and breadcrumb goes through the shared
 * scrubber first, and the SDK's own collection is off.
 */
export function initSentry(config: { dsn: string; environment: string; release: string }): void {
  init({
    dsn: config.dsn,
    environment: config.environment,
    release: config.release,
    dataCollection: SDK_DATA_COLLECTION,
    defaultIntegrations: false,
    integrations: [
      eventFiltersIntegration(),
      functionToStringIntegration(),
      browserApiErrorsIntegration(),
      globalHandlersIntegration(),
      linkedErrorsIntegration(),
      dedupeIntegration(),
      httpContextIntegration(),
      breadcrumbsIntegration({ dom: false, sentry: false }),
    ],
    maxBreadcrumbs: 20,
    beforeSend: (event) => scrubEvent(event),
    beforeBreadcrumb: (breadcrumb) => scrubBreadcrumb(breadcrumb),
    initialScope: { tags: { service: 'web' } },
  });
}
