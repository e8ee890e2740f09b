import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { QueryError } from '../../components/query-error';
import { usePageTitle } from '../../components/page-title';
import { currentLocale } from '../../i18n';
import { trpc } from '../../lib/api';
import { errorMessage, parseError } from '../../lib/errors';
import { formatDateTime } from '../../lib/format';
import { AdminNav } from './admin-nav';
import { jobsQuery } from './queries';

/** The job queue per task (queued, running, failed), schedules, last runs, and failed jobs to retry. */
export function AdminJobsPage() {
  const { t } = useTranslation();
  usePageTitle(t('admin.jobs.title'));
  const locale = currentLocale();
  const queryClient = useQueryClient();
  // Counts move while the page is open: refresh them every half minute.
  const jobs = useQuery({ ...jobsQuery(), refetchInterval: 30_000 });
  const [message, setMessage] = useState<string | null>(null);
  const retry = useMutation(
    trpc.admin.jobs.retry.mutationOptions({
      onSuccess: () => setMessage(t('admin.jobs.retried')),
      onError: (e) => setMessage(errorMessage(t, parseError(e))),
      onSettled: () => queryClient.invalidateQueries({ queryKey: jobsQuery().queryKey }),
    }),
  );
  const data = jobs.data;
  return (
    <section className="panel stack" aria-labelledby="admin-jobs-title">
      <h1 id="admin-jobs-title" tabIndex={-1}>
        {t('admin.jobs.title')}
      </h1>
      <AdminNav />
      {jobs.isPending && !jobs.isError && (
        <p role="status" className="muted">
          {t('a11y.loading')}
        </p>
      )}
      {jobs.isError && (
        <QueryError error={jobs.error} hasData={!!data} onRetry={() => void jobs.refetch()} />
      )}
      {data && (
        <>
          <div
            className="table-scroll"
            role="region"
            aria-labelledby="admin-jobs-tasks"
            tabIndex={0}
          >
            <table className="admin-table">
              <caption id="admin-jobs-tasks">{t('admin.jobs.tasks')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('admin.jobs.task')}</th>
                  <th scope="col">{t('admin.jobs.queued')}</th>
                  <th scope="col">{t('admin.jobs.running')}</th>
                  <th scope="col">{t('admin.jobs.failed')}</th>
                  <th scope="col">{t('admin.jobs.schedule')}</th>
                  <th scope="col">{t('admin.jobs.lastRun')}</th>
                </tr>
              </thead>
              <tbody>
                {data.tasks.map((task) => (
                  <tr key={task.task}>
                    <th scope="row">
                      <code>{task.task}</code>
                    </th>
                    <td>{task.queued}</td>
                    <td>{task.running}</td>
                    <td>{task.failed}</td>
                    <td>
                      {task.schedule ? (
                        <>
                          <code>{task.schedule}</code> <span className="muted">UTC</span>
                        </>
                      ) : (
                        t('admin.jobs.onDemand')
                      )}
                    </td>
                    <td>
                      {task.lastRun ? (
                        <>
                          {formatDateTime(task.lastRun.startedAt, locale)} ·{' '}
                          {t(`admin.jobs.outcomes.${task.lastRun.outcome}`)}
                          {task.lastRun.affected !== null &&
                            ` · ${t('admin.jobs.affected', { count: task.lastRun.affected })}`}
                          {task.lastRun.error && (
                            <>
                              <br />
                              <span className="muted">{task.lastRun.error}</span>
                            </>
                          )}
                        </>
                      ) : (
                        '—'
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>

          <h2 id="admin-jobs-failed">{t('admin.jobs.failedJobs')}</h2>
          {data.failedJobs.length === 0 ? (
            <p>{t('admin.jobs.noFailed')}</p>
          ) : (
            <div
              className="table-scroll"
              role="region"
              aria-labelledby="admin-jobs-failed"
              tabIndex={0}
            >
              <table className="admin-table">
                <caption className="visually-hidden">{t('admin.jobs.failedJobs')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('admin.jobs.id')}</th>
                    <th scope="col">{t('admin.jobs.task')}</th>
                    <th scope="col">{t('admin.jobs.attempts')}</th>
                    <th scope="col">{t('admin.jobs.failedAt')}</th>
                    <th scope="col">{t('admin.jobs.lastError')}</th>
                    <th scope="col">
                      <span className="visually-hidden">{t('admin.jobs.actions')}</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {data.failedJobs.map((job) => (
                    <tr key={job.id}>
                      <td>{job.id}</td>
                      <td>
                        <code>{job.task}</code>
                      </td>
                      <td>
                        {job.attempts} / {job.maxAttempts}
                      </td>
                      <td>{job.failedAt ? formatDateTime(job.failedAt, locale) : '—'}</td>
                      <td>{job.lastError ?? '—'}</td>
                      <td>
                        <button
                          type="button"
                          className="button"
                          disabled={retry.isPending}
                          aria-label={t('admin.jobs.retryJob', { id: job.id, task: job.task })}
                          onClick={() => {
                            setMessage(null);
                            retry.mutate({ jobId: job.id });
                          }}
                        >
                          {t('admin.jobs.retry')}
                        </button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
      <p role="status" aria-live="polite">
        {message}
      </p>
    </section>
  );
}
