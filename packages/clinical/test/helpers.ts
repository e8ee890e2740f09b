import type { AnalysisInput, AnalysisReport } from '@medora/schema';
import { readFileSync } from 'node:fs';
import { analyze } from '../src/index';

type Lab = AnalysisInput['labs'][number];

export interface Vignette {
  id: string;
  title: string;
  input: AnalysisInput;
  expect: {
    labFlags: Record<string, string>;
    derived?: Record<string, { value: number; tolerance: number }>;
    differentialIncludes: string[][];
    differentialExcludes?: string[];
    redFlag: boolean;
    criticalAnalytes?: string[];
  };
}

export const fixture = <T>(name: string): T =>
  JSON.parse(readFileSync(new URL(`../examples/${name}`, import.meta.url), 'utf8')) as T;

/** A 45-year-old man with no complaints, no vitals and the given labs. */
export function patient(labs: Lab[], extra: Partial<AnalysisInput> = {}): AnalysisInput {
  return {
    locale: 'en',
    patient: { sex: 'male', ageYears: 45 },
    complaints: '',
    labs,
    ...extra,
  };
}

export const codes = (r: AnalysisReport): string[] => r.differential.map((d) => d.code);
export const has = (r: AnalysisReport, prefix: string): boolean =>
  codes(r).some((c) => c.startsWith(prefix));
export const raised = (r: AnalysisReport): boolean =>
  r.redFlags.some((f) => f.severity === 'critical' || f.severity === 'urgent');
export const flagOf = (r: AnalysisReport, code: string) =>
  r.labs.find((l) => l.code === code)?.flag;
export const run = (labs: Lab[], extra?: Partial<AnalysisInput>) => analyze(patient(labs, extra));
