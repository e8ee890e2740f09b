/**
 * Is the browser online, and did MedoraAI answer the last time we asked? Drives the connectivity
 * banner. `navigator.onLine` alone is not enough: a server that is down, or a proxy answering
 * 502 in front of it, looks "online" to the browser.
 *
 * Every API attempt reports here (see the fetch policy). While the server is unreachable and the
 * browser online, a cheap probe of `/health` runs with growing pauses, so the banner also goes
 * away when nothing else happens to ask the server.
 */
import { useSyncExternalStore } from 'react';

export interface Connectivity {
  browserOnline: boolean;
  apiReachable: boolean;
}

/** What the banner names: the browser's own connection first, then the server. */
export type ConnectivityProblem = 'offline' | 'unreachable' | null;

export function problemOf(state: Connectivity): ConnectivityProblem {
  if (!state.browserOnline) return 'offline';
  return state.apiReachable ? null : 'unreachable';
}

export interface ConnectivityOptions {
  browserOnline?: boolean;
  /** Answers 2xx when the server is up; network errors and other answers count as down. */
  probe?: () => Promise<boolean>;
  /** Pauses before each probe; the last one repeats. */
  probeDelaysMs?: readonly number[];
}

export const PROBE_DELAYS_MS: readonly number[] = [2_000, 4_000, 8_000, 15_000, 30_000];
const PROBE_TIMEOUT_MS = 5_000;

async function probeHealth(): Promise<boolean> {
  try {
    const response = await fetch('/health', {
      cache: 'no-store',
      credentials: 'omit',
      signal: AbortSignal.timeout(PROBE_TIMEOUT_MS),
    });
    return response.ok;
  } catch {
    return false;
  }
}

export interface ConnectivityStore {
  get: () => Connectivity;
  subscribe: (listener: () => void) => () => void;
  setApiReachable: (apiReachable: boolean) => void;
  setBrowserOnline: (browserOnline: boolean) => void;
}

export function createConnectivity(options: ConnectivityOptions = {}): ConnectivityStore {
  const probe = options.probe ?? probeHealth;
  const delays = options.probeDelaysMs ?? PROBE_DELAYS_MS;
  let state: Connectivity = { browserOnline: options.browserOnline ?? true, apiReachable: true };
  const listeners = new Set<() => void>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let probes = 0;
  // A probe still in flight when probing stops must not restart it.
  let generation = 0;

  function stopProbing() {
    clearTimeout(timer);
    timer = undefined;
    probes = 0;
    generation++;
  }

  function scheduleProbe() {
    if (timer !== undefined || state.apiReachable || !state.browserOnline) return;
    const delay = delays[Math.min(probes, delays.length - 1)] ?? 30_000;
    probes++;
    const current = generation;
    timer = setTimeout(() => {
      void probe()
        .catch(() => false)
        .then((up) => {
          if (current !== generation) return;
          timer = undefined;
          if (up) set({ apiReachable: true });
          else scheduleProbe();
        });
    }, delay);
  }

  function set(next: Partial<Connectivity>) {
    const merged = { ...state, ...next };
    if (
      merged.browserOnline === state.browserOnline &&
      merged.apiReachable === state.apiReachable
    ) {
      return;
    }
    state = merged;
    if (state.apiReachable || !state.browserOnline) stopProbing();
    else scheduleProbe();
    for (const listener of listeners) listener();
  }

  return {
    get: () => state,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    setApiReachable(apiReachable) {
      set({ apiReachable });
    },
    setBrowserOnline(browserOnline) {
      // Back online: the banner goes; the refetches that follow find out about the server.
      set(browserOnline ? { browserOnline, apiReachable: true } : { browserOnline });
    },
  };
}

export const connectivity = createConnectivity({
  browserOnline: typeof navigator === 'undefined' || navigator.onLine !== false,
});

if (typeof window !== 'undefined') {
  window.addEventListener('online', () => connectivity.setBrowserOnline(true));
  window.addEventListener('offline', () => connectivity.setBrowserOnline(false));
}

export function useConnectivity(): Connectivity {
  return useSyncExternalStore(connectivity.subscribe, connectivity.get, connectivity.get);
}

export function useConnectivityProblem(): ConnectivityProblem {
  return problemOf(useConnectivity());
}
