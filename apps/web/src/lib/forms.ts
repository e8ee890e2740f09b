/**
 * The one form pattern: react-hook-form validating with the shared zod schema (zodResolver), an
 * error summary that takes focus after a failed submit, server field errors mapped onto the
 * fields, and a form-level message only when no field carries the error (so an error is shown
 * once in the summary and once at its field, never a third time).
 */
import { zodResolver } from '@hookform/resolvers/zod';
import { useCallback, useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import {
  useForm,
  type DefaultValues,
  type FieldError,
  type FieldValues,
  type Path,
  type Resolver,
} from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import type { z } from 'zod';
import { fieldErrorCodes, type FieldErrorCode, type FieldErrors } from '@medora/schema';
import { errorMessage, parseError, type ParsedError } from './errors';

const knownCodes = new Set<string>(fieldErrorCodes);

/** The schemas put field codes in zod's message; issues zod raises itself map by their type. */
export function fieldCodeOf(error: Pick<FieldError, 'type' | 'message'>): FieldErrorCode {
  if (error.message && knownCodes.has(error.message)) return error.message as FieldErrorCode;
  switch (error.type) {
    case 'invalid_type':
      return 'required';
    case 'too_small':
      return 'too_short';
    case 'too_big':
      return 'too_long';
    default:
      return 'invalid';
  }
}

export interface FieldMeta {
  id: string;
  label: string;
}

/**
 * A schema the form needs only once it validates (on the first submit): the page can render
 * without zod and the phone metadata, which are then loaded while the submit is handled.
 */
export interface LazySchema<S> {
  load: () => Promise<S>;
}

function isLazy<S>(schema: S | LazySchema<S>): schema is LazySchema<S> {
  return typeof (schema as Partial<LazySchema<S>>).load === 'function';
}

export interface SchemaFormOptions<S extends z.ZodType<unknown, FieldValues>> {
  /** The schema, or (declared once, outside the component) how to load it. */
  schema: S | LazySchema<S>;
  defaultValues: DefaultValues<z.input<S>>;
  /** Input id and label of each field the form shows. */
  fields: Record<Path<z.input<S>> & string, FieldMeta>;
  /** Sends the validated values; a thrown error is shown on the form. */
  onSubmit: (values: z.output<S>) => Promise<void>;
  /** Reads a server error differently (e.g. a wrong password belongs to its field). */
  mapError?: (parsed: ParsedError) => ParsedError;
  /** Words for a form-level error; defaults to `errorMessage`. */
  describeError?: (t: TFunction, parsed: ParsedError) => string;
}

export function useSchemaForm<S extends z.ZodType<unknown, FieldValues>>(
  options: SchemaFormOptions<S>,
) {
  type Values = z.input<S>;
  const { t } = useTranslation();
  const { schema } = options;
  const resolver = useMemo((): Resolver<Values, unknown, z.output<S>> => {
    if (!isLazy(schema)) return zodResolver(schema as never) as never;
    let loaded: Resolver<Values, unknown, z.output<S>> | null = null;
    return async (values, context, opts) => {
      loaded ??= zodResolver((await schema.load()) as never) as never;
      return loaded(values, context, opts);
    };
  }, [schema]);
  const form = useForm<Values, unknown, z.output<S>>({
    resolver,
    defaultValues: options.defaultValues,
    // The summary takes focus instead; its links lead to the fields.
    shouldFocusError: false,
  });
  // Kept as data, not text, so the message follows a language switch.
  const [formError, setFormError] = useState<ParsedError | null>(null);
  const [attempt, setAttempt] = useState(0);
  const summaryRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (attempt > 0) summaryRef.current?.focus();
  }, [attempt]);

  const fail = useCallback(() => setAttempt((n) => n + 1), []);

  const showServerError = (error: unknown) => {
    const { fields, mapError } = options;
    let parsed = parseError(error);
    if (mapError) parsed = mapError(parsed);
    let onFields = 0;
    const elsewhere: FieldErrors = {};
    for (const [path, codes] of Object.entries(parsed.fieldErrors)) {
      if (codes.length === 0) continue;
      if (path in fields) {
        form.setError(path as Path<Values>, { type: 'server', message: codes[0] });
        onFields += 1;
      } else {
        elsewhere[path] = codes;
      }
    }
    // A field error says it all; a form message is for errors no field carries.
    setFormError(onFields > 0 ? null : { ...parsed, fieldErrors: elsewhere });
    fail();
  };

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    setFormError(null);
    void form.handleSubmit(async (values) => {
      try {
        await options.onSubmit(values);
      } catch (error) {
        showServerError(error);
      }
    }, fail)(event);
  };

  const errors = form.formState.errors as Partial<Record<string, FieldError>>;
  const fieldErrors: FieldErrors = {};
  for (const path of Object.keys(options.fields)) {
    const error = errors[path];
    if (error) fieldErrors[path] = [fieldCodeOf(error)];
  }
  const describe = options.describeError ?? errorMessage;

  /** Props for a TextField/SelectField: id, label, errors and the registered input. */
  const field = (name: Path<Values> & string) => ({
    ...options.fields[name],
    ...form.register(name),
    errors: fieldErrors[name],
  });

  const summary = {
    summaryRef,
    fieldErrors: { ...fieldErrors, ...(formError?.fieldErrors ?? {}) },
    formError: formError ? describe(t, formError) : null,
    fields: options.fields as Record<string, FieldMeta>,
  };

  return { form, field, summary, onSubmit, isSubmitting: form.formState.isSubmitting };
}

export type SchemaForm = ReturnType<typeof useSchemaForm>;
