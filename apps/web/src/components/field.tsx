import {
  useState,
  type InputHTMLAttributes,
  type ReactNode,
  type Ref,
  type SelectHTMLAttributes,
  type TextareaHTMLAttributes,
} from 'react';
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
  ref?: Ref<HTMLInputElement>;
};

export function TextField({ id, label, hint, errors, ...input }: TextFieldProps) {
  return (
    <FieldShell id={id} label={label} hint={hint} errors={errors}>
      {(a11y) => <input id={id} className="input" {...input} {...a11y} />}
    </FieldShell>
  );
}

/**
 * A password input with a "Show password" toggle: a real button with aria-pressed and a constant
 * label, so screen readers hear its state; the typed text is never stored anywhere.
 */
export function PasswordField({ id, label, hint, errors, ...input }: Omit<TextFieldProps, 'type'>) {
  const { t } = useTranslation();
  const [visible, setVisible] = useState(false);
  return (
    <FieldShell id={id} label={label} hint={hint} errors={errors}>
      {(a11y) => (
        <div className="password-input">
          <input
            id={id}
            className="input"
            {...input}
            {...a11y}
            type={visible ? 'text' : 'password'}
            // Spell checkers would otherwise send a visible password to a dictionary service.
            spellCheck={false}
            autoCapitalize="off"
          />
          <button
            type="button"
            className="button password-input__toggle"
            aria-pressed={visible}
            aria-controls={id}
            // The name stays "Show password" (aria-pressed tells the state) and contains the
            // shorter visible word, so voice control users can say what they see.
            aria-label={t('fields.showPassword')}
            onClick={() => setVisible((v) => !v)}
          >
            {t('fields.show')}
          </button>
        </div>
      )}
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
      placeholder={t('hints.phonePlaceholder')}
    />
  );
}

type SelectFieldProps = Omit<SelectHTMLAttributes<HTMLSelectElement>, 'id'> & {
  id: string;
  label: string;
  hint?: string | undefined;
  errors?: readonly FieldErrorCode[] | undefined;
  ref?: Ref<HTMLSelectElement>;
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

type TextAreaFieldProps = Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, 'id' | 'children'> & {
  id: string;
  label: string;
  hint?: string | undefined;
  errors?: readonly FieldErrorCode[] | undefined;
  ref?: Ref<HTMLTextAreaElement>;
};

/** A multi-line field: three rows to start, resizable in height only. */
export function TextAreaField({
  id,
  label,
  hint,
  errors,
  className,
  ...textarea
}: TextAreaFieldProps) {
  return (
    <FieldShell id={id} label={label} hint={hint} errors={errors}>
      {(a11y) => (
        <textarea
          id={id}
          className={className ? `input ${className}` : 'input'}
          rows={3}
          {...textarea}
          {...a11y}
        />
      )}
    </FieldShell>
  );
}
