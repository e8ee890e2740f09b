import { useTranslation } from 'react-i18next';
import type { SignedOutReason } from '@medora/schema';

/**
 * Why this browser was signed out (session ended elsewhere, password changed, …). Signing out
 * on purpose needs no explanation, and nor does a first visit.
 */
export function SignedOutNotice({ reason }: { reason: SignedOutReason | null }) {
  const { t } = useTranslation();
  const text = reason && reason !== 'logout' ? t(`signedOut.${reason}`) : '';
  return (
    <div role="status" className={text ? 'notice notice--warning' : 'visually-hidden'}>
      {text && <p>{text}</p>}
    </div>
  );
}
