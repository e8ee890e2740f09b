/**
 * The patient form, for a new patient and for editing one: the shared schemas
 * (createPatientInput / updatePatientInput) through the shared form hook. The date of birth and
 * the age are one choice: a doctor who does not know the date ticks "unknown" and gives the age.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  createPatientInput,
  MIN_BIRTH_DATE,
  patientSexes,
  todayInTashkent,
  updatePatientInput,
  type CreatePatientInput,
  type PatientOutput,
} from '@medora/schema';
import { PhoneField, SelectField, TextAreaField, TextField } from '../../components/field';
import { FormStatus, SchemaFormView, SubmitButton } from '../../components/form';
import { trpc } from '../../lib/api';
import { useSchemaForm, type FieldMeta } from '../../lib/forms';
import { accessLogQuery, patientListKey, patientQuery } from './queries';

type Editable = CreatePatientInput;
type FieldName = keyof Editable;

const FIELD_ORDER = [
  'lastName',
  'firstName',
  'middleName',
  'birthDate',
  'ageYears',
  'sex',
  'phone',
  'address',
  'allergies',
  'chronicConditions',
  'currentMedications',
  'notes',
] as const satisfies readonly FieldName[];

/**
 * The schema checks "birth date or age" only once every other field parses (zod skips object
 * refinements after field errors). The form asks the same of its values when other fields have
 * failed too, so the doctor sees every problem after the first submit, not one round later.
 */
function withEarlyBirthDateRule<S extends typeof createPatientInput | typeof updatePatientInput>(
  schema: S,
): S {
  return schema.superRefine(
    (v, ctx) => {
      const value = v as { birthDate?: unknown; ageYears?: unknown };
      if ((value.birthDate == null) === (value.ageYears == null))
        for (const path of ['birthDate', 'ageYears'])
          ctx.addIssue({ code: 'custom', message: 'patient.birth_date_or_age', path: [path] });
    },
    // Only where the schema's own rule was skipped (other issues, none of them this one).
    {
      when: (payload) =>
        payload.issues.length > 0 &&
        !payload.issues.some((issue) => issue.message === 'patient.birth_date_or_age'),
    },
  ) as S;
}

export const createSchema = withEarlyBirthDateRule(createPatientInput);
export const updateSchema = withEarlyBirthDateRule(updatePatientInput);

const emptyToNull = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? null : v);
const toAge = (v: unknown) =>
  typeof v === 'string' ? (v.trim() === '' ? null : Number(v.trim())) : v;

/** Field ids and labels; the hidden one of birth date / age is left out (no summary link). */
function useFieldMeta(prefix: string, dateUnknown: boolean): Record<string, FieldMeta> {
  const { t } = useTranslation();
  const meta: Record<string, FieldMeta> = {};
  for (const name of FIELD_ORDER) {
    if (name === (dateUnknown ? 'birthDate' : 'ageYears')) continue;
    meta[name] = { id: `${prefix}-${name}`, label: t(`patientForm.${name}`) };
  }
  return meta;
}

export function valuesOf(patient: PatientOutput | null): Editable {
  return {
    lastName: patient?.lastName ?? '',
    firstName: patient?.firstName ?? '',
    middleName: patient?.middleName ?? '',
    birthDate: patient?.birthDate ?? null,
    ageYears: patient && patient.birthDate === null ? patient.ageYears : null,
    // No default: the doctor chooses (the schema refuses the empty choice with sex.invalid).
    sex: patient?.sex ?? ('' as Editable['sex']),
    phone: patient?.phone ?? '',
    address: patient?.address ?? '',
    allergies: patient?.allergies ?? '',
    chronicConditions: patient?.chronicConditions ?? '',
    currentMedications: patient?.currentMedications ?? '',
    notes: patient?.notes ?? '',
  };
}

type FieldsForm = ReturnType<typeof useCreateForm>['form'];

interface FieldsProps {
  prefix: string;
  field: (name: FieldName) => ReturnType<ReturnType<typeof useCreateForm>['field']>;
  register: FieldsForm['register'];
  dateUnknown: boolean;
  onDateUnknownChange: (unknown: boolean) => void;
}

