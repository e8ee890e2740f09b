import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useParams } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { QueryError } from '../../components/query-error';
import { usePageTitle } from '../../components/page-title';
import { Button } from '../../components/ui/button';
import { ConfirmDialog } from '../../components/ui/dialog';
import { currentLocale } from '../../i18n';
import { trpc } from '../../lib/api';
import { errorMessage, parseError } from '../../lib/errors';
import { formatDate, formatDateTime } from '../../lib/format';
import { AdminNav } from './admin-nav';
import { ExtendForm } from './extend-form';

/** One account: profile, workspace, counts (never records), and the activate/deactivate switch. */
export function AdminUserPage() {
  const { t } = useTranslation();
  const { userId } = useParams({ from: '/_protected/admin/users/$userId' });
  const locale = currentLocale();
  const queryClient = useQueryClient();
  const user = useQuery(trpc.admin.user.get.queryOptions({ id: userId }));
  usePageTitle(user.data?.name ?? t('admin.user.title'));
  const [message, setMessage] = useState<string | null>(null);
  const setActive = useMutation(
    trpc.admin.user.setActive.mutationOptions({
      onSuccess: (data) => {
        queryClient.setQueryData(trpc.admin.user.get.queryKey({ id: userId }), data);
        void queryClient.invalidateQueries({ queryKey: trpc.admin.user.list.pathKey() });
        setMessage(data.active ? t('admin.user.activated') : t('admin.user.deactivated'));
      },
      onError: (e) => setMessage(errorMessage(t, parseError(e))),
    }),
  );
  const u = user.data;
  return (
    <section className="panel stack" aria-labelledby="admin-user-title">
      <h1 id="admin-user-title" tabIndex={-1}>
        {u?.name ?? t('admin.user.title')}
      </h1>
      <AdminNav />
      {user.isPending && !user.isError && (
        <p role="status" className="muted">
          {t('a11y.loading')}
        </p>
      )}
      {user.isError && (
        <QueryError error={user.error} hasData={!!u} onRetry={() => void user.refetch()} />
      )}
      {u && (
        <>
          <dl className="admin-details">
            <dt>{t('admin.users.phone')}</dt>
            <dd>{u.phone}</dd>
            <dt>{t('admin.users.role')}</dt>
            <dd>{t(`admin.role.${u.role}`)}</dd>
            <dt>{t('admin.users.account')}</dt>
            <dd>{u.active ? t('admin.users.active') : t('admin.users.deactivated')}</dd>
            <dt>{t('admin.users.created')}</dt>
            <dd>{formatDate(u.createdAt, locale)}</dd>
            <dt>{t('admin.user.lastLogin')}</dt>
            <dd>{u.lastLoginAt ? formatDateTime(u.lastLoginAt, locale) : '—'}</dd>
            {u.workspace && (
              <>
                <dt>{t('admin.user.plan')}</dt>
                <dd>{u.workspace.planName[locale]}</dd>
                <dt>{t('admin.users.subscription')}</dt>
                <dd>{t(`admin.subscription.${u.workspace.status}`)}</dd>
                <dt>{t('admin.user.endsAt')}</dt>
                <dd>{u.workspace.endsAt ? formatDate(u.workspace.endsAt, locale) : '—'}</dd>
                <dt>{t('admin.user.patients')}</dt>
                <dd>{u.patients}</dd>
                <dt>{t('admin.user.analyses')}</dt>
                <dd>{u.analyses}</dd>
              </>
            )}
          </dl>
          <ConfirmDialog
            trigger={
              <Button className="button" isDisabled={setActive.isPending}>
                {u.active ? t('admin.user.deactivate') : t('admin.user.activate')}
              </Button>
            }
            title={u.active ? t('admin.user.confirmDeactivate') : t('admin.user.confirmActivate')}
            confirmLabel={u.active ? t('admin.user.deactivate') : t('admin.user.activate')}
            cancelLabel={t('admin.cancel')}
            onConfirm={() => {
              setMessage(null);
              setActive.mutate({ id: u.id, active: !u.active });
            }}
          >
            <p>{u.active ? t('admin.user.deactivateBody') : t('admin.user.activateBody')}</p>
          </ConfirmDialog>
          <p role="status" aria-live="polite">
            {message}
          </p>
          {u.workspace && <ExtendForm workspaceId={u.workspace.id} userId={u.id} />}
        </>
      )}
    </section>
  );
}
