import { z } from 'zod';
import { analysisCondition, analysisInput, analysisReport, clinicalTextLimits } from './clinical';
import { analysisStatuses, feedbackVerdicts } from './enums';
import { fileListItem } from './file';
import { pageInput } from './patient';

/**
 * Contracts of the analysis domain: a doctor records complaints, vitals and lab results for one of
 * their patients; a background job turns them into the engine's report. The patient's sex and age
 * are copied from the patient record when the analysis is created, never taken from input.
 */

export const ANALYSIS_PAGE_MAX = 100;
export const ANALYSIS_PAGE_DEFAULT = 20;
export const ANALYSIS_ATTACHMENTS_MAX = 20;

const id = z.uuid({ message: 'id.invalid' });

/** What the doctor may add about the patient for this analysis (weight changes, pregnancy). */
const measurements = analysisInput.shape.patient.pick({
  pregnant: true,
  weightKg: true,
  heightCm: true,
});

export const createAnalysisInput = z
  .object({
    patientId: id,
    complaints: z
      .string({ message: 'invalid_type' })
      .trim()
      .max(clinicalTextLimits.complaints, { message: 'too_long' }),
    history: z
      .string({ message: 'invalid_type' })
      .trim()
      .max(clinicalTextLimits.history, { message: 'too_long' })
      .optional(),
    medications: analysisInput.shape.medications,
    vitals: analysisInput.shape.vitals,
    labs: analysisInput.shape.labs,
    patient: measurements.optional(),
    attachmentIds: z
      .array(id)
      .max(ANALYSIS_ATTACHMENTS_MAX, { message: 'too_long' })
      .optional()
      .transform((ids) => [...new Set(ids ?? [])]),
    /**
     * Chosen by the client once per draft: sending the same key again (a retry after a lost
     * answer) returns the analysis the first call created and never takes a second unit.
     */
    idempotencyKey: z
      .string({ message: 'invalid_type' })
      .regex(/^[A-Za-z0-9_-]{16,100}$/, { message: 'analysis.idempotency_key_invalid' }),
  })
  .superRefine((v, ctx) => {
    const vitals = v.vitals && Object.values(v.vitals).some((x) => x !== undefined);
    if (!v.complaints && v.labs.length === 0 && !vitals)
      ctx.addIssue({ code: 'custom', path: ['complaints'], message: 'analysis.empty' });
  });
export type CreateAnalysisInput = z.input<typeof createAnalysisInput>;
export type CreateAnalysis = z.output<typeof createAnalysisInput>;

export const listAnalysesInput = z.object({
  patientId: id.optional(),
  ...pageInput(ANALYSIS_PAGE_MAX, ANALYSIS_PAGE_DEFAULT),
});
export type ListAnalysesInput = z.input<typeof listAnalysesInput>;
export type ListAnalyses = z.output<typeof listAnalysesInput>;

export const analysisFeedbackInput = z.object({
  id,
  /** A WHO ICD-10 code as the report names it (E11, E11.9, R74.0). */
  conditionCode: z
    .string({ message: 'invalid_type' })
    .regex(/^[A-Z][0-9]{2}(\.[0-9A-Z]{1,4})?$/, { message: 'analysis.condition_code_invalid' }),
  verdict: z.enum(feedbackVerdicts, { message: 'invalid' }),
  comment: z
    .string({ message: 'invalid_type' })
    .trim()
    .max(1000, { message: 'too_long' })
    .optional()
    .transform((c) => c || null),
});
export type AnalysisFeedbackInput = z.input<typeof analysisFeedbackInput>;
export type AnalysisFeedback = z.output<typeof analysisFeedbackInput>;

/**
 * What an optional language model added to a report. Lab flags, derived values and red flags
 * never come from here: only a narrative and further hypotheses, each marked as the model's.
 */
export const analysisEnrichment = z.object({
  provider: z.string(),
  model: z.string(),
  narrative: z.string(),
  hypotheses: z.array(
    z.object({
      code: z.string().nullable(),
      name: z.string(),
      rationale: z.string(),
    }),
  ),
});
export type AnalysisEnrichment = z.infer<typeof analysisEnrichment>;

/** Why the enrichment is missing when one was configured (shown as a note on the report). */
export const enrichmentFailures = ['timeout', 'error', 'invalid_answer'] as const;
export type EnrichmentFailure = (typeof enrichmentFailures)[number];

export const usageOutput = z.object({
  used: z.number().int(),
  /** Null: the plan has no monthly limit. */
  limit: z.number().int().nullable(),
  /** The first day of the usage month in Asia/Tashkent (YYYY-MM-DD). */
  periodStart: z.iso.date(),
  /** When the next month starts in Asia/Tashkent. */
  resetsAt: z.date(),
});
export type UsageOutput = z.infer<typeof usageOutput>;

/** What the analysis was run on: the doctor's entries plus the patient's sex and age at the time. */
export const storedAnalysisInput = analysisInput;
export type StoredAnalysisInput = z.infer<typeof storedAnalysisInput>;

const person = z.object({ id: z.uuid(), name: z.string() });

export const analysisFeedbackOutput = z.object({
  conditionCode: z.string(),
  verdict: z.enum(feedbackVerdicts),
  comment: z.string().nullable(),
  updatedAt: z.date(),
});

export const analysisOutput = z.object({
  id: z.uuid(),
  patientId: z.uuid(),
  status: z.enum(analysisStatuses),
  input: storedAnalysisInput,
  report: analysisReport.nullable(),
  enrichment: analysisEnrichment.nullable(),
  enrichmentFailure: z.enum(enrichmentFailures).nullable(),
  /** A reason the doctor can read when the analysis failed (a translation key). */
  failureReason: z.string().nullable(),
  createdBy: person,
  attachments: z.array(fileListItem),
  /** The caller's own feedback on the report's conditions. */
  feedback: z.array(analysisFeedbackOutput),
  createdAt: z.date(),
  completedAt: z.date().nullable(),
});
export type AnalysisOutput = z.infer<typeof analysisOutput>;

export const analysisListItem = z.object({
  id: z.uuid(),
  status: z.enum(analysisStatuses),
  patient: z.object({ id: z.uuid(), firstName: z.string(), lastName: z.string() }),
  createdBy: person,
  createdAt: z.date(),
  completedAt: z.date().nullable(),
  /** The highest-ranked condition, when the report has one. */
  topCondition: analysisCondition.pick({ code: true, name: true, score: true }).nullable(),
  redFlags: z.number().int(),
  labs: z.number().int(),
});
export type AnalysisListItem = z.infer<typeof analysisListItem>;

export const analysisListOutput = z.object({
  items: z.array(analysisListItem),
  nextCursor: z.string().nullable(),
});
export type AnalysisListOutput = z.infer<typeof analysisListOutput>;

export const analysisStatusEvent = z.object({
  id: z.uuid(),
  status: z.enum(analysisStatuses),
  failureReason: z.string().nullable(),
});
export type AnalysisStatusEvent = z.infer<typeof analysisStatusEvent>;

export const analysisStatsOutput = z.object({
  total: z.number().int(),
  thisMonth: z.number().int(),
  usage: usageOutput,
  topConditions: z.array(z.object({ code: z.string(), name: z.string(), count: z.number().int() })),
});
export type AnalysisStatsOutput = z.infer<typeof analysisStatsOutput>;
