import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { filePolicies, submitReceiptInput, type PlanOutput } from '@medora/schema';
import { TextAreaField } from '../../components/field';
import { FormStatus, SchemaFormView, SubmitButton } from '../../components/form';
import { currentLocale } from '../../i18n';
import { trpc } from '../../lib/api';
import { errorMessage, parseError, type ParsedError } from '../../lib/errors';
import { formatUzs } from '../../lib/format';
import { useSchemaForm } from '../../lib/forms';
import { fileClient } from '../patients/file-client';
import { FileRequestError } from '../patients/upload';
import { formatQuota } from './format';
import { invalidateSubscription } from './queries';

const POLICY = filePolicies.receipt;
const ACCEPT = [...POLICY.mimes, '.jpg', '.jpeg', '.png', '.pdf'].join(',');

// The shared input, with "choose one" instead of "invalid id" while nothing is chosen yet.
const chosen = <T extends z.ZodType<unknown, string>>(schema: T) =>
  z.string({ message: 'required' }).min(1, { message: 'required' }).pipe(schema);
const payFormSchema = submitReceiptInput.extend({
  planId: chosen(submitReceiptInput.shape.planId),
  receiptFileId: chosen(submitReceiptInput.shape.receiptFileId),
});

interface Receipt {
  file: File;
  /** A blob: URL of the chosen image, for the thumbnail; null for a PDF. */
  previewUrl: string | null;
  progress: number;
  status: 'uploading' | 'done' | 'failed';
  error: ParsedError | null;
}

function describeReceiptError(t: Parameters<typeof errorMessage>[0], parsed: ParsedError) {
  if (parsed.appCode === 'PAYLOAD_TOO_LARGE') return t('subscription.receiptTooLarge');
  if (parsed.appCode === 'FILE_TYPE_NOT_ALLOWED' || parsed.appCode === 'FILE_TYPE_MISMATCH')
    return t('subscription.receiptType');
  return errorMessage(t, parsed);
}

/**
 * Plan choice, the receipt (uploaded as soon as it is chosen, with progress, then previewed) and a
 * note; sending makes a pending payment. The receipt's file id is the form's hidden value.
 */
