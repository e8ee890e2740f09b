import type { LabFlag, PatientSex } from '@medora/schema';
import type { Analyte, IntervalBand } from './kb/analytes';
import type { CriticalLimit } from './kb/critical-limits';

/** The interval a value is judged against, in the unit of the value. */
export interface Interval {
  readonly low: number | null;
  readonly high: number | null;
  readonly highExclusive: boolean;
  /** A source id, or `laboratory` for a printed interval. */
  readonly source: string | null;
}

export const PRINTED_SOURCE = 'laboratory';

/** The first band of the analyte whose sex and age match (bands are ordered specific first). */
export function defaultBand(analyte: Analyte, sex: PatientSex, ageYears: number): IntervalBand {
  const band = analyte.intervals.find(
    (b) =>
      (b.sex === undefined || b.sex === sex) && (b.minAge === undefined || ageYears >= b.minAge),
  );
  // Every analyte has a band for each sex; the knowledge-base test holds this.
  if (!band) throw new Error(`no reference interval for ${analyte.code} (${sex}, ${ageYears})`);
  return band;
}

/**
 * The laboratory's printed interval replaces the default one. A printed interval with only one
 * bound keeps the default's other bound (a report printing "K ≤ 5.1" still has a lower limit);
 * when the value's unit cannot be converted there is no default, and only the printed bounds count.
 */
export function applyPrinted(
  band: IntervalBand | null,
  printedLow: number | null,
  printedHigh: number | null,
): Interval {
  const printed = printedLow !== null || printedHigh !== null;
  if (!band || printed) {
    return {
      low: printedLow ?? band?.low ?? null,
      high: printedHigh ?? band?.high ?? null,
      highExclusive: printedHigh === null && (band?.highExclusive ?? false),
      source: printed ? PRINTED_SOURCE : null,
    };
  }
  return {
    low: band.low ?? null,
    high: band.high ?? null,
    highExclusive: band.highExclusive ?? false,
    source: band.source,
  };
}

/**
 * HL7 interpretation of one value: LL/HH strictly beyond a critical limit (never moved by a
 * printed interval), else L/H outside the interval, bounds inclusive, else N. Null when there is
 * nothing to judge against.
 */
export function flagValue(
  value: number,
  interval: Interval,
  critical: CriticalLimit | undefined,
): LabFlag | null {
  if (critical?.low !== undefined && value < critical.low) return 'LL';
  if (critical?.high !== undefined && value > critical.high) return 'HH';
  if (interval.low === null && interval.high === null) return null;
  if (interval.low !== null && value < interval.low) return 'L';
  if (interval.high !== null) {
    if (value > interval.high || (interval.highExclusive && value === interval.high)) return 'H';
  }
  return 'N';
}
