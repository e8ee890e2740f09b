import { Link, Outlet, useRouterState } from '@tanstack/react-router';
import { useEffect, useId, useRef, useState } from 'react';
import { I18nProvider } from 'react-aria/I18nProvider';
import { useTranslation } from 'react-i18next';
import { NotificationBell } from '../features/notifications/bell';
import { currentLocale, htmlLang } from '../i18n';
import { trpcClient } from '../lib/api';
import { useAuth, canSeeProtected } from '../lib/auth-store';
import { endSession } from '../lib/session';
import { LanguageSwitcher } from './language-switcher';
import { OfflineBanner } from './offline-banner';
import { SubscriptionBanner } from './subscription-banner';
import { Toasts } from './ui/toast';

/**
 * The navigation shell: brand, main navigation, language menu and sign-out. On narrow screens the
 * navigation folds behind a "Menu" button (a disclosure: aria-expanded, Escape closes it).
 */
export function Layout() {
  const { t } = useTranslation();
  const auth = useAuth();
  const signedIn = canSeeProtected(auth);
  const isAdmin = auth.user?.role === 'admin';
  const [loggingOut, setLoggingOut] = useState(false);
  const [menuOpen, setMenuOpen] = useState(false);
  const navId = useId();
  const menuButtonRef = useRef<HTMLButtonElement>(null);
  const mainRef = useRef<HTMLElement>(null);
  const pathname = useRouterState({ select: (s) => s.location.pathname });
  const firstRender = useRef(true);

  // A new page folds the mobile menu.
  const [menuPath, setMenuPath] = useState(pathname);
  if (menuPath !== pathname) {
    setMenuPath(pathname);
    setMenuOpen(false);
  }

  // After client-side navigation, move focus to the new page so screen readers announce it.
  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    const heading = mainRef.current?.querySelector<HTMLElement>('h1');
    (heading ?? mainRef.current)?.focus();
  }, [pathname]);

  const logout = async () => {
    setLoggingOut(true);
    try {
      await trpcClient.auth.logout.mutate();
    } catch {
      // The local session ends anyway; the server cookie expires on its own.
    } finally {
      setLoggingOut(false);
      await endSession('logout');
    }
  };

  return (
    <I18nProvider locale={htmlLang[currentLocale()]}>
      <a className="skip-link" href="#main">
        {t('a11y.skipToContent')}
      </a>
      <header className="site-header">
        <div className="site-header__inner">
          <Link to="/" className="brand">
            {t('app.name')}
          </Link>
          <button
            ref={menuButtonRef}
            type="button"
            className="header-button site-header__menu-toggle"
            aria-expanded={menuOpen}
            aria-controls={navId}
            onClick={() => setMenuOpen((open) => !open)}
          >
            <span aria-hidden="true" className="site-header__menu-icon">
              {menuOpen ? '✕' : '☰'}
            </span>
            {t('nav.menu')}
          </button>
          <nav
            id={navId}
            aria-label={t('a11y.mainNav')}
            className={menuOpen ? 'site-nav site-nav--open' : 'site-nav'}
            onKeyDown={(e) => {
              if (e.key === 'Escape' && menuOpen) {
                setMenuOpen(false);
                menuButtonRef.current?.focus();
              }
            }}
          >
            <ul>
              {signedIn ? (
                <>
                  {isAdmin ? (
                    <li>
                      <Link to="/admin" activeProps={{ 'aria-current': 'page' }}>
                        {t('nav.admin')}
                      </Link>
                    </li>
                  ) : (
                    <>
                      <li>
                        <Link
                          to="/"
                          activeOptions={{ exact: true }}
                          activeProps={{ 'aria-current': 'page' }}
                        >
                          {t('nav.dashboard')}
                        </Link>
                      </li>
                      <li>
                        <Link to="/patients" activeProps={{ 'aria-current': 'page' }}>
                          {t('nav.patients')}
                        </Link>
                      </li>
                      <li>
                        <Link to="/analyses" activeProps={{ 'aria-current': 'page' }}>
                          {t('nav.analyses')}
                        </Link>
                      </li>
                      <li>
                        <Link to="/subscription" activeProps={{ 'aria-current': 'page' }}>
                          {t('nav.subscription')}
                        </Link>
                      </li>
                    </>
                  )}
                  <li className="site-nav__end">
                    <NotificationBell />
                  </li>
                  <li>
                    <Link to="/profile" activeProps={{ 'aria-current': 'page' }}>
                      {t('nav.profile')}
                    </Link>
                  </li>
                  <li>
                    <button
                      type="button"
                      className="button--link site-nav__logout"
                      onClick={() => void logout()}
                      disabled={loggingOut}
                    >
                      {loggingOut ? t('nav.loggingOut') : t('nav.logout')}
                    </button>
                  </li>
                </>
              ) : (
                <>
                  <li>
                    <Link to="/login" activeProps={{ 'aria-current': 'page' }}>
                      {t('nav.login')}
                    </Link>
                  </li>
                  <li>
                    <Link to="/register" activeProps={{ 'aria-current': 'page' }}>
                      {t('nav.register')}
                    </Link>
                  </li>
                </>
              )}
            </ul>
          </nav>
          <LanguageSwitcher />
        </div>
      </header>
      <OfflineBanner />
      <SubscriptionBanner />
      <main id="main" ref={mainRef} tabIndex={-1} className="site-main">
        <Outlet />
      </main>
      <Toasts />
    </I18nProvider>
  );
}
