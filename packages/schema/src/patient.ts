import { z } from 'zod';
import { patientSexes } from './enums';
import { nameSchema } from './name';
import { phoneSchema } from './phone';

/** Oldest birth date a record may carry; also the database's CHECK. */
export const MIN_BIRTH_DATE = '1900-01-01';
export const MAX_AGE_YEARS = 130;
export const PATIENT_PAGE_MAX = 100;
export const PATIENT_PAGE_DEFAULT = 20;

/** Upper bounds of the free-text fields, in characters (the database checks the same). */
export const patientTextLimits = {
  address: 300,
  allergies: 2000,
  chronicConditions: 2000,
  currentMedications: 2000,
  notes: 5000,
} as const;

// One formatter for the process. Each Intl.DateTimeFormat holds ~25 KB of ICU memory outside
// the V8 heap, which the garbage collector does not count: one per call (every patient row of
// every page) grew a server under patient.list to 400 MB of RSS, and cost 0.15 ms each.
const tashkentDate = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Asia/Tashkent',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** Today's date where MedoraAI's doctors work (YYYY-MM-DD), for "not in the future" checks. */
export function todayInTashkent(now: Date = new Date()): string {
  return tashkentDate.format(now);
}

/** Whole years from `from` to `to`, both YYYY-MM-DD (a birthday counts on its day). */
export function fullYearsBetween(from: string, to: string): number {
  const [fy, fm, fd] = from.split('-').map(Number) as [number, number, number];
  const [ty, tm, td] = to.split('-').map(Number) as [number, number, number];
  return ty - fy - (tm < fm || (tm === fm && td < fd) ? 1 : 0);
}

// Multi-line text a doctor types: trimmed, CRLF as LF, empty as "not given", and no control
// characters other than line breaks and tabs (they only ever arrive by pasting or by attack).
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;
function optionalText(max: number) {
  return z
    .string({ message: 'invalid_type' })
    .max(max * 2, { message: 'too_long' })
    .transform((v) => v.normalize('NFC').replace(/\r\n?/g, '\n').trim())
    .pipe(
      z
        .string()
        .max(max, { message: 'too_long' })
        .refine((v) => !CONTROL.test(v), { message: 'text.invalid' }),
    )
    .transform((v) => (v === '' ? null : v))
    .nullable()
    .optional();
}

/**
 * An optional field of a form: blank means "not given" (null); anything else must pass `schema`,
 * whose own field codes are kept. The input stays a string, so clients keep their types.
 */
function blankAsNull<T extends z.ZodType<string, string>>(schema: T) {
  return z
    .string({ message: 'invalid_type' })
    .transform((v, ctx): z.output<T> | null => {
      if (v.trim() === '') return null;
      const parsed = schema.safeParse(v);
      if (parsed.success) return parsed.data;
      for (const issue of parsed.error.issues)
        ctx.addIssue({ code: 'custom', message: issue.message });
      return z.NEVER;
    })
    .nullable()
    .optional();
}

const optionalName = blankAsNull(nameSchema);
const optionalPhone = blankAsNull(phoneSchema);

export const birthDateSchema = z.iso
  .date({ message: 'date.invalid' })
  .refine((v) => v >= MIN_BIRTH_DATE, { message: 'date.too_old' })
  .refine((v) => v <= todayInTashkent(), { message: 'date.future' });

export const ageYearsSchema = z
  .number({ message: 'age.invalid' })
  .int({ message: 'age.invalid' })
  .min(0, { message: 'age.invalid' })
  .max(MAX_AGE_YEARS, { message: 'age.invalid' });

const patientFields = {
  firstName: nameSchema,
  lastName: nameSchema,
  middleName: optionalName,
  birthDate: birthDateSchema.nullable().optional(),
  ageYears: ageYearsSchema.nullable().optional(),
  sex: z.enum(patientSexes, { message: 'sex.invalid' }),
  phone: optionalPhone,
  address: optionalText(patientTextLimits.address),
  allergies: optionalText(patientTextLimits.allergies),
  chronicConditions: optionalText(patientTextLimits.chronicConditions),
  currentMedications: optionalText(patientTextLimits.currentMedications),
  notes: optionalText(patientTextLimits.notes),
};

/** Exactly one of birth date and age: the age only when the date is not known. */
function oneOfBirthDateOrAge(
  v: { birthDate?: string | null; ageYears?: number | null },
  ctx: z.RefinementCtx,
) {
  const hasDate = v.birthDate != null;
  const hasAge = v.ageYears != null;
  if (hasDate === hasAge) {
    for (const path of ['birthDate', 'ageYears'])
      ctx.addIssue({ code: 'custom', message: 'patient.birth_date_or_age', path: [path] });
  }
}

