import { useMutation } from '@tanstack/react-query';
import { useRef, useState, type ComponentType } from 'react';
import { useTranslation } from 'react-i18next';
import type { Locale } from '@medora/schema';
import { currentLocale, isLocale, setLocale } from '../i18n';
import { trpc } from '../lib/api';
import { authStore, useAuth } from '../lib/auth-store';
import type { LanguageMenuProps } from './language-menu';

/**
 * Language menu in the header. Changes the UI at once and remembers the choice on this device;
 * when signed in, also saves it to the profile.
 *
 * The menu (React Aria: popover, arrow keys, type-ahead) is most of the header's code and few
 * visits open it, so the page starts with a stand-in button that looks and reads the same and
 * loads the menu on the first hover, focus or press; the menu then takes its place, keeping
 * focus, and opens if the stand-in was pressed meanwhile.
 */
export function LanguageSwitcher() {
  const { t } = useTranslation();
  const auth = useAuth();
  const [saveFailed, setSaveFailed] = useState(false);
  const update = useMutation(
    trpc.auth.updateProfile.mutationOptions({
      onSuccess: (user) => {
        authStore.setUser(user);
        setSaveFailed(false);
      },
      onError: () => setSaveFailed(true),
    }),
  );
  const locale = currentLocale();

  const choose = async (value: unknown) => {
    if (!isLocale(value)) return;
    const next: Locale = value;
    await setLocale(next);
    if (auth.status === 'signedIn' && auth.user?.locale !== next) update.mutate({ locale: next });
  };

  const label = `${t('language.label')}: ${t(`language.${locale}`)}`;
  return (
    <div className="language-switcher">
      <LazyLanguageMenu locale={locale} label={label} onChoose={(key) => void choose(key)} />
      <span role="status" className={saveFailed ? 'language-switcher__error' : 'visually-hidden'}>
        {saveFailed ? t('language.saveFailed') : ''}
      </span>
    </div>
  );
}

type Menu = ComponentType<LanguageMenuProps>;
let loadedMenu: Menu | null = null;
const loadMenu = (): Promise<Menu> =>
  import('./language-menu').then((m) => (loadedMenu = m.LanguageMenu));

function LazyLanguageMenu(props: Pick<LanguageMenuProps, 'locale' | 'label' | 'onChoose'>) {
  const [Menu, setMenu] = useState<Menu | null>(() => loadedMenu);
  // Kept as state, not read when the code arrives: a press or focus that lands after the
  // code has loaded but before React has swapped the menu in still reaches the menu.
  const [focused, setFocused] = useState(false);
  const [wantsOpen, setWantsOpen] = useState(false);
  const loading = useRef(false);

  if (Menu) return <Menu {...props} autoFocus={focused} defaultOpen={wantsOpen} />;

  const load = () => {
    if (loading.current) return;
    loading.current = true;
    loadMenu().then(
      (loaded) => setMenu(() => loaded),
      () => {
        // Offline before the shell was cached: the next hover or press tries again.
        loading.current = false;
      },
    );
  };
  const open = () => {
    setWantsOpen(true);
    load();
  };
  // The same element, classes and ARIA as React Aria's menu trigger renders.
  return (
    <button
      type="button"
      className="menu-button header-button"
      aria-label={props.label}
      aria-haspopup="true"
      aria-expanded="false"
      onPointerEnter={load}
      onFocus={() => {
        setFocused(true);
        load();
      }}
      onBlur={() => setFocused(false)}
      onClick={open}
      onKeyDown={(e) => {
        if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
          e.preventDefault();
          open();
        }
      }}
    >
      <LanguageLabel locale={props.locale} />
      <span aria-hidden="true" className="menu-button__chevron">
        ▾
      </span>
    </button>
  );
}

export function LanguageLabel({ locale }: { locale: Locale }) {
  const { t } = useTranslation();
  return (
    <span lang={locale} className="language-switcher__current">
      {t(`language.${locale}`)}
    </span>
  );
}
