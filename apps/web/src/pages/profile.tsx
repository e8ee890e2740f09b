import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import {
  changePasswordInput,
  locales,
  maskPhone,
  updateProfileInput,
  type Locale,
  type SessionOutput,
} from '@medora/schema';
import { ErrorSummary } from '../components/error-summary';
import { SelectField, TextField } from '../components/field';
import { QueryError } from '../components/query-error';
import { usePageTitle } from '../components/page-title';
import { currentLocale, isLocale, setLocale } from '../i18n';
import { trpc } from '../lib/api';
import { authStore, useAuth } from '../lib/auth-store';
import { readDraft, useDraftPersistence } from '../lib/drafts';
import { errorMessage, parseError } from '../lib/errors';
import { describeUserAgent, formatDateTime } from '../lib/format';
import { useFormErrors, validate } from '../lib/forms';
import { STORAGE_KEYS } from '../lib/storage';

export function ProfilePage() {
  const { t } = useTranslation();
  usePageTitle(t('profile.title'));
  const auth = useAuth();
  const me = useQuery(trpc.auth.me.queryOptions());
  const user = me.data?.user ?? auth.user;

  return (
    <div className="stack">
      <section className="panel" aria-labelledby="profile-title">
        <h1 id="profile-title" tabIndex={-1}>
          {t('profile.title')}
        </h1>
        {user && <p className="muted">{t('profile.phone', { phone: maskPhone(user.phone) })}</p>}
        {me.isError && (
          <QueryError error={me.error} hasData={!!me.data} onRetry={() => void me.refetch()} />
        )}
        {user ? (
          <PersonalForm key={user.id} initialName={user.name} initialLocale={user.locale} />
        ) : (
          me.isPending && <p role="status">{t('a11y.loading')}</p>
        )}
      </section>
      <PasswordForm phone={user?.phone ?? ''} />
      <SessionsPanel />
    </div>
  );
}

function PersonalForm({
  initialName,
  initialLocale,
}: {
  initialName: string;
  initialLocale: Locale;
}) {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const [name, setName] = useState(
    () => readDraft<{ name: string }>(STORAGE_KEYS.draftProfile, ['name']).name ?? initialName,
  );
  const uiLocale = isLocale(i18n.language) ? i18n.language : initialLocale;
  const [locale, setLocaleValue] = useState<Locale>(uiLocale);
  // The header switcher changes (and saves) the language too: follow it.
  const [followedLocale, setFollowedLocale] = useState(uiLocale);
  if (followedLocale !== uiLocale) {
    setFollowedLocale(uiLocale);
    setLocaleValue(uiLocale);
  }
  const [saved, setSaved] = useState(false);
  const fields = {
    name: { id: 'profile-name', label: t('fields.name') },
    locale: { id: 'profile-locale', label: t('fields.locale') },
  };
  const errors = useFormErrors(fields);
  const clearDraft = useDraftPersistence(
    STORAGE_KEYS.draftProfile,
    name === initialName ? {} : { name },
  );
  const update = useMutation(trpc.auth.updateProfile.mutationOptions());

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setSaved(false);
    const checked = validate(updateProfileInput, { name, locale });
    if (!checked.ok) return errors.fail(checked.fieldErrors);
    errors.reset();
    try {
      const user = await update.mutateAsync(checked.data);
      clearDraft();
      authStore.setUser(user);
      setName(user.name);
      setSaved(true);
      if (user.locale !== currentLocale()) await setLocale(user.locale);
      await queryClient.invalidateQueries({ queryKey: trpc.auth.me.queryKey() });
    } catch (error) {
      errors.failWith(error);
    }
  };

  return (
    <form
      noValidate
      onSubmit={(e) => void onSubmit(e)}
      className="form"
      aria-labelledby="personal-title"
    >
      <h2 id="personal-title">{t('profile.personalTitle')}</h2>
      <ErrorSummary {...errors.summary} />
      <TextField
        {...errors.field('name')}
        autoComplete="name"
        value={name}
        onChange={(e) => {
          setName(e.target.value);
          setSaved(false);
        }}
        required
      />
      <SelectField
        {...errors.field('locale')}
        value={locale}
        onChange={(e) => {
          if (isLocale(e.target.value)) setLocaleValue(e.target.value);
          setSaved(false);
        }}
      >
        {locales.map((l) => (
          <option key={l} value={l} lang={l}>
            {t(`language.${l}`)}
          </option>
        ))}
      </SelectField>
      <button type="submit" className="button button--primary" disabled={update.isPending}>
        {update.isPending ? t('common.saving') : t('profile.personalSubmit')}
      </button>
      <p role="status" className="form__status">
        {saved ? t('profile.personalSaved') : ''}
      </p>
    </form>
  );
}

