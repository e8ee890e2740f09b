import { useTranslation } from 'react-i18next';
import { useConnectivityProblem } from '../lib/connectivity';

/**
 * Names why MedoraAI cannot talk to its server: the browser is offline, or it is online and the
 * server does not answer. Always rendered (role="status" is a live region, so the change is
 * announced); it has text only while there is a problem.
 */
export function OfflineBanner() {
  const { t } = useTranslation();
  const problem = useConnectivityProblem();
  const message =
    problem === 'offline'
      ? t('network.offline')
      : problem === 'unreachable'
        ? t('network.unreachable')
        : '';
  return (
    <div
      role="status"
      className={message ? 'offline-banner' : 'offline-banner offline-banner--hidden'}
      data-problem={problem ?? undefined}
    >
      {message}
    </div>
  );
}
