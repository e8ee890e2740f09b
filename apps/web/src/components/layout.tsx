import { Link, Outlet, useRouterState } from '@tanstack/react-router';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useAuth, canSeeProtected } from '../lib/auth-store';
import { endSession } from '../lib/session';
import { trpcClient } from '../lib/api';
import { LanguageSwitcher } from './language-switcher';
import { OfflineBanner } from './offline-banner';

export function Layout() {
  const { t } = useTranslation();
  const auth = useAuth();
  const signedIn = canSeeProtected(auth);
  const [loggingOut, setLoggingOut] = useState(false);
  const mainRef = useRef<HTMLElement>(null);
  const pathname = useRouterState({ select: (s) => s.location.pathname });
  const firstRender = useRef(true);

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
    <>
      <a className="skip-link" href="#main">
        {t('a11y.skipToContent')}
      </a>
      <header className="site-header">
        <div className="site-header__inner">
          <Link to="/" className="brand">
            {t('app.name')}
          </Link>
          <nav aria-label={t('a11y.mainNav')} className="site-nav">
            <ul>
              {signedIn ? (
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
                    <Link to="/profile" activeProps={{ 'aria-current': 'page' }}>
                      {t('nav.profile')}
                    </Link>
                  </li>
                  <li>
                    <button
                      type="button"
                      className="button button--link"
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
      <main id="main" ref={mainRef} tabIndex={-1} className="site-main">
        <Outlet />
      </main>
    </>
  );
}
