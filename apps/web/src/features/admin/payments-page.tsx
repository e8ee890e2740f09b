import { useInfiniteQuery } from '@tanstack/react-query';
import { Link, useNavigate, useSearch } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { paymentStatuses } from '@medora/schema';
import { QueryError } from '../../components/query-error';
import { usePageTitle } from '../../components/page-title';
import { currentLocale } from '../../i18n';
import { trpc } from '../../lib/api';
import { formatDateTime, formatUzs } from '../../lib/format';
import { formatPhone } from '../patients/format';
import { AdminNav } from './admin-nav';
import type { PaymentFilter } from './queries';

/** The review queue: pending receipts first (the default filter), oldest waiting at the top. */
export function AdminPaymentsPage() {
  const { t } = useTranslation();
  usePageTitle(t('admin.payments.title'));
  const locale = currentLocale();
  const navigate = useNavigate();
  const search = useSearch({ from: '/_protected/admin/payments' });
  const filter: PaymentFilter = search.status ?? 'pending';
  const payments = useInfiniteQuery(
    trpc.admin.payment.list.infiniteQueryOptions(
      { status: filter === 'all' ? undefined : filter, limit: 25 },
      { getNextPageParam: (last) => last.nextCursor ?? undefined },
    ),
  );
  const items = payments.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <section className="panel stack" aria-labelledby="admin-payments-title">
      <h1 id="admin-payments-title" tabIndex={-1}>
        {t('admin.payments.title')}
      </h1>
      <AdminNav />
      <div className="admin-filters">
        <label>
          {t('admin.payments.filter')}
          <select
            className="input"
            name="status"
            value={filter}
            onChange={(e) =>
              void navigate({
                to: '/admin/payments',
                search: { status: e.target.value as PaymentFilter },
                replace: true,
              })
            }
          >
            {paymentStatuses.map((s) => (
              <option key={s} value={s}>
                {t(`admin.paymentStatus.${s}`)}
              </option>
            ))}
            <option value="all">{t('admin.payments.all')}</option>
          </select>
        </label>
      </div>
      {payments.isError && (
        <QueryError
          error={payments.error}
          hasData={!!payments.data}
          onRetry={() => void payments.refetch()}
        />
      )}
      {payments.isPending && !payments.isError && (
        <p role="status" className="muted">
          {t('a11y.loading')}
        </p>
      )}
      {payments.data && items.length === 0 && (
        <p role="status">
          {filter === 'pending' ? t('admin.payments.noneWaiting') : t('admin.payments.none')}
        </p>
      )}
      {items.length > 0 && (
        <div className="table-scroll">
          <table className="admin-table stack-table">
            <caption className="visually-hidden">{t('admin.payments.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('admin.payments.submitted')}</th>
                <th scope="col">{t('admin.payments.doctor')}</th>
                <th scope="col">{t('admin.payments.workspace')}</th>
                <th scope="col">{t('admin.payments.plan')}</th>
                <th scope="col">{t('admin.payments.amount')}</th>
                <th scope="col">{t('admin.payments.status')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((p) => (
                <tr key={p.id}>
                  <th scope="row">
                    <Link
                      to="/admin/payments/$paymentId"
                      params={{ paymentId: p.id }}
                      aria-label={t('admin.payments.open', {
                        name: p.submittedBy?.name ?? p.workspace.name,
                        date: formatDateTime(p.createdAt, locale),
                      })}
                    >
                      {formatDateTime(p.createdAt, locale)}
                    </Link>
                  </th>
                  <td data-label={t('admin.payments.doctor')}>
                    {p.submittedBy ? (
                      <>
                        {p.submittedBy.name}{' '}
                        <span className="muted nowrap">{formatPhone(p.submittedBy.phone)}</span>
                      </>
                    ) : (
                      '—'
                    )}
                  </td>
                  <td data-label={t('admin.payments.workspace')}>{p.workspace.name}</td>
                  <td data-label={t('admin.payments.plan')}>{p.plan.names[locale]}</td>
                  <td data-label={t('admin.payments.amount')} className="nowrap">
                    {formatUzs(p.amountTiyin, locale)}
                  </td>
                  <td data-label={t('admin.payments.status')}>
                    <span className={`badge badge--${badgeOf(p.status)}`}>
                      {t(`admin.paymentStatus.${p.status}`)}
                    </span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {payments.hasNextPage && (
        <button
          type="button"
          className="button"
          disabled={payments.isFetchingNextPage}
          onClick={() => void payments.fetchNextPage()}
        >
          {t('admin.more')}
        </button>
      )}
    </section>
  );
}

/** Badge colours shared with the subscription statuses. */
export function badgeOf(status: (typeof paymentStatuses)[number]): string {
  return status === 'approved' ? 'active' : status === 'rejected' ? 'expired' : 'pending';
}
