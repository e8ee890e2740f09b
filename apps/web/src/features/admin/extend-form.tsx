import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { adminWorkspaceExtendInput } from '@medora/schema';
import { TextAreaField, TextField } from '../../components/field';
import { FormStatus, SchemaFormView, SubmitButton } from '../../components/form';
import { currentLocale } from '../../i18n';
import { trpc } from '../../lib/api';
import { formatDate } from '../../lib/format';
import { useSchemaForm } from '../../lib/forms';

/** Gives a workspace days by hand (a goodwill extension, a bank transfer outside the app). */
export function ExtendForm({ workspaceId, userId }: { workspaceId: string; userId: string }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [done, setDone] = useState<string>('');
  const extend = useMutation(trpc.admin.workspace.extend.mutationOptions());
  const form = useSchemaForm({
    // The workspace is this page's, not a field.
    schema: adminWorkspaceExtendInput.omit({ id: true }),
    defaultValues: { days: 30, reason: '' },
    fields: {
      days: { id: 'extend-days', label: t('admin.extend.days') },
      reason: { id: 'extend-reason', label: t('admin.extend.reason') },
    },
    onSubmit: async (values) => {
      setDone('');
      const result = await extend.mutateAsync({ id: workspaceId, ...values });
      form.form.reset({ days: 30, reason: '' });
      setDone(
        t('admin.extend.done', {
          count: values.days,
          date: formatDate(result.endsAt, currentLocale()),
        }),
      );
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: trpc.admin.user.get.queryKey({ id: userId }) }),
        queryClient.invalidateQueries({ queryKey: trpc.admin.user.list.pathKey() }),
      ]);
    },
  });
  return (
    <section className="panel" aria-labelledby="extend-title">
      <h2 id="extend-title">{t('admin.extend.title')}</h2>
      <SchemaFormView form={form}>
        <TextField
          {...form.field('days')}
          {...form.form.register('days', { valueAsNumber: true })}
          type="number"
          inputMode="numeric"
          min={1}
          max={366}
          step={1}
          hint={t('admin.extend.daysHint')}
          required
        />
        <TextAreaField
          {...form.field('reason')}
          hint={t('admin.extend.reasonHint')}
          maxLength={500}
          required
        />
        <SubmitButton
          mutation={extend}
          label={t('admin.extend.submit')}
          busyLabel={t('common.saving')}
        />
        <FormStatus mutation={extend} message={done} />
      </SchemaFormView>
    </section>
  );
}
