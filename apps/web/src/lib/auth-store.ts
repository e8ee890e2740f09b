/**
 * Who is signed in. The access token lives only in this module's memory: never in localStorage,
 * sessionStorage or IndexedDB. A reload starts empty and asks `auth.refresh` (httpOnly cookie).
 */
import { useSyncExternalStore } from 'react';
import type { AuthOutput, SignedOutReason, UserOutput } from '@medora/schema';

export type AuthStatus =
  /** The silent start-up refresh has not answered yet. */
  | 'pending'
  | 'signedIn'
  | 'signedOut'
  /** The server could not be reached at start-up, but this browser was signed in before: show
   * the saved data; the first call that reaches the server refreshes the session. */
  | 'offline';

export interface AuthState {
  status: AuthStatus;
  accessToken: string | null;
  accessTokenExpiresAt: Date | null;
  user: UserOutput | null;
  /** Why this browser was last signed out, for the sign-in page (null: nothing to explain). */
  signedOutReason: SignedOutReason | null;
}

const initial: AuthState = {
  status: 'pending',
  accessToken: null,
  accessTokenExpiresAt: null,
  user: null,
  signedOutReason: null,
};

let state: AuthState = initial;
const listeners = new Set<() => void>();

function set(next: AuthState) {
  state = next;
  for (const listener of listeners) listener();
}

export const authStore = {
  get: (): AuthState => state,
  getAccessToken: (): string | null => state.accessToken,
  getSignedOutReason: (): SignedOutReason | null => state.signedOutReason,
  subscribe: (listener: () => void): (() => void) => {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
  setSession(auth: AuthOutput) {
    set({
      status: 'signedIn',
      accessToken: auth.accessToken,
      accessTokenExpiresAt: auth.accessTokenExpiresAt,
      user: auth.user,
      signedOutReason: null,
    });
  },
  setUser(user: UserOutput) {
    set({ ...state, user });
  },
  setOffline() {
    set({ ...initial, status: 'offline' });
  },
  /** Signed out; `reason` says why, when there is something to tell the user. */
  clear(reason: SignedOutReason | null = null) {
    set({ ...initial, status: 'signedOut', signedOutReason: reason });
  },
  /** The sign-in page has shown the reason (or the user moved on). */
  clearSignedOutReason() {
    if (state.signedOutReason !== null) set({ ...state, signedOutReason: null });
  },
  /** For tests. */
  reset() {
    set(initial);
  },
};

/** May protected pages be shown (signed in, or offline with a previous session)? */
export function canSeeProtected(s: AuthState = state): boolean {
  return s.status === 'signedIn' || s.status === 'offline';
}

export function useAuth(): AuthState {
  return useSyncExternalStore(authStore.subscribe, authStore.get, authStore.get);
}

export function useSignedOutReason(): SignedOutReason | null {
  return useSyncExternalStore(
    authStore.subscribe,
    authStore.getSignedOutReason,
    authStore.getSignedOutReason,
  );
}
