import { useMutation } from '@tanstack/react-query';
import { Link, useNavigate, useSearch } from '@tanstack/react-router';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { loginInput } from '@medora/schema';
import { ErrorSummary } from '../components/error-summary';
import { PhoneField, TextField } from '../components/field';
import { usePageTitle } from '../components/page-title';
import { trpc } from '../lib/api';
import { useFormErrors, validate } from '../lib/forms';
import { safeRedirect } from '../lib/redirect';
import { signIn } from '../lib/session';

export function LoginPage() {
  const { t } = useTranslation();
  usePageTitle(t('login.title'));
  const navigate = useNavigate();
  const search = useSearch({ from: '/login' });
  const [phone, setPhone] = useState('');
  const [password, setPassword] = useState('');
  const fields = {
    phone: { id: 'login-phone', label: t('fields.phone') },
    password: { id: 'login-password', label: t('fields.password') },
  };
  const errors = useFormErrors(fields);
  const login = useMutation(trpc.auth.login.mutationOptions());

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    const checked = validate(loginInput, { phone, password });
    if (!checked.ok) return errors.fail(checked.fieldErrors);
    errors.reset();
    try {
      const auth = await login.mutateAsync(checked.data);
      setPassword('');
      await signIn(auth);
      await navigate({ href: safeRedirect(search.redirect) ?? '/', replace: true });
    } catch (error) {
      errors.failWith(error);
    }
  };

  return (
    <section className="panel panel--narrow" aria-labelledby="login-title">
      <h1 id="login-title" tabIndex={-1}>
        {t('login.title')}
      </h1>
      <ErrorSummary {...errors.summary} />
      <form noValidate onSubmit={(e) => void onSubmit(e)} className="form">
        <PhoneField
          {...errors.field('phone')}
          autoComplete="username"
          value={phone}
          onChange={(e) => setPhone(e.target.value)}
          required
        />
        <TextField
          {...errors.field('password')}
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          required
        />
        <button type="submit" className="button button--primary" disabled={login.isPending}>
          {login.isPending ? t('login.submitting') : t('login.submit')}
        </button>
      </form>
      <p className="panel__footer">
        {t('login.noAccount')}{' '}
        <Link to="/register" search={search.redirect ? { redirect: search.redirect } : {}}>
          {t('nav.register')}
        </Link>
      </p>
    </section>
  );
}
