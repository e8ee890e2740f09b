import { useQueries, useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AnalysisListItem, AnalysisOutput } from '@medora/schema';
import { QueryError } from '../../components/query-error';
import { currentLocale } from '../../i18n';
import { formatDate } from '../../lib/format';
import { formatNumber } from './format';
import { analysisQuery, patientAnalysesQuery, TREND_MAX } from './queries';
import { statusView } from './status';
import { chartGeometry, trendSeries, type TrendSeries } from './trend';
import './analyses.css';

/** The patient page's analyses: the list with links, and a trend per analyte. */
export function PatientAnalyses({ patientId }: { patientId: string }) {
  const { t } = useTranslation();
  const list = useQuery(patientAnalysesQuery(patientId));
  const items = list.data?.items ?? [];
  // The trend reads each listed completed report (at most TREND_MAX, the list's page).
  const completed = items.filter((i) => i.status === 'completed' && i.labs > 0).slice(0, TREND_MAX);
  const reports = useQueries({
    queries: completed.map((i) => analysisQuery(i.id)),
  });
  const loaded = reports.map((r) => r.data).filter((d): d is AnalysisOutput => !!d);
  // Cheap (at most TREND_MAX reports), so computed on each render.
  const series = trendSeries(loaded);

  return (
    <section className="panel" aria-labelledby="analyses-title">
      <div className="patients__head">
        <h2 id="analyses-title">{t('analyses.list.title')}</h2>
        <Link
          to="/patients/$patientId/analyses/new"
          params={{ patientId }}
          className="button button--primary"
        >
          {t('analyses.newButton')}
        </Link>
      </div>
      {list.isPending && <p role="status">{t('a11y.loading')}</p>}
      {list.isError && (
        <QueryError error={list.error} hasData={false} onRetry={() => void list.refetch()} />
      )}
      {list.data && items.length === 0 && <p className="muted">{t('analyses.list.empty')}</p>}
      {items.length > 0 && <AnalysisTable items={items} labelledBy="analyses-title" />}
      {items.length > 0 && <Trend series={series} />}
    </section>
  );
}

/**
 * Analyses as a table (cards on a phone): date with the link, status, the report's leading
 * condition, red flags; with `showPatient`, whose analysis it is (the workspace-wide list).
 */
