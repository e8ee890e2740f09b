import { useQuery } from '@tanstack/react-query';
import { Link, useRouterState } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { trpc } from '../lib/api';
import { useAuth } from '../lib/auth-store';

/** Days before the end when the doctor is reminded on every page. */
const NEAR_DAYS = 3;

/**
 * A doctor's reminder on every page: the end is near (a polite status) or has passed (an alert).
 * It lives in the layout, which stays mounted across pages, so it is announced once when it
 * appears, not again on every navigation. The data is auth.me's subscription summary.
 */
export function SubscriptionBanner() {
  const { t } = useTranslation();
  const auth = useAuth();
  const pathname = useRouterState({ select: (s) => s.location.pathname });
  const isDoctor = auth.status === 'signedIn' && auth.user?.role === 'doctor';
  // Once per page load from the server: the saved copy (persisted for offline use) may predate
  // a payment's approval or the end itself. The layout stays mounted, so this is not per page.
  const me = useQuery({
    ...trpc.auth.me.queryOptions(),
    enabled: isDoctor,
    refetchOnMount: 'always',
  });
  const summary = isDoctor ? me.data?.subscription : null;
  if (!summary) return null;
  const running =
    (summary.status === 'trialing' || summary.status === 'active') && summary.daysLeft > 0;
  // The subscription page says all of this itself.
  const onSubscriptionPage = pathname === '/subscription';
  const renew = onSubscriptionPage ? null : (
    <>
      {' '}
      <Link to="/subscription">{t('banner.renew')}</Link>
    </>
  );
  if (running && summary.daysLeft <= NEAR_DAYS) {
    return (
      <div className="subscription-banner notice notice--warning" role="status">
        <p>
          {summary.status === 'trialing'
            ? t('banner.trialEnds', { count: summary.daysLeft })
            : t('banner.periodEnds', { count: summary.daysLeft })}
          {renew}
        </p>
      </div>
    );
  }
  if (!running) {
    return (
      <div className="subscription-banner notice notice--error" role="alert">
        <p>
          {t('banner.ended')}
          {renew}
        </p>
      </div>
    );
  }
  return null;
}