// Unknown keys (workspaceId, createdBy, timestamps…) are dropped, not refused: the server decides
// those, whatever a client sends.
// The rule runs even when other fields failed, so a form shows every error at once.
const alongsideOtherErrors = {
  when: (payload: { value: unknown }) =>
    typeof payload.value === 'object' && payload.value !== null,
};

export const createPatientInput = z
  .object(patientFields)
  .superRefine(oneOfBirthDateOrAge, alongsideOtherErrors);
export type CreatePatientInput = z.input<typeof createPatientInput>;
export type CreatePatient = z.output<typeof createPatientInput>;

/**
 * A partial update: a field left out stays as it is, `null` clears an optional one. Birth date
 * and age are replaced together (give one of them) so a record never has both or neither.
 */
export const updatePatientInput = z
  .object({
    id: z.uuid({ message: 'id.invalid' }),
    ...Object.fromEntries(
      Object.entries(patientFields).map(([key, schema]) => [key, schema.optional()]),
    ),
  } as { id: z.ZodUUID } & {
    [K in keyof typeof patientFields]: z.ZodOptional<(typeof patientFields)[K]>;
  })
  .superRefine((v, ctx) => {
    if (v.birthDate !== undefined || v.ageYears !== undefined) oneOfBirthDateOrAge(v, ctx);
  }, alongsideOtherErrors);
export type UpdatePatientInput = z.input<typeof updatePatientInput>;
export type UpdatePatient = z.output<typeof updatePatientInput>;

/** An opaque keyset cursor and a bounded page size: the shape of every paged list's input. */
export function pageInput(max: number, fallback: number) {
  return {
    cursor: z
      .string({ message: 'cursor.invalid' })
      .max(512, { message: 'cursor.invalid' })
      .optional(),
    limit: z
      .number({ message: 'invalid_type' })
      .int({ message: 'invalid' })
      .min(1, { message: 'invalid' })
      .max(max, { message: 'too_long' })
      .default(fallback),
  };
}

export const patientSorts = ['recent', 'name'] as const;
export type PatientSort = (typeof patientSorts)[number];

export const listPatientsInput = z.object({
  search: z
    .string({ message: 'invalid_type' })
    .max(100, { message: 'too_long' })
    .transform((v) => v.normalize('NFKC').trim())
    .optional(),
  sort: z.enum(patientSorts, { message: 'invalid' }).default('recent'),
  /** Archived patients are listed only when asked for (to restore one). */
  archived: z.boolean({ message: 'invalid_type' }).default(false),
  ...pageInput(PATIENT_PAGE_MAX, PATIENT_PAGE_DEFAULT),
});
export type ListPatientsInput = z.input<typeof listPatientsInput>;
export type ListPatients = z.output<typeof listPatientsInput>;

const age = {
  birthDate: z.iso.date().nullable(),
  /** Whole years today: from the birth date, or the age given then plus the years since. */
  ageYears: z.number().int(),
  /** True when no birth date is known and the age was told. */
  ageIsApproximate: z.boolean(),
};

export const patientSummary = z.object({
  id: z.uuid(),
  firstName: z.string(),
  lastName: z.string(),
  middleName: z.string().nullable(),
  ...age,
  sex: z.enum(patientSexes),
  phone: z.string().nullable(),
  archivedAt: z.date().nullable(),
  createdAt: z.date(),
});
export type PatientSummary = z.infer<typeof patientSummary>;

export const patientOutput = patientSummary.extend({
  address: z.string().nullable(),
  allergies: z.string().nullable(),
  chronicConditions: z.string().nullable(),
  currentMedications: z.string().nullable(),
  notes: z.string().nullable(),
  updatedAt: z.date(),
});
export type PatientOutput = z.infer<typeof patientOutput>;

export const patientListOutput = z.object({
  items: z.array(patientSummary),
  /** How many patients match, on every page; a search counts up to 1,000 (see totalCapped). */
  total: z.number().int(),
  /** True when more patients match than `total` says ("1,000+"). */
  totalCapped: z.boolean(),
  nextCursor: z.string().nullable(),
});
export type PatientListOutput = z.infer<typeof patientListOutput>;

export const accessLogInput = z.object({
  id: z.uuid({ message: 'id.invalid' }),
  ...pageInput(100, 50),
});
export type AccessLogInput = z.input<typeof accessLogInput>;
export type AccessLogQuery = z.output<typeof accessLogInput>;

export const accessLogEntry = z.object({
  at: z.date(),
  action: z.string(),
  outcome: z.string(),
  actor: z.object({ id: z.uuid(), name: z.string(), role: z.string() }).nullable(),
  /** The file the entry is about, for attachment uploads, downloads and deletions. */
  fileId: z.uuid().nullable(),
  ip: z.string().nullable(),
});
export type AccessLogEntry = z.infer<typeof accessLogEntry>;

export const accessLogOutput = z.object({
  items: z.array(accessLogEntry),
  nextCursor: z.string().nullable(),
});
