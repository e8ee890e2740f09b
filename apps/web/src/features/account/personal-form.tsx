import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { locales, updateProfileInput, type Locale } from '@medora/schema';
import { SelectField, TextField } from '../../components/field';
import { FormStatus, SchemaFormView, SubmitButton } from '../../components/form';
import { currentLocale, isLocale, setLocale } from '../../i18n';
import { trpc } from '../../lib/api';
import { authStore } from '../../lib/auth-store';
import { readDraft, useDraftPersistence } from '../../lib/drafts';
import { useSchemaForm } from '../../lib/forms';
import { STORAGE_KEYS } from '../../lib/storage';

export function PersonalForm({
  initialName,
  initialLocale,
  initialEmail,
}: {
  initialName: string;
  initialLocale: Locale;
  initialEmail: string | null;
}) {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const [saved, setSaved] = useState(false);
  const update = useMutation(trpc.auth.updateProfile.mutationOptions());
  const uiLocale = isLocale(i18n.language) ? i18n.language : initialLocale;
  const form = useSchemaForm({
    schema: updateProfileInput,
    defaultValues: {
      name: readDraft<{ name: string }>(STORAGE_KEYS.draftProfile, ['name']).name ?? initialName,
      locale: uiLocale,
      email: initialEmail ?? '',
    },
    fields: {
      name: { id: 'profile-name', label: t('fields.name') },
      locale: { id: 'profile-locale', label: t('fields.locale') },
      email: { id: 'profile-email', label: t('fields.email') },
    },
    onSubmit: async (values) => {
      setSaved(false);
      // While offline this waits (paused) and is sent when the connection is back.
      const user = await update.mutateAsync(values);
      clearDraft();
      authStore.setUser(user);
      form.form.reset({ name: user.name, locale: user.locale, email: user.email ?? '' });
      setSaved(true);
      if (user.locale !== currentLocale()) await setLocale(user.locale);
      await queryClient.invalidateQueries({ queryKey: trpc.auth.me.queryKey() });
    },
  });
  const name = form.form.watch('name') ?? '';
  const clearDraft = useDraftPersistence(
    STORAGE_KEYS.draftProfile,
    name === initialName ? {} : { name },
  );

  // The header's language menu changes (and saves) the language too: follow it.
  const { setValue } = form.form;
  useEffect(() => {
    setValue('locale', uiLocale);
  }, [setValue, uiLocale]);

  const nameField = form.field('name');
  const localeField = form.field('locale');
  const emailField = form.field('email');
  return (
    <SchemaFormView
      form={form}
      aria-labelledby="personal-title"
      before={<h2 id="personal-title">{t('profile.personalTitle')}</h2>}
    >
      <TextField
        {...nameField}
        onChange={(e) => {
          setSaved(false);
          void nameField.onChange(e);
        }}
        autoComplete="name"
        required
      />
      <TextField
        {...emailField}
        onChange={(e) => {
          setSaved(false);
          void emailField.onChange(e);
        }}
        type="email"
        hint={t('profile.emailHint')}
        autoComplete="email"
        inputMode="email"
        spellCheck={false}
      />
      <SelectField
        {...localeField}
        onChange={(e) => {
          setSaved(false);
          void localeField.onChange(e);
        }}
      >
        {locales.map((l) => (
          <option key={l} value={l} lang={l}>
            {t(`language.${l}`)}
          </option>
        ))}
      </SelectField>
      <SubmitButton
        mutation={update}
        label={t('profile.personalSubmit')}
        busyLabel={t('common.saving')}
      />
      <FormStatus mutation={update} message={saved ? t('profile.personalSaved') : ''} />
    </SchemaFormView>
  );
}
