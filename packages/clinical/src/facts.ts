import type { AnalysisVitals, LabFlag, PatientSex } from '@medora/schema';
import type { FactId } from './kb/rules';

/** A measured, converted lab value as the rules see it. */
export interface LabFact {
  readonly code: string;
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  readonly siValue: number;
  readonly siUnit: string;
  readonly flag: LabFlag | null;
  /** Upper bound of the interval applied (printed or default), canonical unit. */
  readonly high: number | null;
}

/** Everything the differential and the red flags are decided on. */
export interface Facts {
  readonly sex: PatientSex;
  readonly ageYears: number;
  /** First value of each known analyte given in a convertible unit. */
  readonly labs: ReadonlyMap<string, LabFact>;
  readonly numbers: Readonly<Partial<Record<FactId, number>>>;
  readonly vitals: AnalysisVitals;
  /** Symptom group id → the clause of the complaints that showed it. */
  readonly symptoms: ReadonlyMap<string, string>;
  /** History group id → the clause of history, medications or complaints that showed it. */
  readonly history: ReadonlyMap<string, string>;
}
