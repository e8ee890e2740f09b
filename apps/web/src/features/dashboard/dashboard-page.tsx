import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import type { MeOutput } from '@medora/schema';
import { QueryError } from '../../components/query-error';
import { usePageTitle } from '../../components/page-title';
import { currentLocale } from '../../i18n';
import { useAuth } from '../../lib/auth-store';
import { formatDate } from '../../lib/format';
import { meQuery } from './queries';

export function DashboardPage() {
  const { t } = useTranslation();
  usePageTitle(t('dashboard.title'));
  const auth = useAuth();
  const me = useQuery(meQuery());
  const name = me.data?.user.name ?? auth.user?.name;

  return (
    <div className="stack">
      <section className="panel" aria-labelledby="dashboard-title">
        <h1 id="dashboard-title" tabIndex={-1}>
          {name ? t('dashboard.greeting', { name }) : t('dashboard.title')}
        </h1>
        {me.isPending && !me.isError && (
          <p role="status" className="muted">
            {t('a11y.loading')}
          </p>
        )}
        {me.isError && (
          <QueryError error={me.error} hasData={!!me.data} onRetry={() => void me.refetch()} />
        )}
      </section>
      {me.data && <SubscriptionPanel subscription={me.data.subscription} />}
    </div>
  );
}

function SubscriptionPanel({ subscription }: { subscription: MeOutput['subscription'] }) {
  const { t } = useTranslation();
  const locale = currentLocale();
  if (!subscription) {
    return (
      <section className="panel" aria-labelledby="subscription-title">
        <h2 id="subscription-title">{t('dashboard.subscriptionTitle')}</h2>
        <p>{t('dashboard.noSubscription')}</p>
      </section>
    );
  }
  const { status, daysLeft, planNames, maxAnalysesPerMonth } = subscription;
  // The plan name follows the interface language, not the language stored on the account.
  const planName = planNames[locale];
  const endsAt = status === 'trialing' ? subscription.trialEndsAt : subscription.currentPeriodEnd;
  const running = (status === 'trialing' || status === 'active') && daysLeft > 0;
  const ended = !running;
  const endedMessage =
    status === 'trialing'
      ? t('dashboard.trialEnded')
      : status === 'canceled'
        ? t('dashboard.canceled')
        : t('dashboard.expired');

  return (
    <section className="panel" aria-labelledby="subscription-title">
      <h2 id="subscription-title">{t('dashboard.subscriptionTitle')}</h2>
      <dl className="facts">
        <div>
          <dt>{t('dashboard.statusLabel')}</dt>
          <dd>
            <span className={`badge badge--${status}`}>{t(`dashboard.status.${status}`)}</span>
          </dd>
        </div>
      </dl>
      <p>{t('dashboard.plan', { plan: planName })}</p>
      {running && (
        <p className="days-left">
          {status === 'trialing'
            ? t('dashboard.trialDaysLeft', { count: daysLeft })
            : t('dashboard.paidDaysLeft', { count: daysLeft })}
        </p>
      )}
      {running && endsAt && (
        <p className="muted">{t('dashboard.endsOn', { date: formatDate(endsAt, locale) })}</p>
      )}
      {ended && (
        <div className="notice notice--warning" role="status">
          <p>
            {endedMessage}
            {status === 'trialing' && <> {t('dashboard.expired')}</>}
          </p>
        </div>
      )}
      <p className="muted">
        {maxAnalysesPerMonth === null
          ? t('dashboard.unlimited')
          : t('dashboard.limit', { count: maxAnalysesPerMonth })}
      </p>
      <p>
        <Link to="/subscription">{t('dashboard.manageSubscription')}</Link>
      </p>
    </section>
  );
}
