import { useMutation } from '@tanstack/react-query';
import { Link, useNavigate, useSearch } from '@tanstack/react-router';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { locales, registerInput } from '@medora/schema';
import { PasswordField, PhoneField, SelectField, TextField } from '../../components/field';
import { SchemaFormView, SubmitButton } from '../../components/form';
import { usePageTitle } from '../../components/page-title';
import { currentLocale, isLocale, setLocale } from '../../i18n';
import { trpc } from '../../lib/api';
import { isOwnDevice } from '../../lib/device-trust';
import { readDraft, useDraftPersistence } from '../../lib/drafts';
import { useSchemaForm } from '../../lib/forms';
import { safeRedirect } from '../../lib/redirect';
import { signIn } from '../../lib/session';
import { STORAGE_KEYS } from '../../lib/storage';
import { OwnDeviceField } from './own-device-field';

type DraftFields = { phone: string; name: string };
const DRAFT_FIELDS = ['phone', 'name'] as const;

export function RegisterPage() {
  const { t, i18n } = useTranslation();
  usePageTitle(t('register.title'));
  const navigate = useNavigate();
  const search = useSearch({ from: '/register' });
  const [draft] = useState(() => readDraft<DraftFields>(STORAGE_KEYS.draftRegister, DRAFT_FIELDS));
  const register = useMutation(trpc.auth.register.mutationOptions());
  // Registering signs in: the same question as on the sign-in page, off unless answered yes.
  const [ownDevice, setOwnDevice] = useState(isOwnDevice);
  const form = useSchemaForm({
    schema: registerInput,
    defaultValues: {
      phone: draft.phone ?? '',
      name: draft.name ?? '',
      password: '',
      locale: currentLocale(),
    },
    fields: {
      phone: { id: 'register-phone', label: t('fields.phone') },
      name: { id: 'register-name', label: t('fields.name') },
      password: { id: 'register-password', label: t('fields.password') },
      locale: { id: 'register-locale', label: t('fields.locale') },
    },
    onSubmit: async (values) => {
      const auth = await register.mutateAsync(values);
      clearDraft();
      await signIn(auth, { ownDevice });
      await navigate({ href: safeRedirect(search.redirect) ?? '/', replace: true });
    },
  });
  const [phone, name] = form.form.watch(['phone', 'name']);
  // Never the password.
  const clearDraft = useDraftPersistence(STORAGE_KEYS.draftRegister, { phone, name });
  const localeField = form.field('locale');

  // The account's language follows the header's language menu too.
  const uiLocale = isLocale(i18n.language) ? i18n.language : currentLocale();
  const { setValue } = form.form;
  useEffect(() => {
    setValue('locale', uiLocale);
  }, [setValue, uiLocale]);

  return (
    <section className="panel panel--narrow" aria-labelledby="register-title">
      <h1 id="register-title" tabIndex={-1}>
        {t('register.title')}
      </h1>
      <p>{t('register.intro')}</p>
      <SchemaFormView form={form}>
        <PhoneField {...form.field('phone')} autoComplete="tel" required />
        <TextField {...form.field('name')} autoComplete="name" required />
        <PasswordField
          {...form.field('password')}
          hint={t('hints.newPassword')}
          autoComplete="new-password"
          required
        />
        <SelectField
          {...localeField}
          // Drawn selected in the HTML too (the prerendered page, React's first render);
          // react-hook-form sets the same value once mounted.
          defaultValue={uiLocale}
          onChange={(e) => {
            void localeField.onChange(e);
            // The account's language is the interface language: switch at once.
            if (isLocale(e.target.value)) void setLocale(e.target.value);
          }}
        >
          {locales.map((l) => (
            <option key={l} value={l} lang={l}>
              {t(`language.${l}`)}
            </option>
          ))}
        </SelectField>
        <OwnDeviceField checked={ownDevice} onChange={setOwnDevice} />
        <p className="form__note">{t('register.draftNote')}</p>
        <SubmitButton
          mutation={register}
          label={t('register.submit')}
          busyLabel={t('register.submitting')}
        />
      </SchemaFormView>
      <p className="panel__footer">
        {t('register.haveAccount')}{' '}
        <Link to="/login" search={search.redirect ? { redirect: search.redirect } : {}}>
          {t('nav.login')}
        </Link>
      </p>
    </section>
  );
}
