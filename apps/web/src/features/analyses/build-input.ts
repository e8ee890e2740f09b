import {
  createAnalysisInput,
  issueToFieldCode,
  type CreateAnalysisInput,
  type FieldErrorCode,
  type FieldErrors,
} from '@medora/schema';
import { vitalFields, type AnalysisDraft, type LabRowDraft } from './drafts';

/** "" → absent; "36,6" and "36.6" both read; anything else stays NaN for the schema to refuse. */
export function readNumber(text: string): number | undefined {
  const s = text.trim();
  if (!s) return undefined;
  return /^[+-]?\d+(?:[.,]\d+)?$/.test(s) ? Number(s.replace(',', '.')) : Number.NaN;
}

const rowUsed = (l: LabRowDraft) =>
  !!(l.code || l.value.trim() || l.referenceLow.trim() || l.referenceHigh.trim());

/** The rows that go to the server (a blank row is left out), in order. */
export function usedRows(draft: AnalysisDraft): LabRowDraft[] {
  return draft.labs.filter(rowUsed);
}

/** The draft as the API's input (numbers parsed, blank fields absent). */
export function buildInput(patientId: string, draft: AnalysisDraft): CreateAnalysisInput {
  const vitals: Record<string, number> = {};
  for (const f of vitalFields) {
    const v = readNumber(draft.vitals[f]);
    if (v !== undefined) vitals[f] = v;
  }
  const weightKg = readNumber(draft.weightKg);
  const heightCm = readNumber(draft.heightCm);
  const patient = {
    ...(weightKg !== undefined && { weightKg }),
    ...(heightCm !== undefined && { heightCm }),
    ...(draft.pregnant && { pregnant: true }),
  };
  const history = draft.history.trim();
  const medications = draft.medications
    .split(/\r?\n/)
    .map((m) => m.trim())
    .filter(Boolean);
  return {
    patientId,
    complaints: draft.complaints,
    ...(history && { history }),
    ...(medications.length > 0 && { medications }),
    ...(Object.keys(vitals).length > 0 && { vitals }),
    labs: usedRows(draft).map((l) => ({
      code: l.code,
      value: readNumber(l.value) as number,
      unit: l.unit,
      referenceLow: readNumber(l.referenceLow) ?? null,
      referenceHigh: readNumber(l.referenceHigh) ?? null,
    })),
    ...(Object.keys(patient).length > 0 && { patient }),
    attachmentIds: draft.attachmentIds,
    idempotencyKey: draft.idempotencyKey.replace(/[^A-Za-z0-9_-]/g, ''),
  };
}

/** A number out of its range reads "not a valid value", not "too short". */
function codeOf(issue: Parameters<typeof issueToFieldCode>[0]): FieldErrorCode {
  const code = issueToFieldCode(issue);
  const numeric = issue.code === 'too_small' || issue.code === 'too_big';
  if (numeric && 'origin' in issue && issue.origin === 'number') return 'invalid';
  if (code === 'invalid_type' && issue.path.at(-1) === 'code') return 'required';
  if (code === 'too_short' && issue.path.at(-1) === 'code') return 'required';
  return code;
}

/** Validates with the shared schema; field errors by dotted path ("labs.0.value"). */
export function validateDraft(
  patientId: string,
  draft: AnalysisDraft,
): { ok: true; input: CreateAnalysisInput } | { ok: false; errors: FieldErrors } {
  const input = buildInput(patientId, draft);
  const parsed = createAnalysisInput.safeParse(input);
  if (parsed.success) return { ok: true, input };
  const errors: FieldErrors = {};
  for (const issue of parsed.error.issues) {
    const path = issue.path.join('.');
    const list = (errors[path] ??= []);
    const code = codeOf(issue);
    if (!list.includes(code)) list.push(code);
  }
  return { ok: false, errors };
}
