import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { maskPhone } from '@medora/schema';
import { QueryError } from '../../components/query-error';
import { usePageTitle } from '../../components/page-title';
import { useAuth } from '../../lib/auth-store';
import { DeviceDataPanel } from './device-data-panel';
import { PasswordForm } from './password-form';
import { PersonalForm } from './personal-form';
import { meQuery } from './queries';
import { SessionsPanel } from './sessions-panel';

export function ProfilePage() {
  const { t } = useTranslation();
  usePageTitle(t('profile.title'));
  const auth = useAuth();
  const me = useQuery(meQuery());
  const user = me.data?.user ?? auth.user;

  return (
    <div className="stack">
      <section className="panel" aria-labelledby="profile-title">
        <h1 id="profile-title" tabIndex={-1}>
          {t('profile.title')}
        </h1>
        {user && <p className="muted">{t('profile.phone', { phone: maskPhone(user.phone) })}</p>}
        {me.isError && (
          <QueryError error={me.error} hasData={!!me.data} onRetry={() => void me.refetch()} />
        )}
        {user ? (
          <PersonalForm
            key={user.id}
            initialName={user.name}
            initialLocale={user.locale}
            initialEmail={user.email}
          />
        ) : (
          me.isPending && <p role="status">{t('a11y.loading')}</p>
        )}
      </section>
      <PasswordForm phone={user?.phone ?? ''} />
      <SessionsPanel />
      <DeviceDataPanel />
    </div>
  );
}
