import type { NotificationOutput } from '@medora/schema';
import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { usePageTitle } from '../../components/page-title';
import { QueryError } from '../../components/query-error';
import { currentLocale } from '../../i18n';
import { trpc } from '../../lib/api';
import { formatDateTime } from '../../lib/format';
import { notificationsQuery, refreshNotifications } from './queries';
import './notifications.css';

/** A notification worded in the interface language from its kind and params. */
function useWording() {
  const { t } = useTranslation();
  const locale = currentLocale();
  const date = (v: unknown) =>
    typeof v === 'string' && !Number.isNaN(Date.parse(v))
      ? formatDateTime(new Date(v), locale)
      : '';
  const text = (v: unknown) => (typeof v === 'string' ? v : '');
  return (n: NotificationOutput): { title: string; body: string } => {
    const p = n.params;
    switch (n.kind) {
      case 'payment_approved':
        return {
          title: t('notifications.kinds.payment_approved.title'),
          body: t('notifications.kinds.payment_approved.body', {
            plan: n.plan?.names[locale] ?? text(p.planCode),
            date: date(p.periodEnd),
          }),
        };
      case 'payment_rejected':
        return {
          title: t('notifications.kinds.payment_rejected.title'),
          body: t('notifications.kinds.payment_rejected.body', { reason: text(p.reason) }),
        };
      case 'subscription_expiring':
        return {
          title: t('notifications.kinds.subscription_expiring.title'),
          body: t('notifications.kinds.subscription_expiring.body', { date: date(p.endsAt) }),
        };
      case 'subscription_expired':
        return {
          title: t('notifications.kinds.subscription_expired.title'),
          body: t('notifications.kinds.subscription_expired.body', { date: date(p.endedAt) }),
        };
      case 'subscription_extended':
        return {
          title: t('notifications.kinds.subscription_extended.title'),
          body: t('notifications.kinds.subscription_extended.body', {
            count: Number(p.days ?? 0),
            date: date(p.endsAt),
          }),
        };
    }
  };
}

/** The signed-in user's notifications, newest first, with "mark as read" and "mark all". */
export function NotificationsPage() {
  const { t } = useTranslation();
  usePageTitle(t('notifications.title'));
  const queryClient = useQueryClient();
  const locale = currentLocale();
  const word = useWording();
  const [unreadOnly, setUnreadOnly] = useState(false);
  const [status, setStatus] = useState('');
  const list = useInfiniteQuery(notificationsQuery(unreadOnly));
  const markRead = useMutation(
    trpc.notification.markRead.mutationOptions({
      onSuccess: async (_out, input) => {
        setStatus(input.id ? t('notifications.marked') : t('notifications.allMarked'));
        await refreshNotifications(queryClient);
      },
    }),
  );
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];
  const anyUnread = items.some((n) => !n.readAt);

  return (
    <section className="panel stack" aria-labelledby="notifications-title">
      <h1 id="notifications-title" tabIndex={-1}>
        {t('notifications.title')}
      </h1>
      <div className="notifications__toolbar">
        <div className="checkbox">
          <input
            id="notifications-unread-only"
            type="checkbox"
            checked={unreadOnly}
            onChange={(e) => setUnreadOnly(e.target.checked)}
          />
          <label htmlFor="notifications-unread-only">{t('notifications.unreadOnly')}</label>
        </div>
        <button
          type="button"
          className="button"
          disabled={!anyUnread || markRead.isPending}
          onClick={() => markRead.mutate({})}
        >
          {t('notifications.markAllRead')}
        </button>
      </div>
      <p role="status" aria-live="polite" className="muted">
        {status}
      </p>
      {list.isError && (
        <QueryError error={list.error} hasData={!!list.data} onRetry={() => void list.refetch()} />
      )}
      {list.isPending && !list.isError && (
        <p role="status" className="muted">
          {t('a11y.loading')}
        </p>
      )}
      {list.data && items.length === 0 && (
        <p>{unreadOnly ? t('notifications.noneUnread') : t('notifications.none')}</p>
      )}
      {items.length > 0 && (
        <ul className="notifications__list" aria-labelledby="notifications-title">
          {items.map((n) => {
            const { title, body } = word(n);
            const titleId = `notification-${n.id}`;
            return (
              <li
                key={n.id}
                className={n.readAt ? 'notification' : 'notification notification--unread'}
                aria-labelledby={titleId}
              >
                <h2 id={titleId} className="notification__title">
                  {!n.readAt && (
                    <span className="notification__dot">
                      <span className="visually-hidden">{t('notifications.unread')}: </span>
                    </span>
                  )}
                  {title}
                </h2>
                <p>{body}</p>
                <p className="muted">
                  <time dateTime={n.createdAt.toISOString()}>
                    {formatDateTime(n.createdAt, locale)}
                  </time>
                </p>
                {!n.readAt && (
                  <button
                    type="button"
                    className="button--link"
                    disabled={markRead.isPending}
                    onClick={() => markRead.mutate({ id: n.id })}
                    aria-describedby={titleId}
                  >
                    {t('notifications.markRead')}
                  </button>
                )}
              </li>
            );
          })}
        </ul>
      )}
      {list.hasNextPage && (
        <button
          type="button"
          className="button"
          disabled={list.isFetchingNextPage}
          onClick={() => void list.fetchNextPage()}
        >
          {t('notifications.more')}
        </button>
      )}
    </section>
  );
}
