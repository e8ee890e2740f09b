import '../../lib/csp';
import type { ReactNode } from 'react';
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
  return (
    <MenuTrigger {...(defaultOpen ? { defaultOpen } : {})}>
      <Button
        className={className ?? 'menu-button'}
        aria-label={aria['aria-label']}
        {...(autoFocus ? { autoFocus } : {})}
      >
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
