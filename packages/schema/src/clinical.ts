import { z } from 'zod';
import { patientSexes } from './enums';
import { localeSchema } from './locale';

/**
 * Contracts of the clinical decision-support engine (@medora/clinical): what a doctor submits for
 * one patient (complaints, vitals, lab results) and the report the engine returns. Unknown keys
 * are dropped; every number must be finite and physiologically possible, so nonsense is refused
 * here with the field's path instead of producing a confident-looking report.
 */

/** HL7 v3 ObservationInterpretation codes the engine assigns to a lab value. */
export const labFlags = ['N', 'L', 'H', 'LL', 'HH'] as const;
export type LabFlag = (typeof labFlags)[number];

/** Only these two count as "a red flag was raised". */
export const redFlagSeverities = ['critical', 'urgent'] as const;
export type RedFlagSeverity = (typeof redFlagSeverities)[number];

/** Values the engine computes from the inputs whenever their inputs are present. */
export const derivedCodes = [
  'egfr_ckd_epi_2021',
  'bmi',
  'anion_gap',
  'corrected_calcium',
  'non_hdl_cholesterol',
] as const;
export type DerivedCode = (typeof derivedCodes)[number];

export const referralUrgencies = ['routine', 'soon', 'urgent'] as const;
export type ReferralUrgency = (typeof referralUrgencies)[number];

export const analysisWarningCodes = [
  'unknown_analyte',
  'unconvertible_unit',
  'duplicate_analyte',
  'pregnant',
  'under_18',
  'ckd_chronicity',
] as const;
export type AnalysisWarningCode = (typeof analysisWarningCodes)[number];

export const clinicalTextLimits = {
  complaints: 4000,
  history: 4000,
  medication: 200,
  medications: 50,
  labs: 100,
  labCode: 64,
  unit: 32,
} as const;

/** Bounded, finite number: `z.number()` already refuses NaN and ±Infinity. */
const bounded = (min: number, max: number) => z.number().min(min).max(max);

const patientSchema = z.object({
  sex: z.enum(patientSexes, { message: 'sex.invalid' }),
  ageYears: z.number().int().min(0).max(130),
  pregnant: z.boolean().optional(),
  weightKg: bounded(0.5, 500).optional(),
  heightCm: bounded(20, 260).optional(),
});

// Wide enough for any living patient in an emergency room, narrow enough to catch unit mix-ups
// (a temperature in °F, a blood pressure in kPa) and typing errors.
const vitalsSchema = z
  .object({
    systolicBp: bounded(40, 300).optional(),
    diastolicBp: bounded(20, 200).optional(),
    heartRate: bounded(20, 300).optional(),
    respiratoryRate: bounded(2, 80).optional(),
    temperatureC: bounded(30, 45).optional(),
    spo2: bounded(40, 100).optional(),
  })
  .refine(
    (v) =>
      v.systolicBp === undefined || v.diastolicBp === undefined || v.diastolicBp < v.systolicBp,
    { message: 'vitals.diastolic_not_below_systolic', path: ['diastolicBp'] },
  );

/** A lab value is never negative; the upper bound only catches pasted garbage. */
const labNumber = bounded(0, 1e7);

const labSchema = z
  .object({
    code: z
      .string()
      .trim()
      .toLowerCase()
      .min(1)
      .max(clinicalTextLimits.labCode)
      .regex(/^[a-z0-9_]+$/, { message: 'lab.code_invalid' }),
    value: labNumber,
    unit: z.string().trim().min(1).max(clinicalTextLimits.unit),
    /** The laboratory's printed interval, in the same unit as `value`; either bound may be absent. */
    referenceLow: labNumber.nullish(),
    referenceHigh: labNumber.nullish(),
  })
  .refine(
    (l) => l.referenceLow == null || l.referenceHigh == null || l.referenceLow <= l.referenceHigh,
    { message: 'lab.reference_low_above_high', path: ['referenceLow'] },
  );

export const analysisInput = z.object({
  locale: localeSchema,
  patient: patientSchema,
  complaints: z.string().max(clinicalTextLimits.complaints),
  history: z.string().max(clinicalTextLimits.history).optional(),
  medications: z
    .array(z.string().max(clinicalTextLimits.medication))
    .max(clinicalTextLimits.medications)
    .optional(),
  vitals: vitalsSchema.optional(),
  labs: z.array(labSchema).max(clinicalTextLimits.labs),
});
export type AnalysisInput = z.input<typeof analysisInput>;
export type ParsedAnalysisInput = z.output<typeof analysisInput>;
export type AnalysisLabInput = ParsedAnalysisInput['labs'][number];
export type AnalysisVitals = NonNullable<ParsedAnalysisInput['vitals']>;

/**
 * One row per input lab. An analyte the knowledge base does not know, or a unit it cannot convert,
 * keeps its row with `siValue`/`siUnit` null; its reference bounds are then the printed ones in
 * `unit` and its flag is judged against them alone (null when nothing was printed).
 */
export const analysisLab = z.object({
  code: z.string(),
  name: z.string(),
  value: z.number(),
  unit: z.string(),
  siValue: z.number().nullable(),
  siUnit: z.string().nullable(),
  referenceLow: z.number().nullable(),
  referenceHigh: z.number().nullable(),
  /** A source id (e.g. `ABIM`), or `laboratory` when the printed interval was used. */
  referenceSource: z.string().nullable(),
  flag: z.enum(labFlags).nullable(),
});

export const analysisDerived = z.object({
  code: z.enum(derivedCodes),
  value: z.number(),
  unit: z.string(),
  interpretation: z.string(),
  source: z.string(),
});

export const analysisRedFlag = z.object({
  code: z.string(),
  severity: z.enum(redFlagSeverities),
  message: z.string(),
  evidence: z.array(z.string()),
});

export const analysisTest = z.object({ code: z.string(), name: z.string() });

export const analysisReferral = z.object({
  specialty: z.string(),
  name: z.string(),
  urgency: z.enum(referralUrgencies),
});

export const analysisCondition = z.object({
  /** WHO ICD-10 (2019) code. */
  code: z.string(),
  name: z.string(),
  /** Heuristic rank 0–100, not a probability. */
  score: z.number().int().min(0).max(100),
  evidenceFor: z.array(z.string()),
  evidenceAgainst: z.array(z.string()),
  recommendedTests: z.array(analysisTest),
  referral: analysisReferral.optional(),
  sources: z.array(z.string()),
});

export const analysisWarning = z.object({
  code: z.enum(analysisWarningCodes),
  message: z.string(),
  /** The lab code the warning is about, when there is one. */
  analyte: z.string().optional(),
});

export const analysisReport = z.object({
  engine: z.object({
    kind: z.literal('rules'),
    version: z.string(),
    knowledgeBase: z.string(),
  }),
  locale: localeSchema,
  labs: z.array(analysisLab),
  derived: z.array(analysisDerived),
  redFlags: z.array(analysisRedFlag),
  differential: z.array(analysisCondition),
  recommendedTests: z.array(analysisTest),
  warnings: z.array(analysisWarning),
  disclaimer: z.string(),
});
export type AnalysisReport = z.infer<typeof analysisReport>;
export type AnalysisLab = z.infer<typeof analysisLab>;
export type AnalysisDerived = z.infer<typeof analysisDerived>;
export type AnalysisRedFlag = z.infer<typeof analysisRedFlag>;
export type AnalysisCondition = z.infer<typeof analysisCondition>;
export type AnalysisTest = z.infer<typeof analysisTest>;
export type AnalysisReferral = z.infer<typeof analysisReferral>;
export type AnalysisWarning = z.infer<typeof analysisWarning>;
