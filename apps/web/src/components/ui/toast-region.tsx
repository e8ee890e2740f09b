import '../../lib/csp';
import { useTranslation } from 'react-i18next';
import type { ToastQueue } from 'react-stately/useToastState';
import {
  Button,
  Text,
  UNSTABLE_Toast as Toast,
  UNSTABLE_ToastContent as ToastContent,
  UNSTABLE_ToastRegion as AriaToastRegion,
} from 'react-aria-components';
import type { ToastMessage } from './toast';

/** The toasts' landmark, loaded by `Toasts` (./toast) with the first toast. */
export function ToastRegion({ queue }: { queue: ToastQueue<ToastMessage> }) {
  const { t } = useTranslation();
  return (
    <AriaToastRegion queue={queue} className="toasts" aria-label={t('a11y.notifications')}>
      {({ toast }) => (
        <Toast toast={toast} className={`toast toast--${toast.content.tone}`}>
          <ToastContent className="toast__content">
            <Text slot="title">{toast.content.text}</Text>
          </ToastContent>
          <Button slot="close" className="toast__close" aria-label={t('common.close')}>
            <span aria-hidden="true">×</span>
          </Button>
        </Toast>
      )}
    </AriaToastRegion>
  );
}
