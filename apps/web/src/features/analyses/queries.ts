/**
 * The analyses feature's queries. Every key starts with `analysis.` (tRPC's path key), so the
 * device-trust rule (lib/device-trust.ts) treats every answer as health data: kept in storage only
 * on a device the doctor marked as their own, for at most 24 hours.
 */
import type { QueryClient } from '@tanstack/react-query';
import { onlineManager } from '@tanstack/react-query';
import { trpc } from '../../lib/api';
import { authStore } from '../../lib/auth-store';
import { isFinished } from './status';

/** How often a queued or running analysis is asked for its status. */
export const POLL_MS = 1_000;
/** The trend chart reads at most this many of the latest completed analyses. */
export const TREND_MAX = 20;

export const analysisQuery = (id: string) => trpc.analysis.get.queryOptions({ id });

/** While live events arrive, polling only checks now and then (a missed event, a stalled proxy). */
export const LIVE_POLL_MS = 10_000;

/**
 * The status, polled every second until the analysis is completed or failed; only every ten
 * seconds while the live connection delivers events.
 */
export const analysisStatusQuery = (id: string, live = false) =>
  trpc.analysis.status.queryOptions(
    { id },
    {
      refetchInterval: (query) =>
        query.state.data && isFinished(query.state.data.status)
          ? false
          : live
            ? LIVE_POLL_MS
            : POLL_MS,
      refetchIntervalInBackground: false,
    },
  );

export const patientAnalysesQuery = (patientId: string) =>
  trpc.analysis.list.queryOptions({ patientId, limit: TREND_MAX });

/** The workspace's analyses across patients, newest first, a page at a time. */
export const recentAnalysesQuery = () =>
  trpc.analysis.list.infiniteQueryOptions(
    { limit: TREND_MAX },
    { getNextPageParam: (last) => last.nextCursor ?? undefined },
  );

export async function loadRecentAnalyses(queryClient: QueryClient): Promise<void> {
  if (!canFetch()) return;
  await queryClient.prefetchInfiniteQuery(recentAnalysesQuery());
}

export const analysisStatsQuery = () => trpc.analysis.stats.queryOptions();

const canFetch = () => onlineManager.isOnline() && authStore.get().status === 'signedIn';

export async function loadAnalysis(queryClient: QueryClient, id: string): Promise<void> {
  if (!canFetch()) return;
  await queryClient.prefetchQuery(analysisQuery(id));
}

export async function loadNewAnalysis(queryClient: QueryClient, patientId: string): Promise<void> {
  if (!canFetch()) return;
  await Promise.all([
    queryClient.prefetchQuery(analysisStatsQuery()),
    queryClient.prefetchQuery(trpc.patient.get.queryOptions({ id: patientId })),
  ]);
}
