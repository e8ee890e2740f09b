import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useParams } from '@tanstack/react-router';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import type { AnalysisOutput, FeedbackVerdict } from '@medora/schema';
import { QueryError } from '../../components/query-error';
import { usePageTitle } from '../../components/page-title';
import { currentLocale } from '../../i18n';
import { trpc } from '../../lib/api';
import { errorMessage, parseError } from '../../lib/errors';
import { formatDateTime } from '../../lib/format';
import { followStatus } from './live';
import { analysisQuery, analysisStatusQuery } from './queries';
import { Report } from './report';
import { isFinished, statusView } from './status';
import './analyses.css';

export function AnalysisPage() {
  const { t } = useTranslation();
  const { analysisId } = useParams({ from: '/_protected/analyses/$analysisId' });
  const analysis = useQuery(analysisQuery(analysisId));
  usePageTitle(t('analyses.report.title'));

  if (!analysis.data) {
    return (
      <section className="panel" aria-labelledby="analysis-title">
        <h1 id="analysis-title">{t('analyses.report.title')}</h1>
        {analysis.isPending && <p role="status">{t('a11y.loading')}</p>}
        {analysis.isError && (
          <QueryError
            error={analysis.error}
            hasData={false}
            onRetry={() => void analysis.refetch()}
          />
        )}
      </section>
    );
  }
  return <AnalysisView analysis={analysis.data} />;
}

function AnalysisView({ analysis }: { analysis: AnalysisOutput }) {
  const { t } = useTranslation();
  const locale = currentLocale();
  const view = statusView(analysis.status);
  return (
    <article className="stack analysis" aria-labelledby="analysis-title">
      <p className="patients__back no-print">
        <Link to="/patients/$patientId" params={{ patientId: analysis.patientId }}>
          {t('analyses.report.patientLink')}
        </Link>
      </p>
      <header className="panel analysis__head">
        <div>
          <h1 id="analysis-title">{t('analyses.report.title')}</h1>
          <p className="muted">
            {t('analyses.report.createdAt', {
              date: formatDateTime(analysis.createdAt, locale),
              name: analysis.createdBy.name,
            })}
          </p>
        </div>
        <div className="analysis__head-actions">
          <span className={`badge status status--${view.tone}`}>{t(view.labelKey)}</span>
          {view.showReport && (
            <button type="button" className="button no-print" onClick={() => window.print()}>
              {t('analyses.report.print')}
            </button>
          )}
        </div>
      </header>
      {view.live && <LiveStatus analysis={analysis} />}
      {analysis.status === 'failed' && (
        <p className="notice notice--error" role="alert">
          {failureText(t, analysis.failureReason)}
        </p>
      )}
      {view.showReport && analysis.report && (
        <Report
          analysis={analysis}
          report={analysis.report}
          feedback={(code, name) => (
            <Feedback analysis={analysis} conditionCode={code} conditionName={name} />
          )}
        />
      )}
    </article>
  );
}

/** The server's reason is a translation key; an unknown one still reads as a failure. */
export function failureText(t: TFunction, reason: string | null): string {
  const fallback = t('analysis.failed');
  if (!reason || !/^[a-z_]+(\.[a-z_]+)+$/.test(reason)) return fallback;
  return t(reason as 'analysis.failed', { defaultValue: fallback });
}

/**
 * Queued or running: the status arrives live over server-sent events, with polling every second
 * until the first event (and whenever the live connection fails); once it is completed or failed,
 * the full analysis is read again.
 */
function LiveStatus({ analysis }: { analysis: AnalysisOutput }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [live, setLive] = useState(false);
  const status = useQuery(analysisStatusQuery(analysis.id, live));
  useEffect(() => {
    const statusKey = analysisStatusQuery(analysis.id).queryKey;
    return followStatus(analysis.id, {
      onEvent: (event) => {
        setLive(true);
        queryClient.setQueryData(statusKey, event);
      },
      // Polling every second takes over.
      onFail: () => setLive(false),
    });
  }, [analysis.id, queryClient]);
  const current = status.data?.status ?? analysis.status;
  const done = useRef(false);
  useEffect(() => {
    if (!done.current && isFinished(current)) {
      done.current = true;
      void queryClient.invalidateQueries({ queryKey: analysisQuery(analysis.id).queryKey });
      void queryClient.invalidateQueries({ queryKey: trpc.analysis.list.pathKey() });
    }
  }, [current, analysis.id, queryClient]);
  return (
    <section className="panel live-status" aria-labelledby="live-title">
      <h2 id="live-title">{t('analyses.status.liveTitle')}</h2>
      <p role="status" aria-live="polite">
        <span className="spinner" aria-hidden="true" /> {t(statusView(current).labelKey)}
      </p>
      <p className="muted">{t('analyses.status.liveBody')}</p>
    </section>
  );
}

const verdicts: readonly FeedbackVerdict[] = ['more_likely', 'less_likely', 'needs_review'];

function Feedback({
  analysis,
  conditionCode,
  conditionName,
}: {
  analysis: AnalysisOutput;
  conditionCode: string;
  conditionName: string;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const current = analysis.feedback.find((f) => f.conditionCode === conditionCode);
  const [comment, setComment] = useState(current?.comment ?? '');
  const [message, setMessage] = useState('');
  const send = useMutation(trpc.analysis.feedback.mutationOptions());
  const commentId = `feedback-${conditionCode.replace(/\W/g, '_')}-comment`;
  const choose = async (verdict: FeedbackVerdict) => {
    setMessage('');
    try {
      const next = await send.mutateAsync({
        id: analysis.id,
        conditionCode,
        verdict,
        ...(comment.trim() && { comment }),
      });
      queryClient.setQueryData(analysisQuery(analysis.id).queryKey, next);
      setMessage(t('analyses.feedback.saved', { verdict: t(`analyses.feedback.${verdict}`) }));
    } catch (error) {
      setMessage(errorMessage(t, parseError(error)));
    }
  };
  return (
    <fieldset className="feedback no-print">
      <legend>{t('analyses.feedback.legend', { name: conditionName })}</legend>
      <div className="feedback__buttons">
        {verdicts.map((v) => (
          <button
            key={v}
            type="button"
            className={current?.verdict === v ? 'button button--primary' : 'button'}
            aria-pressed={current?.verdict === v}
            disabled={send.isPending}
            onClick={() => void choose(v)}
          >
            {t(`analyses.feedback.${v}`)}
          </button>
        ))}
      </div>
      <div className="field">
        <label htmlFor={commentId}>{t('analyses.feedback.comment')}</label>
        <input
          id={commentId}
          className="input"
          value={comment}
          maxLength={1000}
          onChange={(e) => setComment(e.target.value)}
        />
      </div>
      <p role="status" className="form__status">
        {message ||
          (current
            ? t('analyses.feedback.current', { verdict: t(`analyses.feedback.${current.verdict}`) })
            : '')}
      </p>
    </fieldset>
  );
}
