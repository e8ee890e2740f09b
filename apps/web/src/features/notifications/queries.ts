/**
 * The unread badge polls once a minute and when the window regains focus; TanStack Query pauses
 * it while the browser is offline (networkMode 'online') and while the tab is hidden. Nothing
 * here is persisted: notifications are not on the query client's allow-list
 * (lib/query-client.ts), so they never outlive the tab on a shared device.
 */
import type { QueryClient } from '@tanstack/react-query';
import { onlineManager } from '@tanstack/react-query';
import { trpc } from '../../lib/api';
import { authStore } from '../../lib/auth-store';

export const UNREAD_POLL_MS = 60_000;
export const NOTIFICATIONS_PAGE = 20;

export const unreadCountQuery = () =>
  trpc.notification.unreadCount.queryOptions(undefined, {
    refetchInterval: UNREAD_POLL_MS,
    refetchOnWindowFocus: true,
    staleTime: 10_000,
  });

export const notificationsQuery = (unreadOnly: boolean) =>
  trpc.notification.list.infiniteQueryOptions(
    { unreadOnly: unreadOnly || undefined, limit: NOTIFICATIONS_PAGE },
    { getNextPageParam: (last) => last.nextCursor ?? undefined, staleTime: 5_000 },
  );

/** Route loader: the first page before the list paints, when a fetch can happen at all. */
export async function loadNotifications(queryClient: QueryClient): Promise<void> {
  if (!onlineManager.isOnline() || authStore.get().status !== 'signedIn') return;
  await queryClient.prefetchInfiniteQuery(notificationsQuery(false)).catch(() => {
    // The page shows the query's own error with "Try again".
  });
}

/** After marking: the list and the badge are read again. */
export async function refreshNotifications(queryClient: QueryClient): Promise<void> {
  await Promise.all([
    queryClient.invalidateQueries({ queryKey: trpc.notification.list.pathKey() }),
    queryClient.invalidateQueries({ queryKey: trpc.notification.unreadCount.queryKey() }),
  ]);
}
