import type { ClientConfig } from '@medora/schema';

import type * as SentryChunkModule from './sentry';

type SentryChunk = typeof SentryChunkModule;

let sentry: SentryChunk | undefined;

/**
 * Starts reporting browser errors when the server says where (`GET /api/client-config`, from
 * SENTRY_WEB_DSN). The SDK is a chunk of its own (`./sentry`), imported only then: without a
 * DSN it is never downloaded and nothing is patched.
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
  const chunk = await import('./sentry');
  chunk.initSentry({
    dsn: config.sentryDsn,
    environment: config.environment,
    release: config.release,
  });
  sentry = chunk;
  return true;
}

/** Reports an error React caught (its boundaries keep it from the global handlers). */
export function reportError(error: unknown): void {
  sentry?.captureException(error);
}
