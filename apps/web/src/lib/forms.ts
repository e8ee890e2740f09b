/** Form helpers: validate with the shared zod schemas, keep field and form errors together. */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { z } from 'zod';
import { toFieldErrors, type FieldErrors } from '@medora/schema';
import { useTranslation } from 'react-i18next';
import { errorMessage, parseError } from './errors';

export type Validation<T> = { ok: true; data: T } | { ok: false; fieldErrors: FieldErrors };

export function validate<S extends z.ZodType>(schema: S, values: unknown): Validation<z.output<S>> {
  const result = schema.safeParse(values);
  if (result.success) return { ok: true, data: result.data };
  return { ok: false, fieldErrors: toFieldErrors(result.error.issues) };
}

export interface FormErrorsState {
  fieldErrors: FieldErrors;
  formError: string | null;
  /** Bumped on each failure so the summary can take focus again. */
  attempt: number;
}

/** Field path → the input's id and label, for one form. */
export type FormFields<K extends string> = Record<K, { id: string; label: string }>;

/**
 * Field errors plus one form-level message. `summary` goes on the error summary, which takes
 * focus after a failed submit so keyboard and screen-reader users land on it; `field(name)` gives
 * a field its id, label, name and errors.
 */
export function useFormErrors<K extends string>(fields: FormFields<K>) {
  const { t } = useTranslation();
  const [state, setState] = useState<FormErrorsState>({
    fieldErrors: {},
    formError: null,
    attempt: 0,
  });
  const summaryRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (state.attempt > 0) summaryRef.current?.focus();
  }, [state.attempt]);

  const fail = useCallback((fieldErrors: FieldErrors, formError: string | null = null) => {
    setState((s) => ({ fieldErrors, formError, attempt: s.attempt + 1 }));
  }, []);

  const failWith = useCallback(
    (error: unknown) => {
      const parsed = parseError(error);
      const hasFields = Object.keys(parsed.fieldErrors).some((k) => k !== '');
      // With field errors the fields speak for themselves; a generic VALIDATION_FAILED adds nothing.
      const message =
        hasFields && (parsed.appCode === 'VALIDATION_FAILED' || parsed.appCode === null)
          ? null
          : errorMessage(t, parsed);
      fail(parsed.fieldErrors, message);
    },
    [fail, t],
  );

  const reset = useCallback(
    () => setState((s) => ({ ...s, fieldErrors: {}, formError: null })),
    [],
  );

  const field = (name: K) => ({
    id: fields[name].id,
    label: fields[name].label,
    name,
    errors: state.fieldErrors[name],
  });
  const summary = {
    summaryRef,
    fieldErrors: state.fieldErrors,
    formError: state.formError,
    fields: fields as Record<string, { id: string; label: string }>,
  };

  return { ...state, summaryRef, summary, field, fail, failWith, reset };
}
