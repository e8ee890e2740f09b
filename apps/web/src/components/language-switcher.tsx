import { useMutation } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Locale } from '@medora/schema';
import { LOCALES as locales } from '../lib/locales';
import { currentLocale, isLocale, setLocale } from '../i18n';
import { trpc } from '../lib/api';
import { authStore, useAuth } from '../lib/auth-store';

/**
 * Language select in the header. Changes the UI at once and remembers the choice on this device;
 * when signed in, also saves it to the profile.
 */
export function LanguageSwitcher() {
  const { t } = useTranslation();
  const id = useId();
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

  const onChange = async (value: string) => {
    if (!isLocale(value)) return;
    const locale: Locale = value;
    await setLocale(locale);
    if (auth.status === 'signedIn' && auth.user?.locale !== locale) update.mutate({ locale });
  };

  return (
    <div className="language-switcher">
      <label htmlFor={id}>{t('language.label')}</label>
      <select id={id} value={currentLocale()} onChange={(e) => void onChange(e.target.value)}>
        {locales.map((l) => (
          <option key={l} value={l} lang={l}>
            {t(`language.${l}`)}
          </option>
        ))}
      </select>
      <span role="status" className={saveFailed ? 'language-switcher__error' : 'visually-hidden'}>
        {saveFailed ? t('language.saveFailed') : ''}
      </span>
    </div>
  );
}
