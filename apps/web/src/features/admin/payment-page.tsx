import '../../lib/csp';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useParams } from '@tanstack/react-router';
import { useEffect, useState } from 'react';
import { Dialog, DialogTrigger, Heading, Modal, ModalOverlay } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { adminPaymentRejectInput, type AdminPaymentOutput } from '@medora/schema';
import { TextAreaField } from '../../components/field';
import { SchemaFormView, SubmitButton } from '../../components/form';
import { QueryError } from '../../components/query-error';
import { usePageTitle } from '../../components/page-title';
import { Button } from '../../components/ui/button';
import { ConfirmDialog } from '../../components/ui/dialog';
import { currentLocale } from '../../i18n';
import { trpc } from '../../lib/api';
import { errorMessage, parseError } from '../../lib/errors';
import { formatDate, formatDateTime, formatUzs } from '../../lib/format';
import { useSchemaForm } from '../../lib/forms';
import { fileClient } from '../patients/file-client';
import { FileRequestError } from '../patients/upload';
import { formatPhone } from '../patients/format';
import { AdminNav } from './admin-nav';
import { badgeOf } from './payments-page';

interface Outcome {
  tone: 'success' | 'error';
  text: string;
}

/** One payment: who sent it, for what, the receipt shown inline, and approve / reject. */
export function AdminPaymentPage() {
  const { t } = useTranslation();
  const { paymentId } = useParams({ from: '/_protected/admin/payments/$paymentId' });
  const locale = currentLocale();
  const queryClient = useQueryClient();
  const payment = useQuery(trpc.admin.payment.get.queryOptions({ id: paymentId }));
  usePageTitle(t('admin.payment.title'));
  const [outcome, setOutcome] = useState<Outcome | null>(null);

  const refresh = () =>
    Promise.all([
      queryClient.invalidateQueries({
        queryKey: trpc.admin.payment.get.queryKey({ id: paymentId }),
      }),
      queryClient.invalidateQueries({ queryKey: trpc.admin.payment.list.pathKey() }),
      queryClient.invalidateQueries({ queryKey: trpc.admin.stats.overview.queryKey() }),
    ]);

  const failed = (error: unknown) => {
    const parsed = parseError(error);
    setOutcome({
      tone: 'error',
      text:
        parsed.appCode === 'PAYMENT_NOT_PENDING'
          ? t('admin.payment.notPending')
          : errorMessage(t, parsed),
    });
    // Someone else may have reviewed it: show what it is now.
    void refresh();
  };

  const approve = useMutation(
    trpc.admin.payment.approve.mutationOptions({
      onSuccess: (data) => {
        setOutcome({
          tone: 'success',
          text: data.periodEndAfter
            ? t('admin.payment.approvedUntil', { date: formatDate(data.periodEndAfter, locale) })
            : t('admin.payment.approved'),
        });
        void refresh();
      },
      onError: failed,
    }),
  );

  const p = payment.data;
  const pending = p?.status === 'pending';
  return (
    <section className="panel stack" aria-labelledby="admin-payment-title">
      <h1 id="admin-payment-title" tabIndex={-1}>
        {t('admin.payment.title')}
      </h1>
      <AdminNav />
      <p>
        <Link to="/admin/payments">{t('admin.payment.back')}</Link>
      </p>
      {payment.isPending && !payment.isError && (
        <p role="status" className="muted">
          {t('a11y.loading')}
        </p>
      )}
      {payment.isError && (
        <QueryError error={payment.error} hasData={!!p} onRetry={() => void payment.refetch()} />
      )}
      {/* One region for every review outcome, so each is announced once. */}
      <div role="status" aria-live="polite" aria-atomic="true">
        {outcome && (
          <div className={`notice notice--${outcome.tone}`}>
            <p>{outcome.text}</p>
          </div>
        )}
      </div>
      {p && (
        <>
          <PaymentFacts payment={p} />
          {pending ? (
            <div className="review-actions">
              <ConfirmDialog
                trigger={
                  <Button className="button button--primary" isDisabled={approve.isPending}>
                    {approve.isPending ? t('admin.payment.approving') : t('admin.payment.approve')}
                  </Button>
                }
                title={t('admin.payment.confirmApprove')}
                confirmLabel={t('admin.payment.approve')}
                cancelLabel={t('admin.cancel')}
                onConfirm={() => {
                  setOutcome(null);
                  approve.mutate({ id: p.id });
                }}
              >
                <p>
                  {t('admin.payment.approveBody', {
                    plan: p.plan.names[locale],
                    amount: formatUzs(p.amountTiyin, locale),
                    workspace: p.workspace.name,
                  })}
                </p>
              </ConfirmDialog>
              <RejectDialog
                paymentId={p.id}
                onDone={(text) => {
                  setOutcome({ tone: 'success', text });
                  void refresh();
                }}
                onFailed={failed}
                onOpen={() => setOutcome(null)}
              />
            </div>
          ) : (
            <p className="muted">{t('admin.payment.reviewed')}</p>
          )}
          {/* Keyed: another receipt starts from a clean state. */}
          <ReceiptPreview key={p.receipt?.url ?? 'none'} receipt={p.receipt} />
          {p.history.length > 0 && <History items={p.history} />}
        </>
      )}
    </section>
  );
}

