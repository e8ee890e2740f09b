import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { SessionOutput } from '@medora/schema';
import { QueryError } from '../../components/query-error';
import { Button } from '../../components/ui/button';
import { ConfirmDialog } from '../../components/ui/dialog';
import { Cell, Column, Row, Table, TableBody, TableHeader } from '../../components/ui/table';
import { toasts } from '../../components/ui/toast';
import { currentLocale } from '../../i18n';
import { trpc } from '../../lib/api';
import { errorMessage, parseError } from '../../lib/errors';
import { formatDateTime } from '../../lib/format';
import { describeUserAgent } from './device';
import { sessionsQuery } from './queries';

function useDeviceName() {
  const { t } = useTranslation();
  return (session: SessionOutput) => {
    const { browser, os, model } = describeUserAgent(session.userAgent);
    if (browser && model && os) return t('sessions.deviceOnModel', { browser, model, os });
    if (browser && os) return t('sessions.deviceOn', { browser, os });
    return browser ?? os ?? t('sessions.unknownDevice');
  };
}

export function SessionsPanel() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const sessions = useQuery(sessionsQuery());
  const deviceName = useDeviceName();
  const revoke = useMutation(trpc.auth.sessions.revoke.mutationOptions());
  const locale = currentLocale();

  const onRevoke = async (session: SessionOutput) => {
    try {
      await revoke.mutateAsync({ id: session.id });
      toasts.success(t('sessions.ended', { device: deviceName(session) }));
    } catch (error) {
      toasts.error(errorMessage(t, parseError(error)));
    } finally {
      await queryClient.invalidateQueries({ queryKey: trpc.auth.sessions.list.queryKey() });
    }
  };

  const list = sessions.data ?? [];
  const others = list.filter((s) => !s.current);
  // The current device first, then the most recently active.
  const rows = [...list].sort(
    (a, b) => Number(b.current) - Number(a.current) || +b.lastUsedAt - +a.lastUsedAt,
  );

  return (
    <section className="panel" aria-labelledby="sessions-title">
      <h2 id="sessions-title">{t('sessions.title')}</h2>
      <p className="muted">{t('sessions.intro')}</p>
      {sessions.isError && (
        <QueryError
          error={sessions.error}
          hasData={!!sessions.data}
          onRetry={() => void sessions.refetch()}
        />
      )}
      {sessions.isPending && !sessions.isError && <p role="status">{t('a11y.loading')}</p>}
      {rows.length > 0 && (
        <Table aria-label={t('sessions.caption')} className="table sessions-table">
          <TableHeader>
            <Column isRowHeader>{t('sessions.device')}</Column>
            <Column>{t('sessions.ip')}</Column>
            <Column>{t('sessions.started')}</Column>
            <Column>{t('sessions.lastUsed')}</Column>
            <Column>
              <span className="visually-hidden">{t('sessions.actions')}</span>
            </Column>
          </TableHeader>
          <TableBody items={rows}>
            {(session) => {
              const device = deviceName(session);
              const lastUsed = formatDateTime(session.lastUsedAt, locale);
              const ending = revoke.isPending && revoke.variables?.id === session.id;
              return (
                <Row
                  id={session.id}
                  className={session.current ? 'table__row session--current' : 'table__row'}
                >
                  <Cell>
                    <span
                      id={`session-${session.id}-device`}
                      className="session__device"
                      title={session.userAgent ?? undefined}
                    >
                      {device}
                    </span>
                    {session.current && (
                      <span className="badge badge--active">{t('sessions.thisDevice')}</span>
                    )}
                  </Cell>
                  <Cell data-label={t('sessions.ip')}>{session.ip ?? t('sessions.unknown')}</Cell>
                  <Cell data-label={t('sessions.started')}>
                    {formatDateTime(session.startedAt, locale)}
                  </Cell>
                  <Cell data-label={t('sessions.lastUsed')}>{lastUsed}</Cell>
                  <Cell>
                    {!session.current && (
                      <ConfirmDialog
                        trigger={
                          <Button
                            className="button button--danger"
                            isDisabled={ending}
                            aria-describedby={`session-${session.id}-device`}
                          >
                            {ending ? t('sessions.ending') : t('sessions.end')}
                          </Button>
                        }
                        title={t('sessions.confirmTitle')}
                        confirmLabel={t('sessions.confirm')}
                        cancelLabel={t('sessions.cancel')}
                        onConfirm={() => void onRevoke(session)}
                      >
                        <p>
                          {t('sessions.confirmBody', {
                            device,
                            ip: session.ip ?? t('sessions.unknown'),
                            lastUsed,
                          })}
                        </p>
                      </ConfirmDialog>
                    )}
                  </Cell>
                </Row>
              );
            }}
          </TableBody>
        </Table>
      )}
      {sessions.isSuccess && others.length === 0 && (
        <p className="sessions-empty">{t('sessions.noOthers')}</p>
      )}
    </section>
  );
}
