import type { AnalysisReport, Locale } from '@medora/schema';
import { z } from 'zod';
import type { DeidentifiedCase } from './deidentify';

export const ENRICHMENT_LIMITS = {
  narrative: 2000,
  hypotheses: 5,
  hypothesisName: 200,
  rationale: 1000,
} as const;

const ICD10 = /^[A-Z][0-9]{2}(\.[0-9A-Z]{1,4})?$/;

/** What the model must answer; anything else is an invalid answer. Unknown keys are dropped. */
export const llmAnswer = z.object({
  narrative: z.string().trim().min(1).max(ENRICHMENT_LIMITS.narrative),
  hypotheses: z
    .array(
      z.object({
        code: z.string().trim().toUpperCase().regex(ICD10).nullable(),
        name: z.string().trim().min(1).max(ENRICHMENT_LIMITS.hypothesisName),
        rationale: z.string().trim().min(1).max(ENRICHMENT_LIMITS.rationale),
      }),
    )
    .max(ENRICHMENT_LIMITS.hypotheses),
});
export type LlmAnswer = z.infer<typeof llmAnswer>;

const LANGUAGES: Record<Locale, string> = {
  uz: 'Uzbek in the Latin script',
  ru: 'Russian',
  en: 'English',
};

export interface LlmPrompt {
  system: string;
  user: string;
}

/**
 * The de-identified case and what the rules engine concluded (flags, derived values, red flags,
 * the differential's codes). The rules stay authoritative: the model writes a narrative and may
 * add hypotheses, nothing more.
 */
export function buildPrompt(c: DeidentifiedCase, report: AnalysisReport): LlmPrompt {
  const language = LANGUAGES[report.locale];
  const system = [
    'You assist a physician with clinical decision support. You receive a de-identified case and the findings of a deterministic rules engine.',
    'The rules engine is authoritative for lab flags, derived values and red flags: do not contradict or recompute them.',
    `Answer with one JSON object and nothing else, written in ${language}:`,
    '{"narrative": string, "hypotheses": [{"code": string | null, "name": string, "rationale": string}]}',
    `- narrative: a concise clinical summary of the case and the findings, at most ${ENRICHMENT_LIMITS.narrative} characters.`,
    `- hypotheses: at most ${ENRICHMENT_LIMITS.hypotheses} further diagnoses worth considering; code is the WHO ICD-10 code (e.g. E11.9) or null; name at most ${ENRICHMENT_LIMITS.hypothesisName} characters; rationale at most ${ENRICHMENT_LIMITS.rationale} characters.`,
    'Never invent patient details that are not in the case.',
  ].join('\n');
  const rules = {
    labs: report.labs.map((l) => ({
      code: l.code,
      flag: l.flag,
      siValue: l.siValue,
      siUnit: l.siUnit,
    })),
    derived: report.derived.map((d) => ({
      code: d.code,
      value: d.value,
      unit: d.unit,
      interpretation: d.interpretation,
    })),
    redFlags: report.redFlags.map((r) => ({ code: r.code, severity: r.severity })),
    differential: report.differential.map((d) => d.code),
  };
  const user = `Case:\n${JSON.stringify(c)}\n\nRules engine findings:\n${JSON.stringify(rules)}`;
  return { system, user };
}

/**
 * The model's JSON: `text` itself when it parses (so valid JSON of another shape stays that shape),
 * otherwise the first complete JSON object in it (a model may wrap it in a ```json fence or a
 * sentence); undefined when there is none.
 */
export function extractJsonObject(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    // not bare JSON: look for an object inside
  }
  let start = text.indexOf('{');
  while (start >= 0) {
    const end = matchingBrace(text, start);
    if (end < 0) return undefined;
    try {
      return JSON.parse(text.slice(start, end + 1)) as unknown;
    } catch {
      start = text.indexOf('{', start + 1);
    }
  }
  return undefined;
}

/** Index of the brace closing the one at `start`, skipping braces inside strings; -1 if none. */
function matchingBrace(text: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
    } else if (ch === '"') inString = true;
    else if (ch === '{') depth++;
    else if (ch === '}' && --depth === 0) return i;
  }
  return -1;
}
