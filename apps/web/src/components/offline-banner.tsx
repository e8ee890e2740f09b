import { useTranslation } from 'react-i18next';
import { canSeeProtected, useAuth } from '../lib/auth-store';
import { useConnectivityProblem } from '../lib/connectivity';

/**
 * Names why MedoraAI cannot talk to its server: the browser is offline, or it is online and the
 * server does not answer. Only a signed-in doctor is told that saved data is shown (a signed-out
 * page has none). Always rendered (role="status" is a live region, so the change is announced);
 * it has text only while there is a problem.
 */
export function OfflineBanner() {
  const { t } = useTranslation();
  const problem = useConnectivityProblem();
  const saved = canSeeProtected(useAuth());
  const message =
    problem === 'offline'
      ? t(saved ? 'network.offlineSaved' : 'network.offline')
      : problem === 'unreachable'
        ? t(saved ? 'network.unreachableSaved' : 'network.unreachable')
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
