import { useMutation } from '@tanstack/react-query';
import { Link, useNavigate, useSearch } from '@tanstack/react-router';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AuthOutput, loginInput, SecondFactorOutput } from '@medora/schema';
import { PasswordField, PhoneField } from '../../components/field';
import { SchemaFormView, SubmitButton } from '../../components/form';
import { usePageTitle } from '../../components/page-title';
import { trpc } from '../../lib/api';
import { isOwnDevice } from '../../lib/device-trust';
import { authStore } from '../../lib/auth-store';
import { errorMessage } from '../../lib/errors';
import { useSchemaForm, type LazySchema } from '../../lib/forms';
import { safeRedirect } from '../../lib/redirect';
import { signIn } from '../../lib/session';
import { OwnDeviceField } from './own-device-field';
import type * as SecondFactor from './second-factor';
import { SignedOutNotice } from './signed-out-notice';

// Few accounts have a second factor: its step (and the React Aria code it uses) is loaded only
// when the server asks for it, before the step is shown, while the submit button still says busy.
// The sign-in page is the first page most visits open: zod and the phone metadata (a third of its
// code) are loaded when the form is first focused or submitted, not before it is drawn.
const loginSchema: LazySchema<typeof loginInput> = {
  load: () => import('@medora/schema').then((m) => m.loginInput),
};

type SecondFactorModule = typeof SecondFactor;
let secondFactorModule: SecondFactorModule | null = null;
const loadSecondFactor = async () => (secondFactorModule ??= await import('./second-factor'));

export function LoginPage() {
  const { t } = useTranslation();
  usePageTitle(t('login.title'));
  const navigate = useNavigate();
  const search = useSearch({ from: '/login' });
  const login = useMutation(trpc.auth.login.mutationOptions());
  // Why the last session ended, said once: kept for this visit, forgotten in the store.
  const [signedOutReason] = useState(authStore.getSignedOutReason);
  useEffect(() => authStore.clearSignedOutReason(), []);
  // Starts as answered last time on this browser; off when never answered.
  const [ownDevice, setOwnDevice] = useState(isOwnDevice);
  // An administrator's right password leads to a second step (a code, or the set-up first).
  const [second, setSecond] = useState<SecondFactorOutput | null>(null);
  const finish = async (auth: AuthOutput) => {
    await signIn(auth, { ownDevice });
    await navigate({ href: safeRedirect(search.redirect) ?? '/', replace: true });
  };
  const form = useSchemaForm({
    schema: loginSchema,
    defaultValues: { phone: '', password: '' },
    fields: {
      phone: { id: 'login-phone', label: t('fields.phone') },
      password: { id: 'login-password', label: t('fields.password') },
    },
    onSubmit: async (values) => {
      const answer = await login.mutateAsync(values);
      if ('secondFactor' in answer) {
        await loadSecondFactor();
        setSecond(answer);
      } else await finish(answer);
    },
    // Warn before the lock-out: the server says how many tries remain once only a few do.
    describeError: (tr, parsed) => {
      const message = errorMessage(tr, parsed);
      return parsed.attemptsRemaining === null
        ? message
        : `${message} ${tr('login.attemptsRemaining', { count: parsed.attemptsRemaining })}`;
    },
  });

  return (
    <section className="panel panel--narrow" aria-labelledby="login-title">
      <h1 id="login-title" tabIndex={-1}>
        {t('login.title')}
      </h1>
      <SignedOutNotice reason={signedOutReason} />
      {second && secondFactorModule ? (
        <secondFactorModule.SecondFactorStep
          key={second.challenge}
          kind={second.secondFactor}
          challenge={second.challenge}
          onSignedIn={finish}
          onRestart={() => {
            setSecond(null);
            login.reset();
          }}
        />
      ) : (
        <>
          <SchemaFormView form={form} onFocus={() => void loginSchema.load()}>
            <PhoneField {...form.field('phone')} autoComplete="username" required />
            <PasswordField {...form.field('password')} autoComplete="current-password" required />
            <OwnDeviceField checked={ownDevice} onChange={setOwnDevice} />
            <SubmitButton
              mutation={login}
              label={t('login.submit')}
              busyLabel={t('login.submitting')}
            />
          </SchemaFormView>
          <p className="panel__footer">
            {t('login.noAccount')}{' '}
            <Link to="/register" search={search.redirect ? { redirect: search.redirect } : {}}>
              {t('nav.register')}
            </Link>
          </p>
        </>
      )}
    </section>
  );
}
