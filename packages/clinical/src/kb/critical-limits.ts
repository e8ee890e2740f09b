/**
 * Critical limits for urgent clinician notification (Kost 1990), in each analyte's canonical
 * unit. A value strictly beyond a limit is LL/HH whatever interval the laboratory printed; the
 * limit itself is not critical ("< 2.8", "> 6.2" in the source).
 */
export interface CriticalLimit {
  readonly low?: number;
  readonly high?: number;
}

export const CRITICAL_SOURCE = 'KOST-1990';

export const criticalLimits: Readonly<Record<string, CriticalLimit>> = {
  glucose_fasting: { low: 2.6, high: 26.9 },
  potassium: { low: 2.8, high: 6.2 },
  sodium: { low: 120, high: 158 },
  calcium: { low: 1.65, high: 3.22 },
  hemoglobin: { low: 66, high: 199 },
  hematocrit: { low: 0.18, high: 0.61 },
  platelets: { low: 37, high: 910 },
  wbc: { low: 2.0, high: 37.0 },
};
