import { useQueryErrorResetBoundary } from '@tanstack/react-query';
import { Link, useRouter, type ErrorComponentProps } from '@tanstack/react-router';
import { Component, type ErrorInfo, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { reportError } from '../lib/error-reporting';
import { errorMessage, parseError } from '../lib/errors';

interface FallbackProps {
  error: unknown;
  onRetry: () => void;
}

/** Plain words and a "Try again" button; the technical detail stays in the console. */
export function ErrorFallback({ error, onRetry }: FallbackProps) {
  const { t } = useTranslation();
  const parsed = parseError(error);
  const detail = parsed.kind === 'unknown' ? t('errors.boundaryBody') : errorMessage(t, parsed);
  return (
    <section className="panel error-panel" role="alert" aria-labelledby="error-title">
      <h1 id="error-title" tabIndex={-1}>
        {t('errors.boundaryTitle')}
      </h1>
      <p>{detail}</p>
      <button type="button" className="button" onClick={onRetry}>
        {t('common.tryAgain')}
      </button>
    </section>
  );
}

/** Per-route error component: resets the route, its queries and reloads its data. */
export function RouteError({ error, reset }: ErrorComponentProps) {
  const router = useRouter();
  const queryReset = useQueryErrorResetBoundary();
  return (
    <ErrorFallback
      error={error}
      onRetry={() => {
        queryReset.reset();
        reset();
        void router.invalidate();
      }}
    />
  );
}

export function NotFound() {
  const { t } = useTranslation();
  return (
    <section className="panel">
      <h1 tabIndex={-1}>{t('errors.notFoundTitle')}</h1>
      <p>{t('errors.notFoundBody')}</p>
      <Link to="/">{t('errors.goHome')}</Link>
    </section>
  );
}

interface RootBoundaryState {
  error: unknown;
}

/** Outermost boundary, for anything that breaks outside the router (providers, the layout). */
export class RootErrorBoundary extends Component<{ children: ReactNode }, RootBoundaryState> {
  override state: RootBoundaryState = { error: null };

  static getDerivedStateFromError(error: unknown): RootBoundaryState {
    return { error };
  }

  override componentDidCatch(error: unknown, info: ErrorInfo) {
    console.error('Unhandled UI error', error, info.componentStack);
    reportError(error);
  }

  override render() {
    if (this.state.error === null) return this.props.children;
    return (
      <main id="main" className="site-main">
        <ErrorFallback error={this.state.error} onRetry={() => this.setState({ error: null })} />
      </main>
    );
  }
}
