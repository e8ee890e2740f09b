import { Link } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { usePageTitle } from '../../components/page-title';
import { useAuth } from '../../lib/auth-store';

/** What a signed-in administrator sees at "/" until the admin console exists. */
export function AdminPage() {
  const { t } = useTranslation();
  usePageTitle(t('admin.title'));
  const { user } = useAuth();
  return (
    <section className="panel" aria-labelledby="admin-title">
      <h1 id="admin-title" tabIndex={-1}>
        {t('admin.title')}
      </h1>
      {user && <p>{t('admin.greeting', { name: user.name })}</p>}
      <p>{t('admin.intro')}</p>
      <p>
        <Link to="/profile">{t('admin.profileHint')}</Link>
      </p>
    </section>
  );
}
