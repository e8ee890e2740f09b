import type { QueryClient } from '@tanstack/react-query';
import { onlineManager } from '@tanstack/react-query';
import { trpc } from '../../lib/api';
import { authStore } from '../../lib/auth-store';

export const meQuery = () => trpc.auth.me.queryOptions();

/** Route loader: the cached answer at once, or one fetch before the page renders. */
export async function loadDashboard(queryClient: QueryClient): Promise<void> {
  // Offline a fetch would only pause; without a session there is nothing to ask for.
  if (!onlineManager.isOnline() || authStore.get().status !== 'signedIn') return;
  await queryClient.ensureQueryData(meQuery()).catch(() => {
    // The page shows the query's own error with "Try again".
  });
}
