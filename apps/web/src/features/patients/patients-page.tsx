import { useInfiniteQuery } from '@tanstack/react-query';
import { Link, useNavigate, useSearch } from '@tanstack/react-router';
import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PatientSummary } from '@medora/schema';
import { QueryError } from '../../components/query-error';
import { usePageTitle } from '../../components/page-title';
import { Age } from './age';
import { formatPhone, fullName } from './format';
import { patientListQuery } from './queries';
import { filtersOf, validatePatientListSearch, type PatientListSearch } from './search';
import './patients.css';

/** Results follow the typing after this pause, so each keystroke does not ask the server. */
export const SEARCH_DEBOUNCE_MS = 250;

function useDebounced<T>(value: T, ms: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return debounced;
}

export function PatientsPage() {
  const { t } = useTranslation();
  usePageTitle(t('patients.title'));
  const navigate = useNavigate();
  const urlSearch = validatePatientListSearch(useSearch({ strict: false }));
  const filters = filtersOf(urlSearch);
  const [text, setText] = useState(filters.search);
  const typed = useDebounced(text, SEARCH_DEBOUNCE_MS);
  const searchId = useId();

  const setSearch = (patch: Partial<PatientListSearch>) => {
    const next = validatePatientListSearch({ ...urlSearch, ...patch });
    void navigate({ to: '/patients', search: next, replace: true });
  };

  // The typed text reaches the URL (and so the query) once typing pauses.
  useEffect(() => {
    if (typed.trim() !== filters.search.trim()) setSearch({ q: typed });
    // eslint-disable-next-line react-hooks/exhaustive-deps -- only the debounced text drives this
  }, [typed]);

  const list = useInfiniteQuery(patientListQuery(filters));
  const pages = list.data?.pages ?? [];
  const items = pages.flatMap((p) => p.items);
  const total = pages[0]?.total ?? 0;
  const capped = pages[0]?.totalCapped ?? false;
  const settled = list.isSuccess && !list.isPlaceholderData;
  const searching = filters.search.trim() !== '';
  const stillTyping = text.trim() !== filters.search.trim();

  const countText = capped
    ? t('patients.foundMany', { count: total })
    : searching
      ? t('patients.found', { count: total })
      : t('patients.total', { count: total });

  return (
    <div className="stack">
      <section className="panel" aria-labelledby="patients-title">
        <div className="patients__head">
          <h1 id="patients-title" tabIndex={-1}>
            {t('patients.title')}
          </h1>
          <Link to="/patients/new" className="button button--primary">
            {t('patients.newPatient')}
          </Link>
        </div>
        <form
          role="search"
          className="patients__filters"
          onSubmit={(e) => {
            e.preventDefault();
            setSearch({ q: text });
          }}
        >
          <div className="field patients__search">
            <label htmlFor={searchId}>{t('patients.searchLabel')}</label>
            <p id={`${searchId}-hint`} className="field__hint">
              {t('patients.searchHint')}
            </p>
            <input
              id={searchId}
              type="search"
              className="input"
              value={text}
              autoComplete="off"
              spellCheck={false}
              aria-describedby={`${searchId}-hint`}
              onChange={(e) => setText(e.target.value)}
            />
          </div>
          <div className="field patients__sort">
            <label htmlFor={`${searchId}-sort`}>{t('patients.sortLabel')}</label>
            <select
              id={`${searchId}-sort`}
              className="input"
              value={filters.sort}
              onChange={(e) => setSearch({ sort: e.target.value === 'name' ? 'name' : undefined })}
            >
              <option value="recent">{t('patients.sortRecent')}</option>
              <option value="name">{t('patients.sortName')}</option>
            </select>
          </div>
          <div className="checkbox patients__archived">
            <input
              id={`${searchId}-archived`}
              type="checkbox"
              checked={filters.archived}
              onChange={(e) => setSearch({ archived: e.target.checked ? true : undefined })}
            />
            <label htmlFor={`${searchId}-archived`}>{t('patients.showArchived')}</label>
          </div>
        </form>

        {/* Said once the answer for what was typed is in, not on every keystroke. */}
        <p role="status" className="visually-hidden" data-testid="patients-announcement">
          {settled && !stillTyping ? countText : ''}
        </p>

        {list.isError && (
          <QueryError
            error={list.error}
            hasData={!!list.data}
            onRetry={() => void list.refetch()}
          />
        )}
        {list.isPending && !list.isError && <p className="muted">{t('a11y.loading')}</p>}

        {list.isSuccess && (
          <div className="patients__results" aria-busy={list.isPlaceholderData || stillTyping}>
            <p className="patients__count" aria-hidden="true">
              {list.isPlaceholderData || stillTyping ? t('patients.searching') : countText}
            </p>
            {items.length > 0 ? (
              <PatientList
                items={items}
                label={filters.archived ? t('patients.listLabelArchived') : t('patients.listLabel')}
              />
            ) : (
              <EmptyState search={filters.search} archived={filters.archived} />
            )}
            {items.length > 0 && (items.length < total || list.hasNextPage) && (
              <div className="patients__more">
                <p className="muted">
                  {capped
                    ? t('patients.shownMany', { shown: items.length, total })
                    : t('patients.shown', { shown: items.length, total })}
                </p>
                {list.hasNextPage && (
                  <button
                    type="button"
                    className="button"
                    disabled={list.isFetchingNextPage}
                    onClick={() => void list.fetchNextPage()}
                  >
                    {list.isFetchingNextPage ? t('patients.loadingMore') : t('patients.loadMore')}
                  </button>
                )}
              </div>
            )}
          </div>
        )}
      </section>
    </div>
  );
}

function PatientList({ items, label }: { items: PatientSummary[]; label: string }) {
  const { t } = useTranslation();
  return (
    <ul className="patient-list" aria-label={label}>
      {items.map((p) => (
        <li key={p.id}>
          <Link
            to="/patients/$patientId"
            params={{ patientId: p.id }}
            preload={false}
            className="patient-card"
          >
            <span className="patient-card__name">{fullName(p)}</span>
            <span className="patient-card__meta">
              <Age patient={p} />
              <span>{t(`patients.sex.${p.sex}`)}</span>
              {p.phone && <span>{formatPhone(p.phone)}</span>}
              {p.archivedAt && <span className="badge">{t('patients.archived')}</span>}
            </span>
          </Link>
        </li>
      ))}
    </ul>
  );
}

function EmptyState({ search, archived }: { search: string; archived: boolean }) {
  const { t } = useTranslation();
  if (search.trim() !== '') {
    return (
      <div className="patients__empty">
        <p className="patients__empty-title">
          {t('patients.noMatches', { search: search.trim() })}
        </p>
        <p className="muted">{t('patients.noMatchesHint')}</p>
      </div>
    );
  }
  if (archived) {
    return (
      <div className="patients__empty">
        <p className="patients__empty-title">{t('patients.emptyArchived')}</p>
      </div>
    );
  }
  return (
    <div className="patients__empty">
      <h2>{t('patients.emptyTitle')}</h2>
      <p>{t('patients.emptyBody')}</p>
      <Link to="/patients/new" className="button button--primary">
        {t('patients.emptyAction')}
      </Link>
    </div>
  );
}
