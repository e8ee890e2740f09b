import type { Locale } from '@medora/schema';
import { useTranslation } from 'react-i18next';
import { LOCALES as locales } from '../lib/locales';
import { LanguageLabel } from './language-switcher';
import { MenuButton, MenuItem } from './ui/menu';

export interface LanguageMenuProps {
  locale: Locale;
  label: string;
  onChoose: (value: unknown) => void;
  autoFocus: boolean;
  defaultOpen: boolean;
}

/** The language switcher's React Aria menu, loaded on the first hover, focus or press. */
export function LanguageMenu({
  locale,
  label,
  onChoose,
  autoFocus,
  defaultOpen,
}: LanguageMenuProps) {
  const { t } = useTranslation();
  return (
    <MenuButton
      className="menu-button header-button"
      aria-label={label}
      label={<LanguageLabel locale={locale} />}
      selectedKey={locale}
      onAction={onChoose}
      autoFocus={autoFocus}
      defaultOpen={defaultOpen}
    >
      {locales.map((l) => (
        <MenuItem key={l} id={l} lang={l} textValue={t(`language.${l}`)}>
          {t(`language.${l}`)}
        </MenuItem>
      ))}
    </MenuButton>
  );
}
