import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { AnalysisOutput, AnalysisReport } from '@medora/schema';
import { formatNumber } from './format';
import { ReferenceBar } from './reference-bar';
import { flagView } from './status';

interface ReportProps {
  analysis: AnalysisOutput;
  report: AnalysisReport;
  /** The feedback control under each condition. */
  feedback: (code: string, name: string) => ReactNode;
}

/** The rules report: red flags first, then labs, derived values, differential and notes. */
export function Report({ analysis, report, feedback }: ReportProps) {
  const { t, i18n } = useTranslation();
  const n = (x: number) => formatNumber(x, i18n.language);
  return (
    <>
      {report.redFlags.length > 0 && (
        <section className="red-flags print-section" role="alert" aria-labelledby="rf-title">
          <h2 id="rf-title">
            <span aria-hidden="true">⚠ </span>
            {t('analyses.report.redFlagsTitle')}
          </h2>
          <ul>
            {report.redFlags.map((f) => (
              <li key={f.code} className={`red-flag red-flag--${f.severity}`}>
                <strong className="red-flag__severity">
                  {t(`analyses.report.severity.${f.severity}`)}:
                </strong>{' '}
                {f.message}
                {f.evidence.length > 0 && (
                  <span className="red-flag__evidence">
                    {' '}
                    ({t('analyses.report.evidence')}: {f.evidence.join('; ')})
                  </span>
                )}
              </li>
            ))}
          </ul>
        </section>
      )}

      <section className="panel print-section" aria-labelledby="labs-title">
        <h2 id="labs-title">{t('analyses.report.labsTitle')}</h2>
        {report.labs.length === 0 ? (
          <p className="muted">{t('analyses.report.noLabs')}</p>
        ) : (
          <div className="table-scroll" role="region" aria-labelledby="labs-title" tabIndex={0}>
            <table className="lab-table">
              <thead>
                <tr>
                  <th scope="col">{t('analyses.report.lab')}</th>
                  <th scope="col">{t('analyses.report.result')}</th>
                  <th scope="col">{t('analyses.report.flag')}</th>
                  <th scope="col">{t('analyses.report.reference')}</th>
                  <th scope="col">{t('analyses.report.range')}</th>
                </tr>
              </thead>
              <tbody>
                {report.labs.map((lab, i) => {
                  const flag = flagView(lab.flag);
                  // Reference bounds are in SI when the value converted, else in the printed unit.
                  const inSi = lab.siValue !== null && lab.siUnit !== null;
                  const value = inSi ? lab.siValue! : lab.value;
                  const unit = inSi ? lab.siUnit! : lab.unit;
                  return (
                    <tr key={`${lab.code}-${i}`} className={`lab lab--${flag.tone}`}>
                      <th scope="row">{lab.name}</th>
                      <td data-label={t('analyses.report.result')}>
                        {n(lab.value)} {lab.unit}
                        {inSi && lab.siUnit !== lab.unit && (
                          <span className="muted lab__si">
                            {' '}
                            = {n(lab.siValue!)} {lab.siUnit}
                          </span>
                        )}
                      </td>
                      <td data-label={t('analyses.report.flag')}>
                        <span className={`flag flag--${flag.tone}`}>
                          <span aria-hidden="true">{flag.symbol} </span>
                          {t(flag.labelKey)}
                        </span>
                      </td>
                      <td data-label={t('analyses.report.reference')}>
                        {lab.referenceLow === null && lab.referenceHigh === null
                          ? '—'
                          : `${lab.referenceLow === null ? '…' : n(lab.referenceLow)}–${
                              lab.referenceHigh === null ? '…' : n(lab.referenceHigh)
                            } ${unit}`}
                        {lab.referenceSource && (
                          <span className="muted lab__source">
                            {' '}
                            {t('analyses.report.labSource', { source: lab.referenceSource })}
                          </span>
                        )}
                      </td>
                      <td data-label={t('analyses.report.range')}>
                        <ReferenceBar
                          value={value}
                          low={lab.referenceLow}
                          high={lab.referenceHigh}
                          unit={unit}
                        />
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </section>

      {report.derived.length > 0 && (
        <section className="panel print-section" aria-labelledby="derived-title">
          <h2 id="derived-title">{t('analyses.report.derivedTitle')}</h2>
          <dl className="derived">
            {report.derived.map((d) => (
              <div key={d.code}>
                <dt>{t(`analyses.derivedNames.${d.code}`)}</dt>
                <dd>
                  <strong>
                    {n(d.value)} {d.unit}
                  </strong>{' '}
                  — {d.interpretation}
                  <br />
                  <span className="muted">
                    {t('analyses.report.formula', {
                      formula: t(`analyses.derivedFormulas.${d.code}`),
                    })}
                  </span>
                  <br />
                  <span className="muted">{t('analyses.report.source', { source: d.source })}</span>
                </dd>
              </div>
            ))}
          </dl>
        </section>
      )}

      <section className="panel print-section" aria-labelledby="dd-title">
        <h2 id="dd-title">{t('analyses.report.differentialTitle')}</h2>
        <p className="muted">{t('analyses.report.differentialNote')}</p>
        {report.differential.length === 0 ? (
          <p>{t('analyses.report.noDifferential')}</p>
        ) : (
          <ol className="conditions">
            {report.differential.map((c) => (
              <li key={c.code} className="condition">
                <h3>
                  {c.name} <span className="muted">({c.code})</span>
                </h3>
                <p className="score">
                  <meter min={0} max={100} value={c.score} aria-hidden="true" />{' '}
                  {t('analyses.report.score', { score: c.score })}
                </p>
                <div className="condition__evidence">
                  {c.evidenceFor.length > 0 && (
                    <div>
                      <h4>{t('analyses.report.evidenceFor')}</h4>
                      <ul>
                        {c.evidenceFor.map((e, i) => (
                          <li key={i}>{e}</li>
                        ))}
                      </ul>
                    </div>
                  )}
                  {c.evidenceAgainst.length > 0 && (
                    <div>
                      <h4>{t('analyses.report.evidenceAgainst')}</h4>
                      <ul>
                        {c.evidenceAgainst.map((e, i) => (
                          <li key={i}>{e}</li>
                        ))}
                      </ul>
                    </div>
                  )}
                </div>
                {c.recommendedTests.length > 0 && (
                  <p>
                    <strong>{t('analyses.report.tests')}:</strong>{' '}
                    {c.recommendedTests.map((x) => x.name).join(', ')}
                  </p>
                )}
                {c.referral && (
                  <p>
                    <strong>{t('analyses.report.referral')}:</strong>{' '}
                    {t('analyses.report.referralText', {
                      name: c.referral.name,
                      urgency: t(`analyses.report.urgency.${c.referral.urgency}`),
                    })}
                  </p>
                )}
                {c.sources.length > 0 && (
                  <p className="muted">
                    {t('analyses.report.sources')}: {c.sources.join(', ')}
                  </p>
                )}
                {feedback(c.code, c.name)}
              </li>
            ))}
          </ol>
        )}
        {report.recommendedTests.length > 0 && (
          <p>
            <strong>{t('analyses.report.tests')}:</strong>{' '}
            {report.recommendedTests.map((x) => x.name).join(', ')}
          </p>
        )}
      </section>

      {analysis.enrichment && (
        <section className="panel enrichment print-section" aria-labelledby="ai-title">
          <h2 id="ai-title">{t('analyses.report.enrichmentTitle')}</h2>
          <p className="notice notice--info">
            {t('analyses.report.enrichmentNote', { model: analysis.enrichment.model })}
          </p>
          <p className="enrichment__narrative">{analysis.enrichment.narrative}</p>
          {analysis.enrichment.hypotheses.length > 0 && (
            <>
              <h3>{t('analyses.report.hypotheses')}</h3>
              <ul>
                {analysis.enrichment.hypotheses.map((h, i) => (
                  <li key={i}>
                    <strong>
                      {h.name}
                      {h.code && ` (${h.code})`}
                    </strong>{' '}
                    — {h.rationale}
                  </li>
                ))}
              </ul>
            </>
          )}
        </section>
      )}
      {analysis.enrichmentFailure && (
        <p className="notice notice--info">{t('analyses.report.enrichmentFailed')}</p>
      )}

      {report.warnings.length > 0 && (
        <section className="panel print-section" aria-labelledby="warn-title">
          <h2 id="warn-title">{t('analyses.report.warningsTitle')}</h2>
          <ul>
            {report.warnings.map((w, i) => (
              <li key={i}>{w.message}</li>
            ))}
          </ul>
        </section>
      )}

      {analysis.attachments.length > 0 && (
        <section className="panel print-section" aria-labelledby="att-title">
          <h2 id="att-title">{t('analyses.report.attachmentsTitle')}</h2>
          <ul>
            {analysis.attachments.map((a) => (
              <li key={a.id}>{a.name}</li>
            ))}
          </ul>
        </section>
      )}

      <section className="panel disclaimer print-section" aria-labelledby="disc-title">
        <h2 id="disc-title">{t('analyses.report.disclaimerTitle')}</h2>
        <p>{report.disclaimer}</p>
      </section>
    </>
  );
}
