/**
 * Live status over server-sent events (`analysis.onStatus`). The browser's own EventSource cannot
 * send the Authorization header, so the `eventsource` ponyfill (built on fetch) carries the same
 * in-memory access token as every other call. This client serves that one subscription; when it
 * fails (an expired token, a proxy that buffers streams, no connection) the page falls back to
 * polling `analysis.status` every second, which runs until the first live event arrives anyway.
 */
import type { AppRouter } from '@medora/api';
import type { AnalysisStatusEvent } from '@medora/schema';
import { createTRPCClient, httpSubscriptionLink } from '@trpc/client';
import { EventSource } from 'eventsource';
import superjson from 'superjson';
import { authStore } from '../../lib/auth-store';

/** The fetch the ponyfill uses: the request as it is, plus the bearer token of this moment. */
export function authorizedFetch(
  getToken: () => string | null,
  fetchImpl: typeof fetch = (...args) => fetch(...args),
) {
  return (url: string | URL, init: RequestInit & { headers: Record<string, string> }) => {
    const token = getToken();
    return fetchImpl(url, {
      ...init,
      credentials: 'same-origin',
      headers: { ...init.headers, ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    });
  };
}

let client: ReturnType<typeof createTRPCClient<AppRouter>> | null = null;

function liveClient() {
  client ??= createTRPCClient<AppRouter>({
    links: [
      httpSubscriptionLink({
        url: '/trpc',
        transformer: superjson,
        EventSource,
        eventSourceOptions: () => ({ fetch: authorizedFetch(authStore.getAccessToken) }),
      }),
    ],
  });
  return client;
}

/** Follows one analysis; returns the function that stops listening. */
export function followStatus(
  id: string,
  handlers: { onEvent: (event: AnalysisStatusEvent) => void; onFail: () => void },
): () => void {
  const subscription = liveClient().analysis.onStatus.subscribe(
    { id },
    { onData: handlers.onEvent, onError: handlers.onFail },
  );
  return () => subscription.unsubscribe();
}
