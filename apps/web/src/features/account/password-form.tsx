import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { changePasswordInput } from '@medora/schema';
import { PasswordField } from '../../components/field';
import { FormStatus, SchemaFormView, SubmitButton } from '../../components/form';
import { trpc } from '../../lib/api';
import { useSchemaForm } from '../../lib/forms';

export function PasswordForm({ phone }: { phone: string }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [done, setDone] = useState(false);
  const change = useMutation(trpc.auth.changePassword.mutationOptions());
  const form = useSchemaForm({
    schema: changePasswordInput,
    defaultValues: { currentPassword: '', newPassword: '' },
    fields: {
      currentPassword: { id: 'password-current', label: t('fields.currentPassword') },
      newPassword: { id: 'password-new', label: t('fields.newPassword') },
    },
    onSubmit: async (values) => {
      setDone(false);
      await change.mutateAsync(values);
      form.form.reset();
      setDone(true);
      await queryClient.invalidateQueries({ queryKey: trpc.auth.sessions.list.queryKey() });
    },
    // A wrong current password belongs next to that field.
    mapError: (parsed) =>
      parsed.appCode === 'PASSWORD_INCORRECT' && !parsed.fieldErrors.currentPassword
        ? {
            ...parsed,
            fieldErrors: { ...parsed.fieldErrors, currentPassword: ['password.incorrect'] },
          }
        : parsed,
  });

  return (
    <section className="panel" aria-labelledby="password-title">
      <h2 id="password-title">{t('profile.passwordTitle')}</h2>
      <SchemaFormView form={form}>
        {/* Lets password managers file the new password under the right account. */}
        <input type="text" name="username" autoComplete="username" value={phone} readOnly hidden />
        <PasswordField
          {...form.field('currentPassword')}
          autoComplete="current-password"
          required
        />
        <PasswordField
          {...form.field('newPassword')}
          hint={t('hints.newPassword')}
          autoComplete="new-password"
          required
        />
        <SubmitButton
          mutation={change}
          label={t('profile.passwordSubmit')}
          busyLabel={t('common.saving')}
        />
        <FormStatus mutation={change} message={done ? t('profile.passwordChanged') : ''} />
      </SchemaFormView>
    </section>
  );
}
