import type { InputHTMLAttributes, ReactNode, SelectHTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';
import type { FieldErrorCode } from '@medora/schema';
import { fieldErrorMessage } from '../lib/errors';

interface FieldShellProps {
  id: string;
  label: string;
  hint?: string | undefined;
  errors?: readonly FieldErrorCode[] | undefined;
  children: (a11y: {
    'aria-invalid': boolean;
    'aria-describedby': string | undefined;
  }) => ReactNode;
}

/** Label, control, hint and translated errors, wired with aria-invalid / aria-describedby. */
function FieldShell({ id, label, hint, errors, children }: FieldShellProps) {
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
      {children({ 'aria-invalid': hasErrors, 'aria-describedby': describedBy })}
    </div>
  );
}

type TextFieldProps = Omit<InputHTMLAttributes<HTMLInputElement>, 'id' | 'children'> & {
  id: string;
  label: string;
  hint?: string | undefined;
  errors?: readonly FieldErrorCode[] | undefined;
};

export function TextField({ id, label, hint, errors, ...input }: TextFieldProps) {
  return (
    <FieldShell id={id} label={label} hint={hint} errors={errors}>
      {(a11y) => <input id={id} className="input" {...input} {...a11y} />}
    </FieldShell>
  );
}

/** An Uzbek phone number: the numeric keypad on phones, an example, and the accepted forms. */
export function PhoneField(
  props: Omit<TextFieldProps, 'type' | 'inputMode' | 'hint' | 'placeholder'>,
) {
  const { t } = useTranslation();
  return (
    <TextField
      {...props}
      type="tel"
      inputMode="tel"
      hint={t('hints.phone')}
      placeholder={t('register.phonePlaceholder')}
    />
  );
}

type SelectFieldProps = Omit<SelectHTMLAttributes<HTMLSelectElement>, 'id'> & {
  id: string;
  label: string;
  hint?: string | undefined;
  errors?: readonly FieldErrorCode[] | undefined;
};

export function SelectField({ id, label, hint, errors, children, ...select }: SelectFieldProps) {
  return (
    <FieldShell id={id} label={label} hint={hint} errors={errors}>
      {(a11y) => (
        <select id={id} className="input" {...select} {...a11y}>
          {children}
        </select>
      )}
    </FieldShell>
  );
}