function PasswordForm({ phone }: { phone: string }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [currentPassword, setCurrentPassword] = useState('');
  const [newPassword, setNewPassword] = useState('');
  const [done, setDone] = useState(false);
  const fields = {
    currentPassword: { id: 'password-current', label: t('fields.currentPassword') },
    newPassword: { id: 'password-new', label: t('fields.newPassword') },
  };
  const errors = useFormErrors(fields);
  const change = useMutation(trpc.auth.changePassword.mutationOptions());

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setDone(false);
    const checked = validate(changePasswordInput, { currentPassword, newPassword });
    if (!checked.ok) return errors.fail(checked.fieldErrors);
    errors.reset();
    try {
      await change.mutateAsync(checked.data);
      setCurrentPassword('');
      setNewPassword('');
      setDone(true);
      await queryClient.invalidateQueries({ queryKey: trpc.auth.sessions.list.queryKey() });
    } catch (error) {
      const parsed = parseError(error);
      // A wrong current password belongs next to that field.
      if (parsed.appCode === 'PASSWORD_INCORRECT' && !parsed.fieldErrors.currentPassword) {
        errors.fail({ ...parsed.fieldErrors, currentPassword: ['password.incorrect'] });
      } else {
        errors.failWith(error);
      }
    }
  };

  return (
    <section className="panel" aria-labelledby="password-title">
      <h2 id="password-title">{t('profile.passwordTitle')}</h2>
      <ErrorSummary {...errors.summary} />
      <form noValidate onSubmit={(e) => void onSubmit(e)} className="form">
        {/* Lets password managers file the new password under the right account. */}
        <input type="text" name="username" autoComplete="username" value={phone} readOnly hidden />
        <TextField
          {...errors.field('currentPassword')}
          type="password"
          autoComplete="current-password"
          value={currentPassword}
          onChange={(e) => setCurrentPassword(e.target.value)}
          required
        />
        <TextField
          {...errors.field('newPassword')}
          hint={t('hints.newPassword')}
          type="password"
          autoComplete="new-password"
          value={newPassword}
          onChange={(e) => setNewPassword(e.target.value)}
          required
        />
        <button type="submit" className="button button--primary" disabled={change.isPending}>
          {change.isPending ? t('common.saving') : t('profile.passwordSubmit')}
        </button>
        <p role="status" className="form__status">
          {done ? t('profile.passwordChanged') : ''}
        </p>
      </form>
    </section>
  );
}

function useDeviceName() {
  const { t } = useTranslation();
  return (session: SessionOutput) => {
    const { browser, os } = describeUserAgent(session.userAgent);
    if (browser && os) return t('profile.deviceOn', { browser, os });
    return browser ?? os ?? t('profile.unknownDevice');
  };
}

function SessionsPanel() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const sessions = useQuery(trpc.auth.sessions.list.queryOptions());
  const deviceName = useDeviceName();
  // Kept as data, not text, so it follows a language switch.
  const [result, setResult] = useState<
    { ok: true; session: SessionOutput } | { ok: false; error: unknown } | null
  >(null);
  const revoke = useMutation(trpc.auth.sessions.revoke.mutationOptions());
  const locale = currentLocale();

  const onRevoke = async (session: SessionOutput) => {
    setResult(null);
    try {
      await revoke.mutateAsync({ id: session.id });
      setResult({ ok: true, session });
      await queryClient.invalidateQueries({ queryKey: trpc.auth.sessions.list.queryKey() });
    } catch (error) {
      setResult({ ok: false, error });
    }
  };

  const list = sessions.data ?? [];
  const others = list.filter((s) => !s.current);

  return (
    <section className="panel" aria-labelledby="sessions-title">
      <h2 id="sessions-title">{t('profile.sessionsTitle')}</h2>
      <p className="muted">{t('profile.sessionsIntro')}</p>
      <p
        role="status"
        aria-live="polite"
        className={
          result
            ? result.ok
              ? 'notice notice--success'
              : 'notice notice--error'
            : 'visually-hidden'
        }
      >
        {result === null
          ? ''
          : result.ok
            ? t('profile.revoked', { device: deviceName(result.session) })
            : errorMessage(t, parseError(result.error))}
      </p>
      {sessions.isError && (
        <QueryError
          error={sessions.error}
          hasData={!!sessions.data}
          onRetry={() => void sessions.refetch()}
        />
      )}
      {sessions.isPending && !sessions.isError && <p role="status">{t('a11y.loading')}</p>}
      {list.length > 0 && (
        <ul className="sessions">
          {list.map((session) => (
            <li
              key={session.id}
              className={session.current ? 'session session--current' : 'session'}
            >
              <div className="session__head">
                <strong id={`session-${session.id}-device`} title={session.userAgent ?? undefined}>
                  {deviceName(session)}
                </strong>
                {session.current && (
                  <span className="badge badge--active">{t('profile.thisDevice')}</span>
                )}
              </div>
              <dl className="session__facts">
                <div>
                  <dt>{t('profile.ip')}</dt>
                  <dd>{session.ip ?? t('profile.unknown')}</dd>
                </div>
                <div>
                  <dt>{t('profile.started')}</dt>
                  <dd>{formatDateTime(session.startedAt, locale)}</dd>
                </div>
                <div>
                  <dt>{t('profile.lastUsed')}</dt>
                  <dd>{formatDateTime(session.lastUsedAt, locale)}</dd>
                </div>
              </dl>
              {!session.current && (
                <button
                  type="button"
                  className="button button--danger"
                  onClick={() => void onRevoke(session)}
                  disabled={revoke.isPending && revoke.variables?.id === session.id}
                  aria-describedby={`session-${session.id}-device`}
                >
                  {revoke.isPending && revoke.variables?.id === session.id
                    ? t('profile.revoking')
                    : t('profile.revoke')}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {sessions.isSuccess && others.length === 0 && <p>{t('profile.noSessions')}</p>}
    </section>
  );
}
