import { SDK_DATA_COLLECTION, scrubBreadcrumb, scrubEvent } from '@medora/schema';
import type { ErrorReportingConfig } from './config';

import type * as SentryNodeModule from '@sentry/node';

type SentryNode = typeof SentryNodeModule;

export interface ErrorReportingOptions {
  dsn: string | null;
  environment: string;
  release: string;
  /** Which process reports: a tag on every event. */
  service: 'server' | 'worker';
  sampleRate?: number;
}

/** Tags a report may carry: ids and names of code paths, never an input or a payload. */
export type ReportTags = Record<string, string | number | undefined>;

let sentry: SentryNode | undefined;

/** The options for `startErrorReporting` from the configuration. */
export function errorReportingOptions(
  config: { errorReporting: ErrorReportingConfig; version: string },
  service: ErrorReportingOptions['service'],
): ErrorReportingOptions {
  const { dsn, environment, sampleRate } = config.errorReporting;
  return { dsn, environment, sampleRate, release: config.version, service };
}

/**
 * Starts reporting faults to Sentry when a DSN is set; without one the SDK is not even loaded,
 * so nothing is patched and nothing leaves the process. Errors only: no tracing, no sessions,
 * no request bodies, no console or outgoing-request breadcrumbs; every event and breadcrumb
 * goes through the shared scrubber (`@medora/schema` error-report) before it is sent.
 * Returns whether reporting is on. A second call while it is on changes nothing.
 */
export async function startErrorReporting(opts: ErrorReportingOptions): Promise<boolean> {
  if (!opts.dsn) return false;
  if (sentry) return true;
  const S = await import('@sentry/node');
  S.init({
    dsn: opts.dsn,
    environment: opts.environment,
    release: opts.release,
    sampleRate: opts.sampleRate ?? 1,
    // What the SDK collects on its own, cut to the bone before the scrubber even runs.
    dataCollection: SDK_DATA_COLLECTION,
    // An explicit list rather than the defaults: those add console and fetch breadcrumbs,
    // release-health sessions and database instrumentation we do not want to send.
    defaultIntegrations: false,
    integrations: [
      S.eventFiltersIntegration(),
      S.functionToStringIntegration(),
      S.linkedErrorsIntegration(),
      S.dedupeIntegration(),
      // Keeps one request's scope apart from another's; bodies are never read.
      S.httpIntegration({
        breadcrumbs: false,
        spans: false,
        sessions: false,
        maxRequestBodySize: 'none',
      }),
      S.requestDataIntegration(),
      S.onUncaughtExceptionIntegration(),
      S.onUnhandledRejectionIntegration(),
      S.contextLinesIntegration(),
      S.nodeContextIntegration(),
    ],
    maxBreadcrumbs: 20,
    beforeSend: (event) => scrubEvent(event),
    beforeBreadcrumb: (breadcrumb) => scrubBreadcrumb(breadcrumb),
    initialScope: { tags: { service: opts.service } },
  });
  sentry = S;
  return true;
}

/**
 * Reports a fault of ours (never a refusal: callers decide). `tags` say where it happened
 * (request id, route, procedure, task, job id); they go through the scrubber like the rest.
 */
export function reportError(err: unknown, tags: ReportTags = {}): void {
  if (!sentry) return;
  const defined = Object.fromEntries(
    Object.entries(tags).filter((entry): entry is [string, string | number] => entry[1] != null),
  );
  sentry.captureException(err, { tags: defined });
}

/** Whether faults are being reported (a DSN was set and the SDK started). */
export function isErrorReportingOn(): boolean {
  return sentry !== undefined;
}

/** Sends what is queued (up to `timeoutMs`) and stops reporting; used on shutdown. */
export async function stopErrorReporting(timeoutMs = 2_000): Promise<void> {
  const S = sentry;
  if (!S) return;
  sentry = undefined;
  await S.close(timeoutMs);
}