function PatientFields({ prefix, field, register, dateUnknown, onDateUnknownChange }: FieldsProps) {
  const { t } = useTranslation();
  const unknownId = `${prefix}-date-unknown`;
  return (
    <>
      <fieldset className="patient-form__group">
        <legend>{t('patientForm.personalSection')}</legend>
        <div className="patient-form__row">
          <TextField {...field('lastName')} autoComplete="off" required />
          <TextField {...field('firstName')} autoComplete="off" required />
        </div>
        <TextField {...field('middleName')} autoComplete="off" />
        <div className="patient-form__row">
          <div className="patient-form__age">
            {dateUnknown ? (
              <TextField
                {...field('ageYears')}
                {...register('ageYears', { setValueAs: toAge })}
                inputMode="numeric"
                hint={t('patientForm.ageHint')}
                required
              />
            ) : (
              <TextField
                {...field('birthDate')}
                {...register('birthDate', { setValueAs: emptyToNull })}
                type="date"
                min={MIN_BIRTH_DATE}
                max={todayInTashkent()}
                required
              />
            )}
            <div className="checkbox">
              <input
                id={unknownId}
                type="checkbox"
                checked={dateUnknown}
                onChange={(e) => onDateUnknownChange(e.target.checked)}
              />
              <label htmlFor={unknownId}>{t('patientForm.birthDateUnknown')}</label>
            </div>
          </div>
          <SelectField {...field('sex')} required>
            <option value="">{t('patientForm.sexChoose')}</option>
            {patientSexes.map((sex) => (
              <option key={sex} value={sex}>
                {t(`patients.sex.${sex}`)}
              </option>
            ))}
          </SelectField>
        </div>
        <PhoneField {...field('phone')} autoComplete="off" />
        <TextAreaField {...field('address')} rows={2} />
      </fieldset>
      <fieldset className="patient-form__group">
        <legend>{t('patientForm.medicalSection')}</legend>
        <TextAreaField {...field('allergies')} />
        <TextAreaField {...field('chronicConditions')} />
        <TextAreaField {...field('currentMedications')} />
        <TextAreaField {...field('notes')} rows={4} />
      </fieldset>
    </>
  );
}

function useCreateForm(
  fields: Record<string, FieldMeta>,
  onSubmit: (values: ReturnType<typeof createPatientInput.parse>) => Promise<void>,
) {
  return useSchemaForm({
    schema: createSchema,
    defaultValues: valuesOf(null),
    fields: fields,
    onSubmit,
  });
}

/** The birth date / age switch: clears the other value so exactly one is sent. */
function switchDateUnknown(form: FieldsForm, unknown: boolean, set: (unknown: boolean) => void) {
  set(unknown);
  form.setValue(unknown ? 'birthDate' : 'ageYears', null);
  form.clearErrors(['birthDate', 'ageYears']);
}

export function CreatePatientForm({ onCreated }: { onCreated: (patient: PatientOutput) => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const create = useMutation(trpc.patient.create.mutationOptions());
  const prefix = 'new-patient';
  const [unknown, setUnknown] = useState(false);
  const form = useCreateForm(useFieldMeta(prefix, unknown), async (values) => {
    const patient = await create.mutateAsync(values);
    queryClient.setQueryData(patientQuery(patient.id).queryKey, patient);
    await queryClient.invalidateQueries({ queryKey: patientListKey() });
    onCreated(patient);
  });
  return (
    <SchemaFormView form={form} aria-labelledby="new-patient-title" className="form patient-form">
      <PatientFields
        prefix={prefix}
        field={form.field}
        register={form.form.register}
        dateUnknown={unknown}
        onDateUnknownChange={(u) => switchDateUnknown(form.form, u, setUnknown)}
      />
      <SubmitButton
        mutation={create}
        label={t('patients.createSubmit')}
        busyLabel={t('patients.creating')}
      />
      <FormStatus mutation={create} message="" />
    </SchemaFormView>
  );
}

export function EditPatientForm({
  patient,
  onDone,
}: {
  patient: PatientOutput;
  onDone: (saved: boolean) => void;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const update = useMutation(trpc.patient.update.mutationOptions());
  const prefix = 'edit-patient';
  const [unknown, setUnknown] = useState(patient.birthDate === null);
  const form = useSchemaForm({
    schema: updateSchema,
    defaultValues: { id: patient.id, ...valuesOf(patient) },
    fields: useFieldMeta(prefix, unknown),
    onSubmit: async (values) => {
      const saved = await update.mutateAsync(values);
      queryClient.setQueryData(patientQuery(saved.id).queryKey, saved);
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: patientListKey() }),
        queryClient.invalidateQueries({ queryKey: accessLogQuery(saved.id).queryKey }),
      ]);
      onDone(true);
    },
  });
  return (
    <SchemaFormView
      form={form}
      aria-labelledby="edit-patient-title"
      className="form patient-form"
      before={<h2 id="edit-patient-title">{t('patient.editTitle')}</h2>}
    >
      <PatientFields
        prefix={prefix}
        field={form.field as FieldsProps['field']}
        register={(form.form as unknown as FieldsForm).register}
        dateUnknown={unknown}
        onDateUnknownChange={(u) =>
          switchDateUnknown(form.form as unknown as FieldsForm, u, setUnknown)
        }
      />
      <div className="patient-form__actions">
        <SubmitButton mutation={update} label={t('patient.save')} busyLabel={t('patient.saving')} />
        <button type="button" className="button" onClick={() => onDone(false)}>
          {t('patient.cancel')}
        </button>
      </div>
      <FormStatus mutation={update} message="" />
    </SchemaFormView>
  );
}
