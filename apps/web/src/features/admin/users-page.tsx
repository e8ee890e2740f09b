import { useInfiniteQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  subscriptionStatuses,
  type AdminUserStatus,
  type SubscriptionStatus,
} from '@medora/schema';
import { QueryError } from '../../components/query-error';
import { usePageTitle } from '../../components/page-title';
import { currentLocale } from '../../i18n';
import { trpc } from '../../lib/api';
import { formatDate } from '../../lib/format';
import { AdminNav } from './admin-nav';

/** Every account: search by name or phone digits, filter by account or subscription status. */
export function AdminUsersPage() {
  const { t } = useTranslation();
  usePageTitle(t('admin.users.title'));
  const locale = currentLocale();
  const [draft, setDraft] = useState('');
  const [search, setSearch] = useState('');
  const [status, setStatus] = useState<AdminUserStatus | ''>('');
  const [subscription, setSubscription] = useState<SubscriptionStatus | ''>('');
  const users = useInfiniteQuery(
    trpc.admin.user.list.infiniteQueryOptions(
      {
        search: search || undefined,
        status: status || undefined,
        subscription: subscription || undefined,
        limit: 25,
      },
      { getNextPageParam: (last) => last.nextCursor ?? undefined },
    ),
  );
  const items = users.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <section className="panel stack" aria-labelledby="admin-users-title">
      <h1 id="admin-users-title" tabIndex={-1}>
        {t('admin.users.title')}
      </h1>
      <AdminNav />
      <form
        role="search"
        className="admin-filters"
        onSubmit={(e) => {
          e.preventDefault();
          setSearch(draft.trim());
        }}
      >
        <label>
          {t('admin.users.search')}
          <input
            type="search"
            name="search"
            value={draft}
            maxLength={100}
            onChange={(e) => setDraft(e.target.value)}
          />
        </label>
        <label>
          {t('admin.users.status')}
          <select
            name="status"
            value={status}
            onChange={(e) => setStatus(e.target.value as AdminUserStatus | '')}
          >
            <option value="">{t('admin.users.any')}</option>
            <option value="active">{t('admin.users.active')}</option>
            <option value="deactivated">{t('admin.users.deactivated')}</option>
          </select>
        </label>
        <label>
          {t('admin.users.subscription')}
          <select
            name="subscription"
            value={subscription}
            onChange={(e) => setSubscription(e.target.value as SubscriptionStatus | '')}
          >
            <option value="">{t('admin.users.any')}</option>
            {subscriptionStatuses.map((s) => (
              <option key={s} value={s}>
                {t(`admin.subscription.${s}`)}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="button">
          {t('admin.users.find')}
        </button>
      </form>
      {users.isError && (
        <QueryError
          error={users.error}
          hasData={!!users.data}
          onRetry={() => void users.refetch()}
        />
      )}
      {users.isPending && !users.isError && (
        <p role="status" className="muted">
          {t('a11y.loading')}
        </p>
      )}
      {users.data && items.length === 0 && <p role="status">{t('admin.users.none')}</p>}
      {items.length > 0 && (
        <table className="admin-table">
          <caption className="visually-hidden">{t('admin.users.title')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('admin.users.name')}</th>
              <th scope="col">{t('admin.users.phone')}</th>
              <th scope="col">{t('admin.users.role')}</th>
              <th scope="col">{t('admin.users.account')}</th>
              <th scope="col">{t('admin.users.subscription')}</th>
              <th scope="col">{t('admin.users.created')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((u) => (
              <tr key={u.id}>
                <th scope="row">
                  <Link to="/admin/users/$userId" params={{ userId: u.id }}>
                    {u.name}
                  </Link>
                </th>
                <td>{u.phone}</td>
                <td>{t(`admin.role.${u.role}`)}</td>
                <td>{u.active ? t('admin.users.active') : t('admin.users.deactivated')}</td>
                <td>{u.workspace ? t(`admin.subscription.${u.workspace.status}`) : '—'}</td>
                <td>{formatDate(u.createdAt, locale)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {users.hasNextPage && (
        <button
          type="button"
          className="button"
          disabled={users.isFetchingNextPage}
          onClick={() => void users.fetchNextPage()}
        >
          {t('admin.more')}
        </button>
      )}
    </section>
  );
}