function PaymentFacts({ payment: p }: { payment: AdminPaymentOutput }) {
  const { t } = useTranslation();
  const locale = currentLocale();
  return (
    <dl className="admin-details">
      <dt>{t('admin.payments.status')}</dt>
      <dd>
        <span className={`badge badge--${badgeOf(p.status)}`}>
          {t(`admin.paymentStatus.${p.status}`)}
        </span>
      </dd>
      <dt>{t('admin.payments.doctor')}</dt>
      <dd>{p.submittedBy ? `${p.submittedBy.name}, ${formatPhone(p.submittedBy.phone)}` : '—'}</dd>
      <dt>{t('admin.payments.workspace')}</dt>
      <dd>
        {p.workspace.name} · {t(`admin.subscription.${p.workspace.status}`)}
        {p.workspace.endsAt &&
          ` · ${t('admin.payment.until', { date: formatDate(p.workspace.endsAt, locale) })}`}
      </dd>
      <dt>{t('admin.payments.plan')}</dt>
      <dd>{p.plan.names[locale]}</dd>
      <dt>{t('admin.payments.amount')}</dt>
      <dd>{formatUzs(p.amountTiyin, locale)}</dd>
      <dt>{t('admin.payments.submitted')}</dt>
      <dd>{formatDateTime(p.createdAt, locale)}</dd>
      <dt>{t('admin.payment.note')}</dt>
      <dd>{p.note ?? '—'}</dd>
      {p.reviewedAt && (
        <>
          <dt>{t('admin.payment.reviewedBy')}</dt>
          <dd>
            {p.reviewedBy?.name ?? '—'}, {formatDateTime(p.reviewedAt, locale)}
          </dd>
        </>
      )}
      {p.rejectionReason && (
        <>
          <dt>{t('admin.payment.reason')}</dt>
          <dd>{p.rejectionReason}</dd>
        </>
      )}
      {p.periodEndAfter && (
        <>
          <dt>{t('admin.payment.periodEndAfter')}</dt>
          <dd>{formatDate(p.periodEndAfter, locale)}</dd>
        </>
      )}
    </dl>
  );
}

/**
 * The receipt's bytes fetched with the admin's bearer token (an <img> or <iframe> cannot send
 * the header) into a blob: URL that is revoked when the page leaves it.
 */
function ReceiptPreview({ receipt }: { receipt: AdminPaymentOutput['receipt'] }) {
  const { t } = useTranslation();
  const [url, setUrl] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const receiptUrl = receipt?.url;
  const receiptMime = receipt?.mime;
  useEffect(() => {
    if (!receiptUrl || !receiptMime) return;
    const controller = new AbortController();
    let objectUrl: string | null = null;
    fileClient.downloadFrom(receiptUrl, receiptMime, controller.signal).then(
      (blob) => {
        objectUrl = URL.createObjectURL(blob);
        setUrl(objectUrl);
      },
      (caught: unknown) => {
        if (controller.signal.aborted) return;
        const parsed = caught instanceof FileRequestError ? caught.parsed : parseError(caught);
        setError(errorMessage(t, parsed));
      },
    );
    return () => {
      controller.abort();
      if (objectUrl) URL.revokeObjectURL(objectUrl);
    };
  }, [receiptUrl, receiptMime, t]);

  return (
    <section aria-labelledby="receipt-title" className="receipt-preview">
      <h2 id="receipt-title">{t('admin.payment.receipt')}</h2>
      {!receipt ? (
        <p>{t('admin.payment.noReceipt')}</p>
      ) : error ? (
        <p className="notice notice--error">{error}</p>
      ) : !url ? (
        <p className="muted">{t('admin.payment.receiptLoading')}</p>
      ) : receipt.mime === 'application/pdf' ? (
        <>
          <iframe className="receipt-preview__frame" src={url} title={receipt.name} />
          <p>
            <a href={url} download={receipt.name}>
              {t('admin.payment.download', { name: receipt.name })}
            </a>
          </p>
        </>
      ) : (
        <img
          className="receipt-preview__image"
          src={url}
          alt={t('admin.payment.receiptAlt', { name: receipt.name })}
        />
      )}
    </section>
  );
}

