import type { QueryClient } from '@tanstack/react-query';
import { onlineManager } from '@tanstack/react-query';
import { trpc } from '../../lib/api';
import { authStore } from '../../lib/auth-store';

export const overviewQuery = () => trpc.admin.stats.overview.queryOptions();
export const jobsQuery = () => trpc.admin.jobs.overview.queryOptions();

/** Route loader: the overview before the dashboard paints, when a fetch can happen at all. */
export async function loadOverview(queryClient: QueryClient): Promise<void> {
  if (!onlineManager.isOnline() || authStore.get().status !== 'signedIn') return;
  await queryClient.ensureQueryData(overviewQuery()).catch(() => {
    // The page shows the query's own error with "Try again".
  });
}

export type PaymentFilter = 'pending' | 'approved' | 'rejected' | 'all';
const paymentFilters: readonly PaymentFilter[] = ['pending', 'approved', 'rejected', 'all'];

/** `/admin/payments?status=…`: the queue shows pending payments unless told otherwise. */
export function validatePaymentSearch(search: Record<string, unknown>): { status?: PaymentFilter } {
  const status = search.status;
  return typeof status === 'string' && (paymentFilters as readonly string[]).includes(status)
    ? { status: status as PaymentFilter }
    : {};
}

/** Route loader for /admin/jobs: the queue's state before the page paints, when it can. */
export async function loadJobs(queryClient: QueryClient): Promise<void> {
  if (!onlineManager.isOnline() || authStore.get().status !== 'signedIn') return;
  await queryClient.ensureQueryData(jobsQuery()).catch(() => {
    // The page shows the query's own error with "Try again".
  });
}
