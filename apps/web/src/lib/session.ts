/**
 * Session life cycle: the fetch policy wired to the auth store and the connectivity state, the
 * silent refresh at start-up, signing in and ending the session (logout or a session that is
 * gone), and picking up again when the connection comes back.
 */
import type { AuthOutput, SignedOutReason } from '@medora/schema';
import { currentLocale, setLocale } from '../i18n';
import { authStore } from './auth-store';
import { connectivity, problemOf } from './connectivity';
import { clearDraft } from './drafts';
import { createFetchPolicy } from './fetch-policy';
import { clearHealthDrafts, setOwnDevice } from './device-trust';
import { adoptCacheFor, clearQueryCache, hasPersistedProfile, queryClient } from './query-client';
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
  // A call found the session gone (revoked elsewhere, password changed, …): say why on /login.
  onSignedOut: (reason) => void endSession('expired', reason ?? 'expired'),
  onReachability: (reachable) => connectivity.setApiReachable(reachable),
});

/**
 * Forgets the token, the cached data (memory and storage, health data included) and the user's
 * drafts; then leaves protected pages. Every way a session ends comes here: signing out, and a
 * call or refresh that finds the session revoked, expired or replaced (`onSignedOut` above).
 */
export async function endSession(
  reason: 'logout' | 'expired',
  signedOutReason: SignedOutReason | null = reason === 'logout' ? 'logout' : 'expired',
): Promise<void> {
  const wasSignedIn = authStore.get().status !== 'signedOut';
  authStore.clear(signedOutReason);
  clearDraft(STORAGE_KEYS.draftProfile);
  // Drafts of analyses (health data) go with the session, whichever page is open.
  clearHealthDrafts();
  await clearQueryCache();
  if (wasSignedIn) onSessionEnded(reason);
}

/**
 * After login or registration: keep the token and speak the user's language. `ownDevice` is the
 * doctor's answer to "keep data on this device" for this sign-in (and the box's next default).
 */
export async function signIn(
  auth: AuthOutput,
  { ownDevice }: { ownDevice: boolean },
): Promise<void> {
  // Nothing cached before signing in may leak into this account's pages.
  queryClient.clear();
  // Another account's saved data goes from storage too, before anything is shown.
  await adoptCacheFor(auth.user.id);
  clearHealthDrafts();
  setOwnDevice(ownDevice);
  authStore.setSession(auth);
  if (auth.user.locale !== currentLocale()) await setLocale(auth.user.locale);
}

let ready: Promise<void> | null = null;

/**
 * For the build's prerendered pages (src/prerender.tsx): draw them as a visitor without a
 * session sees them, without asking a server.
 */
export function startSignedOut(): void {
  authStore.clear();
  ready = Promise.resolve();
}

/**
 * One silent `auth.refresh` at start-up (the httpOnly cookie may still be valid) before deciding
 * that nobody is signed in. Shared by every caller. A browser without a session gets a plain
 * 200 with `session: null`, so a signed-out page load logs no error.
 */
export function ensureAuthReady(): Promise<void> {
  ready ??= silentRefresh();
  return ready;
}

async function silentRefresh(): Promise<void> {
  if (!connectivity.get().browserOnline) {
    // The request could only fail (and log a network error): use what this device kept.
    if (hasPersistedProfile()) authStore.setOffline();
    else authStore.clear();
    return;
  }
  const outcome = await fetchPolicy.refresh();
  switch (outcome.kind) {
    case 'session':
      // The saved data may belong to whoever used this browser before this session began.
      await adoptCacheFor(outcome.auth.user.id);
      if (outcome.auth.user.locale !== currentLocale()) await setLocale(outcome.auth.user.locale);
      return;
    case 'failed':
      // Offline or server away with a recent session on this device: show the saved data.
      if (hasPersistedProfile()) authStore.setOffline();
      else authStore.clear();
      return;
    case 'signedOut':
      authStore.clear(outcome.reason);
      await clearQueryCache();
  }
}

/** The connection is back after starting without one: restore the session quietly. */
export async function resumeAfterOffline(): Promise<void> {
  if (authStore.get().status !== 'offline') return;
  const outcome = await fetchPolicy.refresh();
  if (outcome.kind === 'signedOut') await endSession('expired', outcome.reason ?? 'expired');
  // The data shown offline was saved by someone else than the session's account: forget it.
  else if (outcome.kind === 'session') await adoptCacheFor(outcome.auth.user.id);
}

// When the browser is back online or the server answers again: restore a session started
// offline, and fetch again what failed meanwhile (TanStack Query itself only reacts to the
// browser's online event, not to the server coming back).
let wasConnected = problemOf(connectivity.get()) === null;
connectivity.subscribe(() => {
  const connected = problemOf(connectivity.get()) === null;
  if (connected && !wasConnected) {
    void resumeAfterOffline();
    void queryClient.refetchQueries({
      type: 'active',
      predicate: (q) => q.state.status === 'error',
    });
  }
  wasConnected = connected;
});
