/**
 * The patients feature's queries. Patient records are health data: lib/device-trust.ts decides
 * whether they may be kept on this device (only on one the doctor marked as their own, for at most
 * 24 hours); otherwise they stay in memory and go with the session.
 */
import type { QueryClient } from '@tanstack/react-query';
import { keepPreviousData, onlineManager } from '@tanstack/react-query';
import type { PatientSort } from '@medora/schema';
import { trpc } from '../../lib/api';
import { authStore } from '../../lib/auth-store';

export const PAGE_SIZE = 20;

export interface PatientListFilters {
  search: string;
  sort: PatientSort;
  archived: boolean;
}

export const defaultFilters: PatientListFilters = { search: '', sort: 'recent', archived: false };

function listInput(filters: PatientListFilters) {
  const search = filters.search.trim();
  return {
    ...(search ? { search } : {}),
    sort: filters.sort,
    archived: filters.archived,
    limit: PAGE_SIZE,
  };
}

/** Pages of patients ("Show more" asks for the next cursor); typing keeps the last answer shown. */
export const patientListQuery = (filters: PatientListFilters) =>
  trpc.patient.list.infiniteQueryOptions(listInput(filters), {
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
  });

const JUST_LOADED_MS = 5_000;

/**
 * A record is read fresh on every visit (the route loader fetches it; the page then treats that
 * answer as fresh for a moment): another doctor of the workspace may have changed it, and every
 * opening is a `patient.view` in the access log. Links to a record are never preloaded on hover,
 * which would log a view nobody made.
 */
export const patientQuery = (id: string) =>
  trpc.patient.get.queryOptions({ id }, { staleTime: JUST_LOADED_MS, refetchOnMount: true });

export const accessLogQuery = (id: string) =>
  trpc.patient.accessLog.infiniteQueryOptions(
    { id, limit: 20 },
    { getNextPageParam: (last) => last.nextCursor ?? undefined },
  );

/** Every cached list of patients (any search, sort or page). */
export const patientListKey = () => trpc.patient.list.pathKey();

// Offline a fetch would only pause; without a session there is nothing to ask for.
const canFetch = () => onlineManager.isOnline() && authStore.get().status === 'signedIn';

export async function loadPatientList(
  queryClient: QueryClient,
  filters: PatientListFilters,
): Promise<void> {
  if (!canFetch()) return;
  await queryClient.ensureInfiniteQueryData(patientListQuery(filters)).catch(() => {
    // The page shows the query's own error with "Try again".
  });
}

export async function loadPatient(queryClient: QueryClient, id: string): Promise<void> {
  if (!canFetch()) return;
  try {
    await queryClient.fetchQuery({ ...patientQuery(id), staleTime: 0 });
    // After the record: opening it is audited, and the log should already show this visit.
    await queryClient.fetchInfiniteQuery({ ...accessLogQuery(id), staleTime: 0 });
  } catch {
    // The page shows the cached record (if any) or the query's own error, with "Try again".
  }
}

/** The patient's attachments (name, type, size, who uploaded them and when). */
export const attachmentsQuery = (patientId: string) => trpc.file.list.queryOptions({ patientId });
