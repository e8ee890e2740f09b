import type { Ref, TextareaHTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';
import type { FieldErrorCode } from '@medora/schema';
import { fieldErrorMessage } from '../../lib/errors';

type TextAreaFieldProps = Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, 'id'> & {
  id: string;
  label: string;
  hint?: string | undefined;
  errors?: readonly FieldErrorCode[] | undefined;
  ref?: Ref<HTMLTextAreaElement>;
};

/** A multi-line field laid out and wired like the shared TextField (label, hint, errors). */
export function TextAreaField({ id, label, hint, errors, ...textarea }: TextAreaFieldProps) {
  const { t } = useTranslation();
  const hasErrors = !!errors && errors.length > 0;
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = hasErrors ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ') || undefined;
  return (
    <div className={hasErrors ? 'field field--invalid' : 'field'}>
      <label htmlFor={id}>{label}</label>
      {hint && (
        <p id={hintId} className="field__hint">
          {hint}
        </p>
      )}
      {hasErrors && (
        <p id={errorId} className="field__error">
          {errors.map((code) => fieldErrorMessage(t, code)).join(' ')}
        </p>
      )}
      <textarea
        id={id}
        className="input patient-form__textarea"
        rows={3}
        {...textarea}
        aria-invalid={hasErrors}
        aria-describedby={describedBy}
      />
    </div>
  );
}
