import { useTranslation } from 'react-i18next';
import { useConnectivity } from '../lib/connectivity';

/** Always rendered (role="status" is a live region); has text only while offline. */
export function OfflineBanner() {
  const { t } = useTranslation();
  const { browserOnline, apiReachable } = useConnectivity();
  const message = !browserOnline ? t('offline.browser') : !apiReachable ? t('offline.server') : '';
  return (
    <div
      role="status"
      className={message ? 'offline-banner' : 'offline-banner offline-banner--hidden'}
    >
      {message}
    </div>
  );
}
