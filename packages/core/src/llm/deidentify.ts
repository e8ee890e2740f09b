import {
  EMAIL_PATTERN as EMAIL,
  PHONE_PATTERN as PHONE,
  type AnalysisVitals,
  type Locale,
  type StoredAnalysisInput,
} from '@medora/schema';

/**
 * What a language model may see of an analysis. Built by copying named fields only: a field added
 * to the stored input later reaches the model only when it is added here too.
 */
export interface DeidentifiedCase {
  locale: Locale;
  patient: {
    sex: StoredAnalysisInput['patient']['sex'];
    ageYears: number;
    pregnant?: boolean;
    weightKg?: number;
    heightCm?: number;
  };
  complaints: string;
  history?: string;
  medications: string[];
  vitals: AnalysisVitals;
  labs: {
    code: string;
    value: number;
    unit: string;
    referenceLow: number | null;
    referenceHigh: number | null;
  }[];
}

export const CONTACT_PLACEHOLDERS = { email: '[email]', phone: '[phone]' } as const;

/** Free text with e-mail addresses and phone-number-like digit runs replaced by placeholders. */
export function scrubContacts(text: string): string {
  return text.replace(EMAIL, CONTACT_PLACEHOLDERS.email).replace(PHONE, CONTACT_PLACEHOLDERS.phone);
}

const VITALS = [
  'systolicBp',
  'diastolicBp',
  'heartRate',
  'respiratoryRate',
  'temperatureC',
  'spo2',
] as const satisfies readonly (keyof AnalysisVitals)[];

/**
 * The clinical content of an analysis without anything that identifies the patient: age, sex,
 * pregnancy, weight, height, complaints, history, medications, vitals, labs and the locale, with
 * contact details scrubbed from every free-text field.
 */
export function deidentify(input: StoredAnalysisInput): DeidentifiedCase {
  const { patient } = input;
  const vitals: AnalysisVitals = {};
  for (const key of VITALS) {
    const value = input.vitals?.[key];
    if (value !== undefined) vitals[key] = value;
  }
  return {
    locale: input.locale,
    patient: {
      sex: patient.sex,
      ageYears: patient.ageYears,
      ...(patient.pregnant !== undefined && { pregnant: patient.pregnant }),
      ...(patient.weightKg !== undefined && { weightKg: patient.weightKg }),
      ...(patient.heightCm !== undefined && { heightCm: patient.heightCm }),
    },
    complaints: scrubContacts(input.complaints),
    ...(input.history !== undefined && { history: scrubContacts(input.history) }),
    medications: (input.medications ?? []).map(scrubContacts),
    vitals,
    labs: input.labs.map((lab) => ({
      code: lab.code,
      value: lab.value,
      unit: scrubContacts(lab.unit),
      referenceLow: lab.referenceLow ?? null,
      referenceHigh: lab.referenceHigh ?? null,
    })),
  };
}