/** Rejection needs a reason the doctor will read: a modal form, Escape closes, focus returns. */
function RejectDialog({
  paymentId,
  onDone,
  onFailed,
  onOpen,
}: {
  paymentId: string;
  onDone: (text: string) => void;
  onFailed: (error: unknown) => void;
  onOpen: () => void;
}) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const reject = useMutation(trpc.admin.payment.reject.mutationOptions());
  const form = useSchemaForm({
    schema: adminPaymentRejectInput.omit({ id: true }),
    defaultValues: { reason: '' },
    fields: { reason: { id: 'reject-reason', label: t('admin.payment.reason') } },
    onSubmit: async (values) => {
      try {
        await reject.mutateAsync({ id: paymentId, ...values });
      } catch (error) {
        // "Already reviewed" is the page's news, not this form's.
        if (parseError(error).appCode === 'PAYMENT_NOT_PENDING') {
          setOpen(false);
          onFailed(error);
          return;
        }
        throw error;
      }
      setOpen(false);
      form.form.reset({ reason: '' });
      onDone(t('admin.payment.rejected'));
    },
  });
  return (
    <DialogTrigger
      isOpen={open}
      onOpenChange={(next) => {
        if (next) onOpen();
        setOpen(next);
      }}
    >
      <Button className="button button--danger">{t('admin.payment.reject')}</Button>
      <ModalOverlay className="modal-overlay" isDismissable>
        <Modal className="modal">
          <Dialog className="dialog">
            <Heading slot="title" className="dialog__title">
              {t('admin.payment.rejectTitle')}
            </Heading>
            <SchemaFormView form={form}>
              <TextAreaField
                {...form.field('reason')}
                hint={t('admin.payment.reasonHint')}
                maxLength={500}
                autoFocus
                required
              />
              <div className="dialog__actions">
                <Button className="button" onPress={() => setOpen(false)}>
                  {t('admin.cancel')}
                </Button>
                <SubmitButton
                  mutation={reject}
                  label={t('admin.payment.reject')}
                  busyLabel={t('admin.payment.rejecting')}
                />
              </div>
            </SchemaFormView>
          </Dialog>
        </Modal>
      </ModalOverlay>
    </DialogTrigger>
  );
}

function History({ items }: { items: AdminPaymentOutput['history'] }) {
  const { t } = useTranslation();
  const locale = currentLocale();
  return (
    <section aria-labelledby="payment-history-title">
      <h2 id="payment-history-title">{t('admin.payment.history')}</h2>
      <div className="table-scroll">
        <table className="admin-table">
          <caption className="visually-hidden">{t('admin.payment.history')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('admin.payments.submitted')}</th>
              <th scope="col">{t('admin.payments.plan')}</th>
              <th scope="col">{t('admin.payments.amount')}</th>
              <th scope="col">{t('admin.payments.status')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((h) => (
              <tr key={h.id}>
                <th scope="row">
                  <Link to="/admin/payments/$paymentId" params={{ paymentId: h.id }}>
                    {formatDateTime(h.createdAt, locale)}
                  </Link>
                </th>
                <td>{h.plan.names[locale]}</td>
                <td className="nowrap">{formatUzs(h.amountTiyin, locale)}</td>
                <td>
                  {t(`admin.paymentStatus.${h.status}`)}
                  {h.rejectionReason && ` — ${h.rejectionReason}`}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
