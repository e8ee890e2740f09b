import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { AccessLogEntry } from '@medora/schema';
import { QueryError } from '../../components/query-error';
import { Cell, Column, Row, Table, TableBody, TableHeader } from '../../components/ui/table';
import { currentLocale } from '../../i18n';
import { formatDateTime } from '../../lib/format';
import { accessLogQuery, attachmentsQuery } from './queries';

export const KNOWN_ACTIONS = [
  'patient.view',
  'patient.create',
  'patient.update',
  'patient.archive',
  'patient.restore',
  'patient.list',
  'file.list',
  'file.upload',
  'file.download',
  'file.delete',
  'analysis.create',
  'analysis.view',
  'analysis.list',
] as const;

/** "Opened the record", "Uploaded a file (scan.png)", "Opened the record — refused". */
export function describeAction(
  t: TFunction,
  entry: Pick<AccessLogEntry, 'action' | 'outcome'>,
  fileName?: string | null,
): string {
  const known = (KNOWN_ACTIONS as readonly string[]).includes(entry.action);
  let text = known
    ? t(`accessLog.action.${entry.action as (typeof KNOWN_ACTIONS)[number]}`)
    : t('accessLog.action.other', { action: entry.action });
  if (fileName) text += ` (${fileName})`;
  if (entry.outcome === 'denied') text += ` — ${t('accessLog.denied')}`;
  else if (entry.outcome === 'failure') text += ` — ${t('accessLog.failed')}`;
  return text;
}

export function AccessLogPanel({ patientId }: { patientId: string }) {
  const { t } = useTranslation();
  const log = useInfiniteQuery(accessLogQuery(patientId));
  // File names for file entries, from the attachments list when it is at hand.
  const files = useQuery({ ...attachmentsQuery(patientId), enabled: false });
  const names = new Map((files.data?.items ?? []).map((f) => [f.id, f.name]));
  const entries = (log.data?.pages ?? []).flatMap((p) => p.items);
  const locale = currentLocale();

  return (
    <section className="panel" aria-labelledby="access-log-title">
      <h2 id="access-log-title">{t('accessLog.title')}</h2>
      <p className="muted">{t('accessLog.intro')}</p>
      {log.isError && (
        <QueryError error={log.error} hasData={!!log.data} onRetry={() => void log.refetch()} />
      )}
      {log.isPending && !log.isError && <p className="muted">{t('a11y.loading')}</p>}
      {log.isSuccess && entries.length === 0 && <p>{t('accessLog.empty')}</p>}
      {entries.length > 0 && (
        <Table aria-label={t('accessLog.listLabel')} className="table patients-table">
          <TableHeader>
            <Column isRowHeader>{t('accessLog.when')}</Column>
            <Column>{t('accessLog.who')}</Column>
            <Column>{t('accessLog.what')}</Column>
          </TableHeader>
          <TableBody items={entries.map((entry, index) => ({ ...entry, key: index }))}>
            {(entry) => (
              <Row id={entry.key} className="table__row">
                <Cell>{formatDateTime(entry.at, locale)}</Cell>
                <Cell data-label={t('accessLog.who')}>
                  {entry.actor?.name ?? t('accessLog.unknownActor')}
                </Cell>
                <Cell data-label={t('accessLog.what')}>
                  {describeAction(t, entry, entry.fileId ? names.get(entry.fileId) : null)}
                </Cell>
              </Row>
            )}
          </TableBody>
        </Table>
      )}
      {log.hasNextPage && (
        <p className="panel__footer">
          <button
            type="button"
            className="button"
            disabled={log.isFetchingNextPage}
            onClick={() => void log.fetchNextPage()}
          >
            {log.isFetchingNextPage ? t('patients.loadingMore') : t('accessLog.loadMore')}
          </button>
        </p>
      )}
    </section>
  );
}
