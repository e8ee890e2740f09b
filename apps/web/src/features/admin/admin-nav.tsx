import { Link } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';

/** The console's sections. Payments and plans are listed, and arrive with their APIs. */
export function AdminNav() {
  const { t } = useTranslation();
  return (
    <nav aria-label={t('admin.nav.label')} className="admin-nav">
      <ul className="admin-nav__list">
        <li>
          <Link to="/admin" activeOptions={{ exact: true }}>
            {t('admin.nav.dashboard')}
          </Link>
        </li>
        <li>
          <Link to="/admin/users">{t('admin.nav.users')}</Link>
        </li>
        <li>
          <Link to="/admin/audit">{t('admin.nav.audit')}</Link>
        </li>
        <li>
          <span aria-disabled="true" className="muted">
            {t('admin.nav.payments')} · {t('admin.nav.soon')}
          </span>
        </li>
        <li>
          <span aria-disabled="true" className="muted">
            {t('admin.nav.plans')} · {t('admin.nav.soon')}
          </span>
        </li>
        <li>
          <Link to="/admin/jobs">{t('admin.nav.jobs')}</Link>
        </li>
      </ul>
    </nav>
  );
}
