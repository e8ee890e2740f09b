import type { PatientSort } from '@medora/schema';
import type { PatientListFilters } from './queries';

/** The list's URL: `?q=…&sort=name&archived=true`, defaults left out. */
export interface PatientListSearch {
  q?: string;
  sort?: 'name';
  archived?: true;
}

export function validatePatientListSearch(search: Record<string, unknown>): PatientListSearch {
  const out: PatientListSearch = {};
  if (typeof search.q === 'string' && search.q.trim() !== '') out.q = search.q.slice(0, 100);
  if (search.sort === 'name') out.sort = 'name';
  if (search.archived === true || search.archived === 'true') out.archived = true;
  return out;
}

export function filtersOf(search: PatientListSearch): PatientListFilters {
  const sort: PatientSort = search.sort ?? 'recent';
  return { search: search.q ?? '', sort, archived: search.archived === true };
}
