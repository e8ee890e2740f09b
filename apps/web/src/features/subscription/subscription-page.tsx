import { useQuery } from '@tanstack/react-query';
import { useId, useRef, type RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import type { PaymentOutput, SubscriptionCurrent } from '@medora/schema';
import { QueryError } from '../../components/query-error';
import { usePageTitle } from '../../components/page-title';
import { currentLocale } from '../../i18n';
import { formatDate, formatDateTime, formatUzs } from '../../lib/format';
import { currentQuery, paymentsQuery, plansQuery } from './queries';
import { PayForm } from './pay-form';
import { paymentTone } from './format';
import './subscription.css';

/**
 * The doctor's subscription: where it stands (plan, status, days left, this month's usage), how
 * to pay for the next period by bank transfer and receipt, and the payments sent so far.
 */
export function SubscriptionPage() {
  const { t } = useTranslation();
  usePageTitle(t('subscription.title'));
  const current = useQuery(currentQuery());
  const plans = useQuery(plansQuery());
  const pendingRef = useRef<HTMLHeadingElement>(null);

  return (
    <div className="stack">
      <section className="panel" aria-labelledby="subscription-title">
        <h1 id="subscription-title" tabIndex={-1}>
          {t('subscription.title')}
        </h1>
        {current.isPending && !current.isError && (
          <p role="status" className="muted">
            {t('a11y.loading')}
          </p>
        )}
        {current.isError && (
          <QueryError
            error={current.error}
            hasData={!!current.data}
            onRetry={() => void current.refetch()}
          />
        )}
        {current.data && <StatusSummary current={current.data} />}
      </section>

      {current.data?.pendingPayment ? (
        <PendingPayment payment={current.data.pendingPayment} headingRef={pendingRef} />
      ) : (
        current.data && (
          <section className="panel" aria-labelledby="pay-title">
            <h2 id="pay-title">{t('subscription.payTitle')}</h2>
            <p>{t('subscription.payIntro')}</p>
            <BankDetails details={current.data.bankDetails} />
            {plans.isError && (
              <QueryError
                error={plans.error}
                hasData={!!plans.data}
                onRetry={() => void plans.refetch()}
              />
            )}
            {plans.isPending && !plans.isError && (
              <p role="status" className="muted">
                {t('a11y.loading')}
              </p>
            )}
            {plans.data && plans.data.length === 0 && <p>{t('subscription.noPlans')}</p>}
            {plans.data && plans.data.length > 0 && (
              <PayForm
                plans={plans.data}
                currentPlanId={current.data.plan.id}
                onSent={() => {
                  // The pending notice replaces the form; take the reader there.
                  requestAnimationFrame(() => pendingRef.current?.focus());
                }}
              />
            )}
          </section>
        )
      )}

      <PaymentHistory />
    </div>
  );
}

function StatusSummary({ current }: { current: SubscriptionCurrent }) {
  const { t } = useTranslation();
  const locale = currentLocale();
  const { plan, status, daysLeft, endsAt, canAnalyze } = current;
  const running = canAnalyze && daysLeft > 0;
  return (
    <>
      <dl className="facts subscription-facts">
        <div>
          <dt>{t('subscription.plan')}</dt>
          <dd>{plan.names[locale]}</dd>
        </div>
        <div>
          <dt>{t('subscription.status')}</dt>
          <dd>
            <span className={`badge badge--${status}`}>{t(`subscription.statuses.${status}`)}</span>
          </dd>
        </div>
        {endsAt && (
          <div>
            <dt>{running ? t('subscription.endsAt') : t('subscription.endedAt')}</dt>
            <dd data-testid="subscription-ends-at">{formatDate(endsAt, locale)}</dd>
          </div>
        )}
      </dl>
      {running ? (
        <p className="days-left">
          {status === 'trialing'
            ? t('subscription.trialDaysLeft', { count: daysLeft })
            : t('subscription.paidDaysLeft', { count: daysLeft })}
        </p>
      ) : (
        <div className="notice notice--warning">
          <p>{t('subscription.ended')}</p>
        </div>
      )}
      <UsageMeter usage={current.usage} />
    </>
  );
}

function UsageMeter({ usage }: { usage: SubscriptionCurrent['usage'] }) {
  const { t } = useTranslation();
  const locale = currentLocale();
  const id = useId();
  const resets = formatDate(usage.resetsAt, locale);
  return (
    <div className="usage">
      <h2 className="usage__title" id={`${id}-label`}>
        {t('subscription.usageTitle')}
      </h2>
      {usage.limit === null ? (
        <p>{t('subscription.usageUnlimited', { count: usage.used })}</p>
      ) : (
        <>
          <meter
            className="usage__meter"
            aria-labelledby={`${id}-label`}
            aria-describedby={`${id}-text`}
            min={0}
            max={Math.max(usage.limit, 1)}
            low={Math.max(usage.limit, 1) * 0.8}
            high={Math.max(usage.limit, 1) * 0.95}
            optimum={0}
            value={Math.min(usage.used, usage.limit)}
          />
          <p id={`${id}-text`}>
            {t('subscription.usageUsed', { used: usage.used, limit: usage.limit })}
          </p>
        </>
      )}
      <p className="muted">{t('subscription.usageResets', { date: resets })}</p>
    </div>
  );
}

function BankDetails({ details }: { details: SubscriptionCurrent['bankDetails'] }) {
  const { t } = useTranslation();
  if (!details) {
    return (
      <div className="notice notice--info">
        <p>{t('subscription.bankMissing')}</p>
      </div>
    );
  }
  const rows: [string, string | null][] = [
    [t('subscription.bank.recipient'), details.recipient],
    [t('subscription.bank.bank'), details.bank],
    [t('subscription.bank.account'), details.account],
    [t('subscription.bank.mfo'), details.mfo],
    [t('subscription.bank.tin'), details.tin],
  ];
  return (
    <section className="bank-details" aria-labelledby="bank-title">
      <h3 id="bank-title">{t('subscription.bank.title')}</h3>
      <dl className="admin-details">
        {rows
          .filter((r): r is [string, string] => !!r[1])
          .map(([label, value]) => (
            <div key={label} className="bank-details__row">
              <dt>{label}</dt>
              <dd className="bank-details__value">{value}</dd>
            </div>
          ))}
      </dl>
    </section>
  );
}

function PendingPayment({
  payment,
  headingRef,
}: {
  payment: PaymentOutput;
  headingRef: RefObject<HTMLHeadingElement | null>;
}) {
  const { t } = useTranslation();
  const locale = currentLocale();
  return (
    <section className="panel" aria-labelledby="pending-title">
      <h2 id="pending-title" ref={headingRef} tabIndex={-1}>
        {t('subscription.pendingTitle')}
      </h2>
      <div className="notice notice--info">
        <p>
          {t('subscription.pendingBody', {
            plan: payment.plan.names[locale],
            amount: formatUzs(payment.amountTiyin, locale),
            date: formatDateTime(payment.createdAt, locale),
          })}
        </p>
        <p>{t('subscription.pendingOne')}</p>
      </div>
    </section>
  );
}

function PaymentHistory() {
  const { t } = useTranslation();
  const locale = currentLocale();
  const payments = useQuery(paymentsQuery());
  const items = payments.data?.items ?? [];
  return (
    <section className="panel" aria-labelledby="history-title">
      <h2 id="history-title">{t('subscription.historyTitle')}</h2>
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
      {payments.data && items.length === 0 && <p>{t('subscription.historyEmpty')}</p>}
      {items.length > 0 && (
        <div className="table-scroll">
          <table className="admin-table payment-history stack-table">
            <caption className="visually-hidden">{t('subscription.historyTitle')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('subscription.sentAt')}</th>
                <th scope="col">{t('subscription.plan')}</th>
                <th scope="col">{t('subscription.amount')}</th>
                <th scope="col">{t('subscription.status')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((p) => (
                <tr key={p.id}>
                  <th scope="row">{formatDateTime(p.createdAt, locale)}</th>
                  <td data-label={t('subscription.plan')}>{p.plan.names[locale]}</td>
                  <td data-label={t('subscription.amount')} className="nowrap">
                    {formatUzs(p.amountTiyin, locale)}
                  </td>
                  <td data-label={t('subscription.status')}>
                    <span className={paymentTone[p.status]}>
                      {t(`subscription.paymentStatus.${p.status}`)}
                    </span>
                    {p.status === 'rejected' && p.rejectionReason && (
                      <p className="payment-history__reason">
                        {t('subscription.rejectionReason', { reason: p.rejectionReason })}
                      </p>
                    )}
                    {p.status === 'approved' && p.periodEndAfter && (
                      <p className="muted payment-history__reason">
                        {t('subscription.paidUntil', {
                          date: formatDate(p.periodEndAfter, locale),
                        })}
                      </p>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
