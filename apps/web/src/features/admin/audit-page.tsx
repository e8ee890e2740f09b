import { useInfiniteQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { QueryError } from '../../components/query-error';
import { usePageTitle } from '../../components/page-title';
import { currentLocale } from '../../i18n';
import { trpc } from '../../lib/api';
import { formatDateTime } from '../../lib/format';
import { AdminNav } from './admin-nav';

interface Filters {
  actor: string;
  entity: string;
  action: string;
  from: string;
  to: string;
}
const empty: Filters = { actor: '', entity: '', action: '', from: '', to: '' };

/** The audit trail, newest first, filtered by actor, entity, action and a date range. */
export function AdminAuditPage() {
  const { t } = useTranslation();
  usePageTitle(t('admin.audit.title'));
  const locale = currentLocale();
  const [draft, setDraft] = useState<Filters>(empty);
  const [filters, setFilters] = useState<Filters>(empty);
  const audit = useInfiniteQuery(
    trpc.admin.audit.list.infiniteQueryOptions(
      {
        actor: filters.actor || undefined,
        entity: filters.entity || undefined,
        action: filters.action || undefined,
        from: filters.from ? new Date(`${filters.from}T00:00:00`) : undefined,
        to: filters.to ? new Date(`${filters.to}T23:59:59.999`) : undefined,
        limit: 50,
      },
      { getNextPageParam: (last) => last.nextCursor ?? undefined },
    ),
  );
  const items = audit.data?.pages.flatMap((p) => p.items) ?? [];
  const field = (key: keyof Filters, type = 'text') => (
    <label>
      {t(`admin.audit.${key}`)}
      <input
        type={type}
        name={key}
        value={draft[key]}
        maxLength={100}
        onChange={(e) => setDraft({ ...draft, [key]: e.target.value })}
      />
    </label>
  );
  return (
    <section className="panel stack" aria-labelledby="admin-audit-title">
      <h1 id="admin-audit-title" tabIndex={-1}>
        {t('admin.audit.title')}
      </h1>
      <AdminNav />
      <form
        className="admin-filters"
        aria-label={t('admin.audit.filters')}
        onSubmit={(e) => {
          e.preventDefault();
          setFilters({ ...draft, actor: draft.actor.trim(), entity: draft.entity.trim() });
        }}
      >
        {field('actor')}
        {field('entity')}
        {field('action')}
        {field('from', 'date')}
        {field('to', 'date')}
        <button type="submit" className="button">
          {t('admin.audit.apply')}
        </button>
      </form>
      {audit.isError && (
        <QueryError
          error={audit.error}
          hasData={!!audit.data}
          onRetry={() => void audit.refetch()}
        />
      )}
      {audit.isPending && !audit.isError && (
        <p role="status" className="muted">
          {t('a11y.loading')}
        </p>
      )}
      {audit.data && items.length === 0 && <p role="status">{t('admin.audit.none')}</p>}
      {items.length > 0 && (
        // Wide on a phone: the region scrolls sideways, and takes focus so the keyboard can too.
        <div
          className="table-scroll"
          role="region"
          aria-label={t('admin.audit.title')}
          tabIndex={0}
        >
          <table className="admin-table">
            <caption className="visually-hidden">{t('admin.audit.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('admin.audit.at')}</th>
                <th scope="col">{t('admin.audit.action')}</th>
                <th scope="col">{t('admin.audit.outcome')}</th>
                <th scope="col">{t('admin.audit.actor')}</th>
                <th scope="col">{t('admin.audit.entity')}</th>
                <th scope="col">{t('admin.audit.details')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((r) => (
                <tr key={r.id}>
                  <td>{formatDateTime(r.at, locale)}</td>
                  <td>{r.action}</td>
                  <td>{t(`admin.audit.outcomes.${r.outcome}`)}</td>
                  <td>{[r.actorRole, r.actorUserId].filter(Boolean).join(' ')}</td>
                  <td>{[r.entityType, r.entityId].filter(Boolean).join(':')}</td>
                  <td>
                    <code>{JSON.stringify(r.meta)}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {audit.hasNextPage && (
        <button
          type="button"
          className="button"
          disabled={audit.isFetchingNextPage}
          onClick={() => void audit.fetchNextPage()}
        >
          {t('admin.more')}
        </button>
      )}
    </section>
  );
}