export function PayForm({
  plans,
  currentPlanId,
  onSent,
}: {
  plans: PlanOutput[];
  currentPlanId: string;
  onSent: () => void;
}) {
  const { t } = useTranslation();
  const locale = currentLocale();
  const queryClient = useQueryClient();
  const submit = useMutation(trpc.payment.submitReceipt.mutationOptions());
  const [receipt, setReceipt] = useState<Receipt | null>(null);
  const [announcement, setAnnouncement] = useState('');
  const ids = useId();
  const fileInputRef = useRef<HTMLInputElement>(null);
  const defaultPlan = plans.find((p) => p.id === currentPlanId)?.id ?? plans[0]?.id ?? '';

  const form = useSchemaForm({
    schema: payFormSchema,
    defaultValues: { planId: defaultPlan, receiptFileId: '', note: '' },
    fields: {
      planId: { id: 'pay-plan', label: t('subscription.choosePlan') },
      receiptFileId: { id: 'pay-receipt', label: t('subscription.receipt') },
      note: { id: 'pay-note', label: t('subscription.note') },
    },
    onSubmit: async (values) => {
      try {
        await submit.mutateAsync(values);
      } catch (error) {
        // Someone (another tab) sent one meanwhile: show it instead of the form.
        if (parseError(error).appCode === 'PAYMENT_PENDING_EXISTS')
          void invalidateSubscription(queryClient);
        throw error;
      }
      await invalidateSubscription(queryClient);
      onSent();
    },
    describeError: (tt, parsed) =>
      parsed.fieldErrors.receiptFileId
        ? describeReceiptError(tt, parsed)
        : errorMessage(tt, parsed),
  });

  // The thumbnail's blob: URL lives as long as this receipt is chosen.
  const previewUrl = receipt?.previewUrl;
  useEffect(() => {
    return () => {
      if (previewUrl) URL.revokeObjectURL(previewUrl);
    };
  }, [previewUrl]);

  const choose = async (file: File | undefined) => {
    form.form.setValue('receiptFileId', '');
    if (!file) {
      setReceipt(null);
      return;
    }
    const isImage = file.type === 'image/png' || file.type === 'image/jpeg';
    const row: Receipt = {
      file,
      previewUrl: isImage ? URL.createObjectURL(file) : null,
      progress: 0,
      status: 'uploading',
      error: null,
    };
    setReceipt(row);
    setAnnouncement(t('subscription.receiptUploading', { name: file.name }));
    try {
      const uploaded = await fileClient.upload({
        file,
        purpose: 'receipt',
        onProgress: (progress) =>
          setReceipt((r) => (r && r.file === file ? { ...r, progress } : r)),
      });
      setReceipt((r) => (r && r.file === file ? { ...r, status: 'done', progress: 1 } : r));
      form.form.setValue('receiptFileId', uploaded.id);
      form.form.clearErrors('receiptFileId');
      setAnnouncement(t('subscription.receiptUploaded', { name: file.name }));
    } catch (error) {
      const parsed = error instanceof FileRequestError ? error.parsed : parseError(error);
      setReceipt((r) => (r && r.file === file ? { ...r, status: 'failed', error: parsed } : r));
      setAnnouncement(describeReceiptError(t, parsed));
    }
  };

  const planField = form.field('planId');
  const receiptErrors = form.summary.fieldErrors.receiptFileId;
  const percent = Math.round((receipt?.progress ?? 0) * 100);
  const hintId = `${ids}-hint`;
  const statusId = `${ids}-status`;

  return (
    <SchemaFormView form={form}>
      <fieldset className="plan-cards">
        <legend>{t('subscription.choosePlan')}</legend>
        {planField.errors && (
          <p className="field__error" id={`${ids}-plan-error`}>
            {t('subscription.choosePlanError')}
          </p>
        )}
        <div className="plan-cards__list">
          {plans.map((plan, index) => {
            const inputId = index === 0 ? planField.id : `pay-plan-${plan.id}`;
            const detailsId = `${ids}-plan-${plan.id}`;
            return (
              <label key={plan.id} className="plan-card" htmlFor={inputId}>
                <input
                  type="radio"
                  id={inputId}
                  value={plan.id}
                  aria-describedby={detailsId}
                  {...form.form.register('planId')}
                />
                <span className="plan-card__name">{plan.names[locale]}</span>
                <span className="plan-card__price">{formatUzs(plan.priceTiyin, locale)}</span>
                <span id={detailsId} className="plan-card__details">
                  <span>{t('subscription.planDays', { count: plan.durationDays })}</span>
                  <span>
                    {plan.maxAnalysesPerMonth === null
                      ? t('subscription.planUnlimited')
                      : t('subscription.planLimit', { count: plan.maxAnalysesPerMonth })}
                  </span>
                  <span>
                    {t('subscription.planStorage', {
                      size: formatQuota(t, plan.storageQuotaBytes, locale),
                    })}
                  </span>
                </span>
              </label>
            );
          })}
        </div>
      </fieldset>

      <input type="hidden" {...form.form.register('receiptFileId')} />
      <div
        className={receiptErrors || receipt?.error ? 'field field--invalid' : 'field'}
        data-testid="receipt-field"
      >
        <label htmlFor="pay-receipt" id={`${ids}-receipt-label`}>
          {t('subscription.receipt')}
        </label>
        <p id={hintId} className="field__hint">
          {t('subscription.receiptHint')}
        </p>
        {receiptErrors && !receipt?.error && (
          <p className="field__error" id={`${ids}-receipt-error`}>
            {receipt?.status === 'uploading'
              ? t('subscription.receiptWait')
              : t('subscription.receiptRequired')}
          </p>
        )}
        {/* A button in the page's language opens the browser's picker (a native file input
            would say "Choose File" in the browser's language); its name is the field's label
            and the action. */}
        <button
          id="pay-receipt"
          type="button"
          className="button receipt__choose"
          aria-labelledby={`${ids}-receipt-label pay-receipt`}
          aria-describedby={[
            hintId,
            receipt ? statusId : '',
            receiptErrors ? `${ids}-receipt-error` : '',
          ]
            .filter(Boolean)
            .join(' ')}
          aria-invalid={!!receiptErrors || !!receipt?.error}
          onClick={() => fileInputRef.current?.click()}
        >
          {receipt ? t('subscription.receiptChange') : t('subscription.receiptChoose')}
        </button>
        <input
          ref={fileInputRef}
          type="file"
          accept={ACCEPT}
          hidden
          aria-hidden="true"
          tabIndex={-1}
          onChange={(e) => {
            const file = e.target.files?.[0];
            // The same file may be chosen again after a failure.
            e.target.value = '';
            void choose(file);
          }}
        />
        {receipt && (
          <div className={`receipt receipt--${receipt.status}`}>
            {receipt.previewUrl ? (
              <img
                className="receipt__thumb"
                src={receipt.previewUrl}
                alt={t('subscription.receiptPreviewAlt', { name: receipt.file.name })}
              />
            ) : (
              <span className="receipt__icon" aria-hidden="true">
                PDF
              </span>
            )}
            <div className="receipt__info">
              <span className="receipt__name">{receipt.file.name}</span>
              <span id={statusId} className={receipt.error ? 'field__error' : 'muted'}>
                {receipt.status === 'uploading'
                  ? t('subscription.receiptUploading', { name: receipt.file.name })
                  : receipt.status === 'done'
                    ? t('subscription.receiptUploaded', { name: receipt.file.name })
                    : describeReceiptError(t, receipt.error!)}
              </span>
              {receipt.status !== 'failed' && (
                <progress
                  max={100}
                  value={percent}
                  aria-label={t('subscription.receiptProgress', { name: receipt.file.name })}
                />
              )}
            </div>
          </div>
        )}
      </div>
      <p role="status" className="visually-hidden">
        {announcement}
      </p>

      <TextAreaField {...form.field('note')} hint={t('subscription.noteHint')} maxLength={500} />

      <SubmitButton
        mutation={submit}
        label={t('subscription.send')}
        busyLabel={t('subscription.sending')}
      />
      <FormStatus mutation={submit} message="" />
    </SchemaFormView>
  );
}
