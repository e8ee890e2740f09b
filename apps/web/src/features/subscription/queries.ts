import type { QueryClient } from '@tanstack/react-query';
import { onlineManager } from '@tanstack/react-query';
import { trpc } from '../../lib/api';
import { authStore } from '../../lib/auth-store';

export const currentQuery = () => trpc.subscription.current.queryOptions();
export const plansQuery = () => trpc.subscription.plans.queryOptions();
export const paymentsQuery = () => trpc.payment.list.queryOptions({ limit: 20 });

/** Route loader: the subscription, the plans and the payments before the page paints. */
export async function loadSubscription(queryClient: QueryClient): Promise<void> {
  if (!onlineManager.isOnline() || authStore.get().status !== 'signedIn') return;
  await Promise.all([
    queryClient.ensureQueryData(currentQuery()),
    queryClient.ensureQueryData(plansQuery()),
    queryClient.ensureQueryData(paymentsQuery()),
  ]).catch(() => {
    // The page shows each query's own error with "Try again".
  });
}

/** After a payment is sent or reviewed: everything that shows the subscription. */
export function invalidateSubscription(queryClient: QueryClient): Promise<unknown> {
  return Promise.all([
    queryClient.invalidateQueries({ queryKey: trpc.subscription.current.queryKey() }),
    queryClient.invalidateQueries({ queryKey: trpc.payment.list.pathKey() }),
    queryClient.invalidateQueries({ queryKey: trpc.auth.me.queryKey() }),
  ]);
}
