import { lazy, Suspense, useState, useSyncExternalStore } from 'react';
import { ToastQueue } from 'react-stately/useToastState';

export interface ToastMessage {
  text: string;
  tone: 'success' | 'error';
}

// One queue for the app; the region (./toast-region) renders it as a landmark that screen readers
// announce. The queue is plain state; the region's React Aria code is loaded with the first toast.
export const queue = new ToastQueue<ToastMessage>({ maxVisibleToasts: 3 });

/** Short confirmations after an action ("The session was ended"). Errors stay 10 s, others 6 s. */
export const toasts = {
  success: (text: string) => queue.add({ text, tone: 'success' }, { timeout: 6000 }),
  error: (text: string) => queue.add({ text, tone: 'error' }, { timeout: 10_000 }),
  clear: () => {
    for (const toast of queue.visibleToasts) queue.close(toast.key);
  },
};

const ToastRegion = lazy(() => import('./toast-region').then((m) => ({ default: m.ToastRegion })));

const subscribe = (onChange: () => void) => queue.subscribe(onChange);
const anyToast = () => queue.visibleToasts.length > 0;

/**
 * React Aria's region renders nothing while the queue is empty, so until the first toast there
 * is nothing to load; once loaded it stays mounted (and empty between toasts) as before.
 */
export function Toasts() {
  const needed = useSyncExternalStore(subscribe, anyToast, () => false);
  const [mounted, setMounted] = useState(false);
  if (needed && !mounted) setMounted(true);
  if (!mounted) return null;
  return (
    <Suspense fallback={null}>
      <ToastRegion queue={queue} />
    </Suspense>
  );
}
