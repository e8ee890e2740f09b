/**
 * Is the browser online, and did the API answer the last time we asked? Drives the offline
 * banner. `navigator.onLine` alone is not enough: a captive portal or a server that is down
 * looks "online" to the browser.
 */
import { useSyncExternalStore } from 'react';

export interface Connectivity {
  browserOnline: boolean;
  apiReachable: boolean;
}

const hasNavigator = typeof navigator !== 'undefined';
let state: Connectivity = {
  browserOnline: hasNavigator ? navigator.onLine : true,
  apiReachable: true,
};
const listeners = new Set<() => void>();

function set(next: Partial<Connectivity>) {
  const merged = { ...state, ...next };
  if (merged.browserOnline === state.browserOnline && merged.apiReachable === state.apiReachable) {
    return;
  }
  state = merged;
  for (const listener of listeners) listener();
}

export const connectivity = {
  get: (): Connectivity => state,
  subscribe: (listener: () => void): (() => void) => {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
  setApiReachable(apiReachable: boolean) {
    set({ apiReachable });
  },
  setBrowserOnline(browserOnline: boolean) {
    set({ browserOnline });
  },
};

if (typeof window !== 'undefined') {
  window.addEventListener('online', () => connectivity.setBrowserOnline(true));
  window.addEventListener('offline', () => connectivity.setBrowserOnline(false));
}

export function useConnectivity(): Connectivity {
  return useSyncExternalStore(connectivity.subscribe, connectivity.get, connectivity.get);
}
