import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { QueryError } from '../../components/query-error';
import { usePageTitle } from '../../components/page-title';
import { currentLocale, htmlLang } from '../../i18n';
import { AdminNav } from './admin-nav';
import { BarChart } from './bar-chart';
import { formatUzs } from '../../lib/format';
import { overviewQuery } from './queries';

/** The admin console's dashboard: the overview numbers and two charts. */
export function AdminPage() {
  const { t } = useTranslation();
  usePageTitle(t('admin.title'));
  const overview = useQuery(overviewQuery());
  const lang = htmlLang[currentLocale()];
  const number = new Intl.NumberFormat(lang);
  const uzs = (v: number) => formatUzs(v, currentLocale());
  const o = overview.data;
  return (
    <div className="stack">
      <section className="panel" aria-labelledby="admin-title">
        <h1 id="admin-title" tabIndex={-1}>
          {t('admin.title')}
        </h1>
        <AdminNav />
        {overview.isPending && !overview.isError && (
          <p role="status" className="muted">
            {t('a11y.loading')}
          </p>
        )}
        {overview.isError && (
          <QueryError
            error={overview.error}
            hasData={!!o}
            onRetry={() => void overview.refetch()}
          />
        )}
        {o && (
          <dl className="admin-stats">
            {(
              [
                ['doctors', number.format(o.doctors)],
                ['trialing', number.format(o.trialing)],
                ['active', number.format(o.active)],
                ['expired', number.format(o.expired)],
                ['pendingPayments', number.format(o.pendingPayments)],
                ['revenueThisMonth', uzs(o.revenueThisMonthTiyin)],
              ] as const
            ).map(([key, value]) => (
              <div key={key} className="admin-stats__item">
                <dt>{t(`admin.stats.${key}`)}</dt>
                <dd>{value}</dd>
              </div>
            ))}
          </dl>
        )}
      </section>
      {o && (
        <section className="panel" aria-labelledby="admin-charts-title">
          <h2 id="admin-charts-title">{t('admin.charts.title')}</h2>
          <BarChart
            id="revenue-chart"
            title={t('admin.charts.revenueByMonth')}
            labelHeader={t('admin.charts.month')}
            valueHeader={t('admin.charts.revenue')}
            points={o.revenueByMonth.map((m) => ({ label: m.month, value: m.amountTiyin }))}
            format={uzs}
            emptyText={t('admin.charts.empty')}
          />
          <BarChart
            id="analyses-chart"
            title={t('admin.charts.analysesPerDay')}
            labelHeader={t('admin.charts.day')}
            valueHeader={t('admin.charts.analyses')}
            points={o.analysesPerDay.map((d) => ({ label: d.day, value: d.count }))}
            format={(v) => number.format(v)}
            emptyText={t('admin.charts.empty')}
          />
        </section>
      )}
    </div>
  );
}
