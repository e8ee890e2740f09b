import '../../lib/csp';
import { useTranslation } from 'react-i18next';
import {
  Button,
  Text,
  UNSTABLE_Toast as Toast,
  UNSTABLE_ToastContent as ToastContent,
  UNSTABLE_ToastQueue as ToastQueue,
  UNSTABLE_ToastRegion as ToastRegion,
} from 'react-aria-components';

interface ToastMessage {
  text: string;
  tone: 'success' | 'error';
}

// One queue for the app; ToastRegion renders it as a landmark that screen readers announce.
const queue = new ToastQueue<ToastMessage>({ maxVisibleToasts: 3 });

/** Short confirmations after an action ("The session was ended"). Errors stay 10 s, others 6 s. */
export const toasts = {
  success: (text: string) => queue.add({ text, tone: 'success' }, { timeout: 6000 }),
  error: (text: string) => queue.add({ text, tone: 'error' }, { timeout: 10_000 }),
  clear: () => {
    for (const toast of queue.visibleToasts) queue.close(toast.key);
  },
};

export function Toasts() {
  const { t } = useTranslation();
  return (
    <ToastRegion queue={queue} className="toasts" aria-label={t('a11y.notifications')}>
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
    </ToastRegion>
  );
}
