import '../../lib/csp';
import { Button as AriaButton, type ButtonProps } from 'react-aria-components';

/** A button the UI kit's overlays can use as their trigger; styled with the app's classes. */
export function Button({ className, ...props }: ButtonProps & { className?: string }) {
  return <AriaButton className={className ?? 'button'} {...props} />;
}
