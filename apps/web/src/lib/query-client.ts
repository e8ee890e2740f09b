/**
 * The TanStack Query client and its localStorage persister. Only successful query data of an
 * allow-list of procedures is persisted (what a doctor recently looked at); never mutations
 * (their variables can hold passwords), never tokens (they are not query data).
 */
import { onlineManager, QueryClient, type Query } from '@tanstack/react-query';
import { createSyncStoragePersister } from '@tanstack/query-sync-storage-persister';
import type { PersistQueryClientOptions } from '@tanstack/react-query-persist-client';
import superjson from 'superjson';
import { connectivity } from './connectivity';
import { safeStorage, STORAGE_KEYS } from './storage';

export const APP_VERSION: string = import.meta.env.VITE_APP_VERSION ?? 'dev';
export const PERSIST_MAX_AGE_MS = 24 * 60 * 60 * 1000;

/** tRPC procedures whose answers may be kept on this device. */
export const PERSISTED_PROCEDURES: ReadonlySet<string> = new Set(['auth.me', 'auth.sessions.list']);

/** "auth.me" for a tRPC query key like [['auth','me'], { type: 'query' }]. */
export function procedureOfKey(queryKey: readonly unknown[]): string | null {
  const path = queryKey[0];
  if (!Array.isArray(path) || !path.every((p) => typeof p === 'string')) return null;
  return path.join('.');
}

export function shouldPersistQuery(query: Pick<Query, 'queryKey' | 'state'>): boolean {
  const procedure = procedureOfKey(query.queryKey);
  return (
    query.state.status === 'success' && procedure !== null && PERSISTED_PROCEDURES.has(procedure)
  );
}

// Queries and mutations run in TanStack Query's default `networkMode: 'online'`: while the
// browser is offline they pause (a mutation's `isPaused`), and they resume on reconnect through
// the same link chain. Its online flag follows the browser's from the start (on its own it
// assumes "online" until the first event, so a page opened offline would not pause).
onlineManager.setEventListener((setOnline) => {
  setOnline(connectivity.get().browserOnline);
  return connectivity.subscribe(() => setOnline(connectivity.get().browserOnline));
});

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        // The fetch policy already retries network errors and 5xx; retrying here would multiply.
        retry: false,
        staleTime: 30_000,
        gcTime: PERSIST_MAX_AGE_MS,
        networkMode: 'online',
      },
      mutations: { retry: false, networkMode: 'online' },
    },
  });
}

export const queryClient = createQueryClient();

const storage = typeof window !== 'undefined' ? window.localStorage : undefined;

export const persister = createSyncStoragePersister({
  storage,
  key: STORAGE_KEYS.queryCache,
  throttleTime: 1000,
  // superjson keeps Dates as Dates across reloads.
  serialize: (data) => superjson.stringify(data),
  deserialize: (data) => superjson.parse(data),
});

export const persistOptions: Omit<PersistQueryClientOptions, 'queryClient'> = {
  persister,
  maxAge: PERSIST_MAX_AGE_MS,
  buster: APP_VERSION,
  dehydrateOptions: {
    shouldDehydrateQuery: shouldPersistQuery,
    shouldDehydrateMutation: () => false,
  },
};

/** Was anything about the signed-in user saved on this device (used when starting offline)? */
export function hasPersistedProfile(): boolean {
  const raw = safeStorage.get(STORAGE_KEYS.queryCache);
  if (!raw) return false;
  try {
    const parsed = superjson.parse<{
      timestamp?: number;
      buster?: string;
      clientState?: { queries?: { queryKey: unknown[] }[] };
    }>(raw);
    if (parsed.buster !== APP_VERSION) return false;
    if (!parsed.timestamp || Date.now() - parsed.timestamp > PERSIST_MAX_AGE_MS) return false;
    return (parsed.clientState?.queries ?? []).some(
      (q) => procedureOfKey(q.queryKey) === 'auth.me',
    );
  } catch {
    return false;
  }
}

/** Forgets every cached answer, in memory and on disk. */
export async function clearQueryCache(): Promise<void> {
  await queryClient.cancelQueries();
  queryClient.clear();
  await persister.removeClient();
  safeStorage.remove(STORAGE_KEYS.queryCache);
}
