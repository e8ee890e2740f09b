/**
 * The TanStack Query client and its localStorage persister. Only successful query data is
 * persisted, never mutations (their variables can hold passwords) nor tokens (they are not query
 * data):
 *
 * - answers of the allow-list below (the doctor's own profile and sessions), for 24 hours;
 * - health data (procedures under `HEALTH_DATA_PREFIXES`, see device-trust.ts) only while the
 *   doctor has said this is their own device, and never an answer older than 24 hours;
 * - nothing that holds file contents or blob: URLs;
 * - all of it tagged with the account it belongs to (`owner`), so that another account signing
 *   in on this browser starts from nothing (`adoptCacheFor`).
 *
 * The rule is applied when a query is dehydrated and again when the persister actually writes
 * (its writes are throttled, so a snapshot taken before a change of mind is filtered anew) and
 * when it restores.
 */
import {
  dehydrate,
  onlineManager,
  QueryClient,
  type Query,
  type QueryState,
} from '@tanstack/react-query';
import { createSyncStoragePersister } from '@tanstack/query-sync-storage-persister';
import type {
  PersistedClient,
  PersistQueryClientOptions,
} from '@tanstack/react-query-persist-client';
import superjson from 'superjson';
import { connectivity } from './connectivity';
import {
  holdsAttachment,
  isFreshHealthData,
  isHealthDataProcedure,
  isOwnDevice,
  onOwnDeviceChange,
} from './device-trust';
import { safeStorage, STORAGE_KEYS } from './storage';

export const APP_VERSION: string = import.meta.env.VITE_APP_VERSION ?? 'dev';
export const PERSIST_MAX_AGE_MS = 24 * 60 * 60 * 1000;

/** tRPC procedures (not health data) whose answers may be kept on this device. */
export const PERSISTED_PROCEDURES: ReadonlySet<string> = new Set(['auth.me', 'auth.sessions.list']);

/** "auth.me" for a tRPC query key like [['auth','me'], { type: 'query' }]. */
export function procedureOfKey(queryKey: readonly unknown[]): string | null {
  const path = queryKey[0];
  if (!Array.isArray(path) || !path.every((p) => typeof p === 'string')) return null;
  return path.join('.');
}

type PersistableState = Pick<QueryState, 'status' | 'data' | 'dataUpdatedAt'>;

/** May this query's answer be written to (or read back from) this browser's storage? */
export function mayPersist(
  queryKey: readonly unknown[],
  state: PersistableState,
  now: number = Date.now(),
): boolean {
  const procedure = procedureOfKey(queryKey);
  if (procedure === null || state.status !== 'success') return false;
  if (holdsAttachment(state.data)) return false;
  // Checked before the allow-list, so listing a health procedure there changes nothing.
  if (isHealthDataProcedure(procedure)) {
    return isOwnDevice() && isFreshHealthData(state.dataUpdatedAt, now);
  }
  return PERSISTED_PROCEDURES.has(procedure);
}

export function shouldPersistQuery(query: Pick<Query, 'queryKey' | 'state'>): boolean {
  return mayPersist(query.queryKey, query.state);
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

/** What is stored: TanStack Query's persisted client plus the account it belongs to. */
interface StoredClient extends PersistedClient {
  owner?: string | null;
}

/** The persisted client with only what the rule allows now. */
export function sanitizeClient(client: PersistedClient, now: number = Date.now()): PersistedClient {
  return {
    buster: client.buster,
    timestamp: client.timestamp,
    clientState: {
      mutations: [],
      queries: (client.clientState?.queries ?? []).filter((q) =>
        mayPersist(q.queryKey, q.state, now),
      ),
    },
  };
}

function readStoredClient(): StoredClient | null {
  const raw = safeStorage.get(STORAGE_KEYS.queryCache);
  if (!raw) return null;
  try {
    return superjson.parse<StoredClient>(raw);
  } catch {
    return null;
  }
}

/**
 * The signed-in account whose data may be written. Until a session says who is signed in, the
 * owner of what is already stored (a device opened offline shows its own saved data); null when
 * nobody is, and then nothing is written.
 */
let cacheOwner: string | null = readStoredClient()?.owner ?? null;

/** The account the stored data belongs to (null: none, or stored before owners were recorded). */
export function persistedOwner(): string | null {
  return readStoredClient()?.owner ?? null;
}

function serializeClient(client: PersistedClient): string {
  const owner = cacheOwner;
  const safe = owner
    ? sanitizeClient(client)
    : { ...client, clientState: { mutations: [], queries: [] } };
  return superjson.stringify({ ...safe, owner } satisfies StoredClient);
}

export const persister = createSyncStoragePersister({
  storage,
  key: STORAGE_KEYS.queryCache,
  throttleTime: 1000,
  // superjson keeps Dates as Dates across reloads.
  serialize: serializeClient,
  deserialize: (data) => sanitizeClient(superjson.parse<StoredClient>(data)),
});

const dehydrateOptions = {
  shouldDehydrateQuery: shouldPersistQuery,
  shouldDehydrateMutation: () => false,
};

export const persistOptions: Omit<PersistQueryClientOptions, 'queryClient'> = {
  persister,
  maxAge: PERSIST_MAX_AGE_MS,
  buster: APP_VERSION,
  dehydrateOptions,
};

/** Was anything about the signed-in user saved on this device (used when starting offline)? */
export function hasPersistedProfile(): boolean {
  const parsed = readStoredClient();
  if (!parsed) return false;
  if (parsed.buster !== APP_VERSION) return false;
  if (!parsed.timestamp || Date.now() - parsed.timestamp > PERSIST_MAX_AGE_MS) return false;
  return (parsed.clientState?.queries ?? []).some((q) => procedureOfKey(q.queryKey) === 'auth.me');
}

/** Forgets every cached answer, in memory and on disk. */
export async function clearQueryCache(): Promise<void> {
  cacheOwner = null;
  await queryClient.cancelQueries();
  queryClient.clear();
  await persister.removeClient();
  safeStorage.remove(STORAGE_KEYS.queryCache);
}

/**
 * `userId` is signed in on this browser. Data kept for another account (or for nobody known) is
 * forgotten, in memory and on disk, before this account's pages show anything.
 */
export async function adoptCacheFor(userId: string): Promise<void> {
  const stored = readStoredClient();
  if (cacheOwner !== userId || (stored !== null && stored.owner !== userId)) {
    await clearQueryCache();
  }
  cacheOwner = userId;
}

/** Rewrites what is stored under the current rule (after the doctor withdrew the choice). */
export function reapplyPersistRule(): void {
  const stored = readStoredClient();
  if (!stored) return;
  safeStorage.set(STORAGE_KEYS.queryCache, serializeClient(stored));
}

onOwnDeviceChange((ownDevice) => {
  if (!ownDevice) {
    // Health data goes from storage at once; the in-memory cache keeps it for this session.
    reapplyPersistRule();
  } else if (cacheOwner) {
    // Keep what is open now without waiting for the next change.
    void persister.persistClient({
      buster: APP_VERSION,
      timestamp: Date.now(),
      clientState: dehydrate(queryClient, dehydrateOptions),
    });
  }
});
