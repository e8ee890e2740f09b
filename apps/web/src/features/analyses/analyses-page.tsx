import { useInfiniteQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { QueryError } from '../../components/query-error';
import { AnalysisTable } from './patient-analyses';
import { recentAnalysesQuery } from './queries';
import './analyses.css';

/** The workspace's analyses, newest first, across patients. */
export function AnalysesPage() {
  const { t } = useTranslation();
  const list = useInfiniteQuery(recentAnalysesQuery());
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <div className="stack">
      <section className="panel" aria-labelledby="recent-analyses-title">
        <div className="patients__head">
          <h1 id="recent-analyses-title" tabIndex={-1}>
            {t('analyses.recent.title')}
          </h1>
          <Link to="/patients" className="button">
            {t('analyses.recent.pickPatient')}
          </Link>
        </div>
        {list.isPending && <p role="status">{t('a11y.loading')}</p>}
        {list.isError && (
          <QueryError error={list.error} hasData={false} onRetry={() => void list.refetch()} />
        )}
        {list.data && items.length === 0 && <p className="muted">{t('analyses.recent.empty')}</p>}
        {items.length > 0 && (
          <AnalysisTable items={items} labelledBy="recent-analyses-title" showPatient />
        )}
        {list.hasNextPage && (
          <button
            type="button"
            className="button"
            disabled={list.isFetchingNextPage}
            onClick={() => void list.fetchNextPage()}
          >
            {list.isFetchingNextPage ? t('analyses.recent.loadingMore') : t('analyses.recent.more')}
          </button>
        )}
      </section>
    </div>
  );
}
