import { useTranslation } from 'react-i18next';
import { errorMessage, parseError } from '../lib/errors';

interface QueryErrorProps {
  error: unknown;
  /** Saved data is still on screen: say so instead of replacing it. */
  hasData: boolean;
  onRetry: () => void;
}

/** An inline error for a query, with "Try again". */
export function QueryError({ error, hasData, onRetry }: QueryErrorProps) {
  const { t } = useTranslation();
  const message = errorMessage(t, parseError(error));
  return (
    <div className={hasData ? 'notice notice--info' : 'notice notice--error'} role="alert">
      <p>{hasData ? `${message} ${t('common.savedData')}` : message}</p>
      <button type="button" className="button" onClick={onRetry}>
        {t('common.tryAgain')}
      </button>
    </div>
  );
}
