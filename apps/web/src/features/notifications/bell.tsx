import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { unreadCountQuery } from './queries';
import './bell.css';

/**
 * The header's link to /notifications with the unread count. The count is in the link's
 * accessible name ("Notifications: 3 unread"); the visible number is hidden from screen readers
 * so it is not read twice.
 */
export function NotificationBell() {
  const { t } = useTranslation();
  const unread = useQuery(unreadCountQuery());
  const count = unread.data?.count ?? 0;
  return (
    <Link
      to="/notifications"
      className="notification-bell"
      activeProps={{ 'aria-current': 'page' }}
      aria-label={count > 0 ? t('nav.unreadNotifications', { count }) : t('nav.notifications')}
    >
      <span aria-hidden="true">🔔</span>
      <span>{t('nav.notifications')}</span>
      {count > 0 && (
        <span className="notification-bell__count" aria-hidden="true">
          {count > 99 ? '99+' : count}
        </span>
      )}
    </Link>
  );
}
