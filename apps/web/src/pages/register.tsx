import { useMutation } from '@tanstack/react-query';
import { Link, useNavigate, useSearch } from '@tanstack/react-router';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { locales, registerInput, type Locale } from '@medora/schema';
import { ErrorSummary } from '../components/error-summary';
import { PhoneField, SelectField, TextField } from '../components/field';
import { usePageTitle } from '../components/page-title';
import { currentLocale, isLocale, setLocale } from '../i18n';
import { trpc } from '../lib/api';
import { readDraft, useDraftPersistence } from '../lib/drafts';
import { useFormErrors, validate } from '../lib/forms';
import { signIn } from '../lib/session';
import { STORAGE_KEYS } from '../lib/storage';
import { safeRedirect } from '../lib/redirect';

type DraftFields = { phone: string; name: string; locale: string };
const DRAFT_FIELDS = ['phone', 'name', 'locale'] as const;

export function RegisterPage() {
  const { t, i18n } = useTranslation();
  usePageTitle(t('register.title'));
  const navigate = useNavigate();
  const search = useSearch({ from: '/register' });
  const [draft] = useState(() => readDraft<DraftFields>(STORAGE_KEYS.draftRegister, DRAFT_FIELDS));
  const [phone, setPhone] = useState(draft.phone ?? '');
  const [name, setName] = useState(draft.name ?? '');
  const [password, setPassword] = useState('');
  // The account's language follows the UI language (header switcher or this select).
  const locale: Locale = isLocale(i18n.language) ? i18n.language : currentLocale();
  const fields = {
    phone: { id: 'register-phone', label: t('fields.phone') },
    name: { id: 'register-name', label: t('fields.name') },
    password: { id: 'register-password', label: t('fields.password') },
    locale: { id: 'register-locale', label: t('fields.locale') },
  };
  const errors = useFormErrors(fields);
  // Never the password.
  const clearDraft = useDraftPersistence(STORAGE_KEYS.draftRegister, { phone, name, locale });

  const register = useMutation(trpc.auth.register.mutationOptions());

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    const checked = validate(registerInput, { phone, name, password, locale });
    if (!checked.ok) return errors.fail(checked.fieldErrors);
    errors.reset();
    try {
      const auth = await register.mutateAsync(checked.data);
      clearDraft();
      await signIn(auth);
      await navigate({ href: safeRedirect(search.redirect) ?? '/', replace: true });
    } catch (error) {
      errors.failWith(error);
    }
  };

  return (
    <section className="panel panel--narrow" aria-labelledby="register-title">
      <h1 id="register-title" tabIndex={-1}>
        {t('register.title')}
      </h1>
      <p>{t('register.intro')}</p>
      <ErrorSummary {...errors.summary} />
      <form noValidate onSubmit={(e) => void onSubmit(e)} className="form">
        <PhoneField
          {...errors.field('phone')}
          autoComplete="tel"
          value={phone}
          onChange={(e) => setPhone(e.target.value)}
          required
        />
        <TextField
          {...errors.field('name')}
          autoComplete="name"
          value={name}
          onChange={(e) => setName(e.target.value)}
          required
        />
        <TextField
          {...errors.field('password')}
          hint={t('hints.newPassword')}
          type="password"
          autoComplete="new-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          required
        />
        <SelectField
          {...errors.field('locale')}
          value={locale}
          onChange={(e) => {
            if (isLocale(e.target.value)) void setLocale(e.target.value);
          }}
        >
          {locales.map((l) => (
            <option key={l} value={l} lang={l}>
              {t(`language.${l}`)}
            </option>
          ))}
        </SelectField>
        <p className="form__note">{t('register.draftNote')}</p>
        <button type="submit" className="button button--primary" disabled={register.isPending}>
          {register.isPending ? t('register.submitting') : t('register.submit')}
        </button>
      </form>
      <p className="panel__footer">
        {t('register.haveAccount')}{' '}
        <Link to="/login" search={search.redirect ? { redirect: search.redirect } : {}}>
          {t('nav.login')}
        </Link>
      </p>
    </section>
  );
}
