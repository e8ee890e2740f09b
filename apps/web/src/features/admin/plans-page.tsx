import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AdminPlanOutput } from '@medora/schema';
import { SelectField, TextField } from '../../components/field';
import { FormStatus, SchemaFormView, SubmitButton } from '../../components/form';
import { QueryError } from '../../components/query-error';
import { usePageTitle } from '../../components/page-title';
import { Button } from '../../components/ui/button';
import { ConfirmDialog } from '../../components/ui/dialog';
import { currentLocale, htmlLang } from '../../i18n';
import { trpc } from '../../lib/api';
import { errorMessage, parseError } from '../../lib/errors';
import { formatUzs } from '../../lib/format';
import { useSchemaForm } from '../../lib/forms';
import { AdminNav } from './admin-nav';
import { fromPlan, GB, MB, mapPlanError, planFormSchema, toApi } from './plan-form';

type Editing = { kind: 'new' } | { kind: 'edit'; plan: AdminPlanOutput } | null;

/** Every plan (archived ones marked), and a form to create one or change one. */
export function AdminPlansPage() {
  const { t } = useTranslation();
  usePageTitle(t('admin.plans.title'));
  const locale = currentLocale();
  const queryClient = useQueryClient();
  const plans = useQuery(trpc.admin.plan.list.queryOptions());
  const [editing, setEditing] = useState<Editing>(null);
  const [message, setMessage] = useState<{ tone: 'success' | 'error'; text: string } | null>(null);
  const newButtonRef = useRef<HTMLButtonElement>(null);

  const refresh = () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: trpc.admin.plan.list.queryKey() }),
      queryClient.invalidateQueries({ queryKey: trpc.subscription.plans.queryKey() }),
    ]);
  const failed = (error: unknown) =>
    setMessage({ tone: 'error', text: errorMessage(t, parseError(error)) });
  const archive = useMutation(
    trpc.admin.plan.archive.mutationOptions({
      onSuccess: () => {
        setMessage({ tone: 'success', text: t('admin.plans.archived') });
        void refresh();
      },
      onError: failed,
    }),
  );
  const restore = useMutation(
    trpc.admin.plan.update.mutationOptions({
      onSuccess: () => {
        setMessage({ tone: 'success', text: t('admin.plans.restored') });
        void refresh();
      },
      onError: failed,
    }),
  );
  const number = new Intl.NumberFormat(htmlLang[locale]);
  const storage = (bytes: number) =>
    bytes >= GB
      ? t('admin.plans.gb', { value: number.format(Math.round((bytes / GB) * 10) / 10) })
      : t('admin.plans.mb', { value: number.format(Math.round(bytes / MB)) });
  const items = plans.data ?? [];

  return (
    <div className="stack">
      <section className="panel stack" aria-labelledby="admin-plans-title">
        <h1 id="admin-plans-title" tabIndex={-1}>
          {t('admin.plans.title')}
        </h1>
        <AdminNav />
        <div role="status" aria-live="polite" aria-atomic="true">
          {message && (
            <div className={`notice notice--${message.tone}`}>
              <p>{message.text}</p>
            </div>
          )}
        </div>
        {plans.isPending && !plans.isError && (
          <p role="status" className="muted">
            {t('a11y.loading')}
          </p>
        )}
        {plans.isError && (
          <QueryError
            error={plans.error}
            hasData={!!plans.data}
            onRetry={() => void plans.refetch()}
          />
        )}
        {items.length > 0 && (
          <div className="table-scroll">
            <table className="admin-table stack-table">
              <caption className="visually-hidden">{t('admin.plans.title')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('admin.plans.name')}</th>
                  <th scope="col">{t('admin.plans.price')}</th>
                  <th scope="col">{t('admin.plans.duration')}</th>
                  <th scope="col">{t('admin.plans.limit')}</th>
                  <th scope="col">{t('admin.plans.storage')}</th>
                  <th scope="col">{t('admin.plans.workspaces')}</th>
                  <th scope="col">
                    <span className="visually-hidden">{t('admin.plans.actions')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {items.map((plan) => {
                  const nameId = `plan-${plan.id}-name`;
                  return (
                    <tr key={plan.id} className={plan.active ? undefined : 'muted'}>
                      <th scope="row">
                        <span id={nameId}>{plan.names[locale]}</span>{' '}
                        <code className="muted">{plan.code}</code>
                        <span className="plan-badges">
                          {plan.isTrial && (
                            <span className="badge badge--trialing">{t('admin.plans.trial')}</span>
                          )}
                          {plan.active ? (
                            <span className="badge badge--active">{t('admin.plans.active')}</span>
                          ) : (
                            <span className="badge badge--expired">
                              {t('admin.plans.archivedBadge')}
                            </span>
                          )}
                        </span>
                      </th>
                      <td data-label={t('admin.plans.price')} className="nowrap">
                        {formatUzs(plan.priceTiyin, locale)}
                      </td>
                      <td data-label={t('admin.plans.duration')}>
                        {t('admin.plans.days', { count: plan.durationDays })}
                      </td>
                      <td data-label={t('admin.plans.limit')}>
                        {plan.maxAnalysesPerMonth === null
                          ? t('admin.plans.unlimited')
                          : number.format(plan.maxAnalysesPerMonth)}
                      </td>
                      <td data-label={t('admin.plans.storage')} className="nowrap">
                        {storage(plan.storageQuotaBytes)}
                      </td>
                      <td data-label={t('admin.plans.workspaces')}>{plan.workspaces}</td>
                      <td>
                        <span className="plan-actions">
                          <Button
                            className="button button--small"
                            aria-describedby={nameId}
                            onPress={() => {
                              setMessage(null);
                              setEditing({ kind: 'edit', plan });
                            }}
                          >
                            {t('admin.plans.edit')}
                          </Button>
                          {plan.active && !plan.isTrial && (
                            <ConfirmDialog
                              trigger={
                                <Button
                                  className="button button--small button--danger"
                                  aria-describedby={nameId}
                                  isDisabled={archive.isPending}
                                >
                                  {t('admin.plans.archive')}
                                </Button>
                              }
                              title={t('admin.plans.confirmArchive', {
                                name: plan.names[locale],
                              })}
                              confirmLabel={t('admin.plans.archive')}
                              cancelLabel={t('admin.cancel')}
                              onConfirm={() => {
                                setMessage(null);
                                archive.mutate({ id: plan.id });
                              }}
                            >
                              <p>{t('admin.plans.archiveBody')}</p>
                            </ConfirmDialog>
                          )}
                          {!plan.active && (
                            <Button
                              className="button button--small"
                              aria-describedby={nameId}
                              isDisabled={restore.isPending}
                              onPress={() => {
                                setMessage(null);
                                restore.mutate({ id: plan.id, active: true });
                              }}
                            >
                              {t('admin.plans.restore')}
                            </Button>
                          )}
                        </span>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
        {editing === null && (
          <p>
            <button
              ref={newButtonRef}
              type="button"
              className="button button--primary"
              onClick={() => {
                setMessage(null);
                setEditing({ kind: 'new' });
              }}
            >
              {t('admin.plans.new')}
            </button>
          </p>
        )}
      </section>
      {editing && (
        <PlanForm
          key={editing.kind === 'edit' ? editing.plan.id : 'new'}
          plan={editing.kind === 'edit' ? editing.plan : null}
          onClose={(text) => {
            setEditing(null);
            if (text) setMessage({ tone: 'success', text });
            requestAnimationFrame(() => newButtonRef.current?.focus());
          }}
          onSaved={() => void refresh()}
        />
      )}
    </div>
  );
}

function PlanForm({
  plan,
  onClose,
  onSaved,
}: {
  plan: AdminPlanOutput | null;
  onClose: (message: string | null) => void;
  onSaved: () => void;
}) {
  const { t } = useTranslation();
  const headingRef = useRef<HTMLHeadingElement>(null);
  const create = useMutation(trpc.admin.plan.create.mutationOptions());
  const update = useMutation(trpc.admin.plan.update.mutationOptions());
  const mutation = plan ? update : create;
  const form = useSchemaForm({
    schema: planFormSchema,
    defaultValues: fromPlan(plan),
    fields: {
      code: { id: 'plan-code', label: t('admin.plans.code') },
      names: { id: 'plan-name-uz', label: t('admin.plans.names') },
      'names.uz': { id: 'plan-name-uz', label: t('admin.plans.nameUz') },
      'names.ru': { id: 'plan-name-ru', label: t('admin.plans.nameRu') },
      'names.en': { id: 'plan-name-en', label: t('admin.plans.nameEn') },
      priceSum: { id: 'plan-price', label: t('admin.plans.priceSum') },
      durationDays: { id: 'plan-duration', label: t('admin.plans.durationDays') },
      unlimited: { id: 'plan-unlimited', label: t('admin.plans.unlimited') },
      limit: { id: 'plan-limit', label: t('admin.plans.limitPerMonth') },
      storageAmount: { id: 'plan-storage', label: t('admin.plans.storage') },
      storageUnit: { id: 'plan-storage-unit', label: t('admin.plans.storageUnit') },
      sortOrder: { id: 'plan-sort', label: t('admin.plans.sortOrder') },
    },
    mapError: mapPlanError,
    onSubmit: async (values) => {
      // The form sends every field: the revision keeps it from writing back what another
      // administrator saved meanwhile.
      if (plan)
        await update.mutateAsync({ id: plan.id, revision: plan.revision, ...toApi(values) });
      else await create.mutateAsync({ code: values.code, ...toApi(values) });
      onSaved();
      onClose(plan ? t('admin.plans.saved') : t('admin.plans.created'));
    },
  });

  useEffect(() => {
    headingRef.current?.focus();
  }, []);

  const unlimited = form.form.watch('unlimited');
  const num = (name: 'priceSum' | 'durationDays' | 'limit' | 'storageAmount' | 'sortOrder') => ({
    ...form.field(name),
    ...form.form.register(name, { valueAsNumber: true }),
    type: 'number',
    inputMode: 'decimal' as const,
  });

  return (
    <section className="panel" aria-labelledby="plan-form-title">
      <h2 id="plan-form-title" ref={headingRef} tabIndex={-1}>
        {plan ? t('admin.plans.editTitle', { code: plan.code }) : t('admin.plans.newTitle')}
      </h2>
      <SchemaFormView form={form}>
        <TextField
          {...form.field('code')}
          hint={t('admin.plans.codeHint')}
          readOnly={!!plan}
          autoComplete="off"
          spellCheck={false}
          required
        />
        <TextField {...form.field('names.uz')} required />
        <TextField {...form.field('names.ru')} required />
        <TextField {...form.field('names.en')} required />
        <TextField {...num('priceSum')} step="0.01" min={0} required />
        <TextField
          {...num('durationDays')}
          step={1}
          min={1}
          max={366}
          inputMode="numeric"
          required
        />
        <div className="field field--checkbox">
          <label htmlFor="plan-unlimited">
            <input id="plan-unlimited" type="checkbox" {...form.form.register('unlimited')} />{' '}
            {t('admin.plans.unlimitedAnalyses')}
          </label>
        </div>
        {!unlimited && <TextField {...num('limit')} step={1} min={0} inputMode="numeric" />}
        <div className="plan-storage">
          <TextField {...num('storageAmount')} step="0.1" min={0} required />
          <SelectField {...form.field('storageUnit')}>
            <option value="MB">{t('admin.plans.unitMb')}</option>
            <option value="GB">{t('admin.plans.unitGb')}</option>
          </SelectField>
        </div>
        <TextField {...num('sortOrder')} step={1} inputMode="numeric" required />
        <div className="form__actions">
          <SubmitButton
            mutation={mutation}
            label={plan ? t('common.save') : t('admin.plans.create')}
            busyLabel={t('common.saving')}
          />
          <button type="button" className="button" onClick={() => onClose(null)}>
            {t('admin.cancel')}
          </button>
        </div>
        <FormStatus mutation={mutation} message="" />
      </SchemaFormView>
    </section>
  );
}