export function AnalysisTable({
  items,
  labelledBy,
  showPatient = false,
}: {
  items: AnalysisListItem[];
  labelledBy: string;
  showPatient?: boolean;
}) {
  const { t } = useTranslation();
  const locale = currentLocale();
  return (
    <div className="table-scroll" role="region" aria-labelledby={labelledBy} tabIndex={0}>
      <table className="analysis-list">
        <thead>
          <tr>
            <th scope="col">{t('analyses.list.date')}</th>
            {showPatient && <th scope="col">{t('analyses.list.patient')}</th>}
            <th scope="col">{t('analyses.list.status')}</th>
            <th scope="col">{t('analyses.list.top')}</th>
            <th scope="col">{t('analyses.list.redFlags')}</th>
          </tr>
        </thead>
        <tbody>
          {items.map((a) => {
            const view = statusView(a.status);
            const date = formatDate(a.createdAt, locale);
            return (
              <tr key={a.id}>
                <th scope="row">
                  <Link
                    to="/analyses/$analysisId"
                    params={{ analysisId: a.id }}
                    aria-label={t('analyses.list.openLabel', { date })}
                  >
                    {date}
                  </Link>
                </th>
                {showPatient && (
                  <td data-label={t('analyses.list.patient')}>
                    <Link to="/patients/$patientId" params={{ patientId: a.patient.id }}>
                      {a.patient.lastName} {a.patient.firstName}
                    </Link>
                  </td>
                )}
                <td data-label={t('analyses.list.status')}>
                  <span className={`badge status status--${view.tone}`}>{t(view.labelKey)}</span>
                </td>
                <td data-label={t('analyses.list.top')}>
                  {a.topCondition ? a.topCondition.name : t('analyses.list.none')}
                </td>
                <td data-label={t('analyses.list.redFlags')}>
                  {a.redFlags > 0 ? (
                    <span className="flag flag--critical">
                      <span aria-hidden="true">⚠ </span>
                      {a.redFlags}
                    </span>
                  ) : (
                    0
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

const W = 420;
const H = 180;
const M = { top: 10, right: 16, bottom: 28, left: 48 };

function Trend({ series }: { series: TrendSeries[] }) {
  const { t, i18n } = useTranslation();
  const locale = currentLocale();
  const id = useId();
  const [picked, setPicked] = useState('');
  if (series.length === 0)
    return (
      <>
        <h3>{t('analyses.trend.title')}</h3>
        <p className="muted">{t('analyses.trend.empty')}</p>
      </>
    );
  const current = series.find((s) => s.code === picked) ?? series[0]!;
  const g = chartGeometry(current, W - M.left - M.right, H - M.top - M.bottom);
  const n = (x: number) => formatNumber(x, i18n.language);
  const path = g.points.map((p, i) => `${i === 0 ? 'M' : 'L'}${p.x},${p.y}`).join(' ');
  const summary = t('analyses.trend.summary', {
    name: current.name,
    unit: current.unit,
    count: current.points.length,
  });
  return (
    <div className="trend">
      <h3>{t('analyses.trend.title')}</h3>
      <div className="field trend__pick">
        <label htmlFor={`${id}-pick`}>{t('analyses.trend.pick')}</label>
        <select
          id={`${id}-pick`}
          className="input"
          value={current.code}
          onChange={(e) => setPicked(e.target.value)}
        >
          {series.map((s) => (
            <option key={s.code} value={s.code}>
              {s.name} ({s.points.length})
            </option>
          ))}
        </select>
      </div>
      <figure className="trend__figure">
        <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={summary}>
          <g transform={`translate(${M.left},${M.top})`}>
            {g.band && (
              <rect
                className="trend__band"
                x={0}
                y={g.band.y}
                width={W - M.left - M.right}
                height={Math.max(0, g.band.height)}
              />
            )}
            {g.yTicks.map((tick) => (
              <g key={tick.y}>
                <line
                  className="trend__grid"
                  x1={0}
                  x2={W - M.left - M.right}
                  y1={tick.y}
                  y2={tick.y}
                />
                <text
                  className="trend__tick"
                  x={-6}
                  y={tick.y}
                  textAnchor="end"
                  dominantBaseline="middle"
                >
                  {n(tick.value)}
                </text>
              </g>
            ))}
            <path className="trend__line" d={path} fill="none" />
            {g.points.map((p, i) => (
              <circle key={i} className="trend__point" cx={p.x} cy={p.y} r={4} />
            ))}
            {g.points.map(
              (p, i) =>
                // Many dates would overlap: only the first and the last are written under the axis.
                (g.points.length <= 3 || i === 0 || i === g.points.length - 1) && (
                  <text
                    key={`d${i}`}
                    className="trend__tick"
                    x={p.x}
                    y={H - M.top - M.bottom + 18}
                    textAnchor={
                      g.points.length === 1
                        ? 'middle'
                        : i === 0
                          ? 'start'
                          : i === g.points.length - 1
                            ? 'end'
                            : 'middle'
                    }
                  >
                    {formatDate(current.points[i]!.date, locale)}
                  </text>
                ),
            )}
          </g>
        </svg>
        <figcaption className="muted">
          {summary}. {t('analyses.trend.limited', { count: TREND_MAX })}
        </figcaption>
      </figure>
      <details className="trend__table">
        <summary>
          {t('analyses.trend.tableCaption', { name: current.name, unit: current.unit })}
        </summary>
        <table>
          <thead>
            <tr>
              <th scope="col">{t('analyses.trend.date')}</th>
              <th scope="col">{t('analyses.trend.value')}</th>
              <th scope="col">{t('analyses.trend.reference')}</th>
            </tr>
          </thead>
          <tbody>
            {current.points.map((p, i) => (
              <tr key={i}>
                <td>{formatDate(p.date, locale)}</td>
                <td>
                  {n(p.value)} {current.unit}
                </td>
                <td>
                  {p.low === null ? '…' : n(p.low)}–{p.high === null ? '…' : n(p.high)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </div>
  );
}
