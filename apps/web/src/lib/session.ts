/**
 * Session life cycle: the fetch policy wired to the auth store, the silent refresh at start-up,
 * signing in and ending the session (logout or refused refresh).
 */
import type { AuthOutput } from '@medora/schema';
import { currentLocale, setLocale } from '../i18n';
import { authStore } from './auth-store';
import { connectivity } from './connectivity';
import { clearDraft } from './drafts';
import { createFetchPolicy } from './fetch-policy';
import { clearQueryCache, hasPersistedProfile, queryClient } from './query-client';
import { STORAGE_KEYS } from './storage';

type SessionEndedListener = (reason: 'logout' | 'expired') => void;
let onSessionEnded: SessionEndedListener = () => {};

/** The router registers how to leave protected pages when the session ends. */
export function setSessionEndedListener(listener: SessionEndedListener): void {
  onSessionEnded = listener;
}

export const fetchPolicy = createFetchPolicy({
  getAccessToken: authStore.getAccessToken,
  onRefreshed: (auth) => authStore.setSession(auth),
  onAuthFailure: () => void endSession('expired'),
  onReachability: (reachable) => connectivity.setApiReachable(reachable),
});

/** Forgets the token, the cached data and the user's drafts; then leaves protected pages. */
export async function endSession(reason: 'logout' | 'expired'): Promise<void> {
  const wasSignedIn = authStore.get().status !== 'signedOut';
  authStore.clear();
  clearDraft(STORAGE_KEYS.draftProfile);
  await clearQueryCache();
  if (wasSignedIn) onSessionEnded(reason);
}

/** After login or registration: keep the token and speak the user's language. */
export async function signIn(auth: AuthOutput): Promise<void> {
  // Nothing cached before signing in may leak into this account's pages.
  queryClient.clear();
  authStore.setSession(auth);
  if (auth.user.locale !== currentLocale()) await setLocale(auth.user.locale);
}

let ready: Promise<void> | null = null;

/**
 * One silent `auth.refresh` at start-up (the httpOnly cookie may still be valid) before deciding
 * that nobody is signed in. Shared by every caller.
 */
export function ensureAuthReady(): Promise<void> {
  ready ??= silentRefresh();
  return ready;
}

async function silentRefresh(): Promise<void> {
  const result = await fetchPolicy.refresh();
  if (result.ok) {
    if (result.auth.user.locale !== currentLocale()) await setLocale(result.auth.user.locale);
    return;
  }
  if (result.reason === 'network' && hasPersistedProfile()) {
    // Offline with a recent session on this device: show the saved data.
    authStore.setOffline();
    return;
  }
  authStore.clear();
  if (result.reason === 'invalid') await clearQueryCache();
}

/** Back online after starting offline: try to restore the session quietly. */
export async function resumeAfterOffline(): Promise<void> {
  if (authStore.get().status !== 'offline') return;
  const result = await fetchPolicy.refresh();
  if (!result.ok && result.reason === 'invalid') await endSession('expired');
}
