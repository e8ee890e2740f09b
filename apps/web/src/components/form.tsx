import type { FormHTMLAttributes, ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { SchemaForm } from '../lib/forms';
import { ErrorSummary } from './error-summary';

type SchemaFormViewProps = Omit<FormHTMLAttributes<HTMLFormElement>, 'onSubmit'> & {
  form: Pick<SchemaForm, 'summary' | 'onSubmit'>;
  children: ReactNode;
  /** Headings or text above the summary, inside the form. */
  before?: ReactNode;
};

/** A form with its error summary first, wired to `useSchemaForm`. */
export function SchemaFormView({
  form,
  children,
  before,
  className,
  ...rest
}: SchemaFormViewProps) {
  return (
    <form noValidate onSubmit={form.onSubmit} className={className ?? 'form'} {...rest}>
      {before}
      <ErrorSummary {...form.summary} />
      {children}
    </form>
  );
}

interface MutationState {
  isPending: boolean;
  /** Paused by TanStack Query while offline: it is sent when the connection is back. */
  isPaused: boolean;
}

interface SubmitProps {
  mutation: MutationState;
  label: string;
  busyLabel: string;
}

/**
 * The submit button and the form's live status. While a change waits offline it says so at once
 * (and stays disabled) instead of an endless "Saving…".
 */
export function SubmitButton({ mutation, label, busyLabel }: SubmitProps) {
  const { t } = useTranslation();
  const queued = mutation.isPending && mutation.isPaused;
  return (
    <button type="submit" className="button button--primary" disabled={mutation.isPending}>
      {queued ? t('network.queued') : mutation.isPending ? busyLabel : label}
    </button>
  );
}

/** A polite live region under a form: the queued notice while paused, else `message`. */
export function FormStatus({ mutation, message }: { mutation: MutationState; message: string }) {
  const { t } = useTranslation();
  const queued = mutation.isPending && mutation.isPaused;
  return (
    <p role="status" className={queued ? 'form__status form__status--queued' : 'form__status'}>
      {queued ? t('network.queued') : message}
    </p>
  );
}
