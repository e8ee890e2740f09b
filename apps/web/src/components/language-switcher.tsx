import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Locale } from '@medora/schema';
import { LOCALES as locales } from '../lib/locales';
import { currentLocale, isLocale, setLocale } from '../i18n';
import { trpc } from '../lib/api';
import { authStore, useAuth } from '../lib/auth-store';
import { MenuButton, MenuItem } from './ui/menu';

/**
 * Language menu in the header. Changes the UI at once and remembers the choice on this device;
 * when signed in, also saves it to the profile.
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

  return (
    <div className="language-switcher">
      <MenuButton
        className="menu-button header-button"
        aria-label={`${t('language.label')}: ${t(`language.${locale}`)}`}
        label={
          <span lang={locale} className="language-switcher__current">
            {t(`language.${locale}`)}
          </span>
        }
        selectedKey={locale}
        onAction={(key) => void choose(key)}
      >
        {locales.map((l) => (
          <MenuItem key={l} id={l} lang={l} textValue={t(`language.${l}`)}>
            {t(`language.${l}`)}
          </MenuItem>
        ))}
      </MenuButton>
      <span role="status" className={saveFailed ? 'language-switcher__error' : 'visually-hidden'}>
        {saveFailed ? t('language.saveFailed') : ''}
      </span>
    </div>
  );
}
