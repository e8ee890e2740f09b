/**
 * The profile page's data is read fresh on every visit: a session started elsewhere must show,
 * one ended elsewhere must be gone. The route loader fetches both before the page renders (the
 * cached copy is used only when that fails, e.g. offline); the page's own queries then treat
 * the answer as fresh for a few seconds so the visit does not fetch twice.
 */
import type { QueryClient } from '@tanstack/react-query';
import { onlineManager } from '@tanstack/react-query';
import { trpc } from '../../lib/api';
import { authStore } from '../../lib/auth-store';

const JUST_LOADED_MS = 5_000;

export const meQuery = () =>
  trpc.auth.me.queryOptions(undefined, { staleTime: JUST_LOADED_MS, refetchOnMount: true });

export const sessionsQuery = () =>
  trpc.auth.sessions.list.queryOptions(undefined, {
    staleTime: JUST_LOADED_MS,
    refetchOnMount: true,
  });

export async function loadAccount(queryClient: QueryClient): Promise<void> {
  // Offline a fetch would only pause; without a session there is nothing to ask for.
  if (!onlineManager.isOnline() || authStore.get().status !== 'signedIn') return;
  await Promise.all([
    queryClient.fetchQuery({ ...meQuery(), staleTime: 0 }),
    queryClient.fetchQuery({ ...sessionsQuery(), staleTime: 0 }),
  ]).catch(() => {
    // The page shows the cached data (if any) with the query's own error and "Try again".
  });
}
