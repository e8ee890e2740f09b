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
      {/* Drawn, not an emoji: not every system has an emoji font. */}
      <svg
        aria-hidden="true"
        className="notification-bell__icon"
        viewBox="0 0 24 24"
        width="18"
        height="18"
        fill="none"
        stroke="currentColor"
        strokeWidth="2"
        strokeLinecap="round"
        strokeLinejoin="round"
      >
        <path d="M6 8a6 6 0 0 1 12 0c0 7 3 9 3 9H3s3-2 3-9" />
        <path d="M10.3 21a1.94 1.94 0 0 0 3.4 0" />
      </svg>
      <span>{t('nav.notifications')}</span>
      {count > 0 && (
        <span className="notification-bell__count" aria-hidden="true">
          {count > 99 ? '99+' : count}
        </span>
      )}
    </Link>
  );
}
