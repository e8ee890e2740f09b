import '../../lib/csp';
import { useEffect, useLayoutEffect, useRef, useState, type ReactNode } from 'react';
import {
  Button,
  Menu as AriaMenu,
  MenuItem as AriaMenuItem,
  MenuTrigger,
  Popover,
  type Key,
  type MenuItemProps,
} from 'react-aria-components';

interface MenuButtonProps {
  /** The button's content; its accessible name comes from `aria-label` when given. */
  label: ReactNode;
  'aria-label'?: string;
  className?: string;
  children: ReactNode;
  /** One choice among the items (e.g. the language), announced as checked. */
  selectedKey?: Key;
  onAction: (key: Key) => void;
  /** Focus the button when it mounts (it took the place of a focused stand-in). */
  autoFocus?: boolean;
  /** Open the menu when it mounts (a stand-in was pressed while this code was loading). */
  defaultOpen?: boolean;
}

/** A button that opens a menu (arrow keys, type-ahead, Escape), positioned under it. */
export function MenuButton({
  label,
  className,
  children,
  selectedKey,
  onAction,
  autoFocus,
  defaultOpen,
  ...aria
}: MenuButtonProps) {
  // Focus moves to the button in the same commit that mounts it (React Aria's own autoFocus
  // waits for a passive effect, and a key pressed in between would reach the page's body).
  const button = useRef<HTMLButtonElement>(null);
  const focusAtMount = useRef(autoFocus || defaultOpen);
  useLayoutEffect(() => {
    if (focusAtMount.current) button.current?.focus({ preventScroll: true });
  }, []);
  // Pressed while this code was loading: opened once the button has focus, not at mount, so
  // the menu's focus scope remembers the button and gives focus back to it on Escape (opened
  // at mount it would remember the page's body, the stand-in being gone).
  const [isOpen, setOpen] = useState(false);
  const openAtMount = useRef(defaultOpen);
  useEffect(() => {
    if (!openAtMount.current) return;
    const frame = requestAnimationFrame(() => setOpen(true));
    return () => cancelAnimationFrame(frame);
  }, []);
  return (
    <MenuTrigger isOpen={isOpen} onOpenChange={setOpen}>
      <Button className={className ?? 'menu-button'} aria-label={aria['aria-label']} ref={button}>
        {label}
        <span aria-hidden="true" className="menu-button__chevron">
          ▾
        </span>
      </Button>
      <Popover className="popover" placement="bottom end">
        <AriaMenu
          className="menu"
          onAction={onAction}
          {...(selectedKey !== undefined
            ? { selectionMode: 'single' as const, selectedKeys: [selectedKey] }
            : {})}
        >
          {children}
        </AriaMenu>
      </Popover>
    </MenuTrigger>
  );
}

export function MenuItem(props: MenuItemProps & { children: ReactNode }) {
  return <AriaMenuItem className="menu__item" {...props} />;
}
