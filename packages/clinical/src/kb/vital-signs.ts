import type { RedFlagSeverity } from '@medora/schema';
import type { Criterion, VitalId } from './rules';
import type { SourceId } from './sources';

/** Units of the vital signs, for evidence text. */
export const vitalUnits: Readonly<Record<VitalId, string>> = {
  systolicBp: 'mmHg',
  diastolicBp: 'mmHg',
  heartRate: '/min',
  respiratoryRate: '/min',
  temperatureC: '°C',
  spo2: '%',
};

export interface VitalRedFlag {
  readonly code: string;
  readonly severity: RedFlagSeverity;
  /** Any of these raises the flag; each one that holds is evidence. */
  readonly any: readonly Criterion[];
  readonly source: SourceId;
}

/** Danger vital signs: each raises a red flag of its own. */
export const vitalRedFlags: readonly VitalRedFlag[] = [
  {
    code: 'hypertensive_crisis',
    severity: 'urgent',
    any: [
      { vital: 'systolicBp', op: '>', value: 180 },
      { vital: 'diastolicBp', op: '>', value: 120 },
    ],
    source: 'ACC-AHA-2017',
  },
  {
    code: 'hypotension',
    severity: 'critical',
    any: [{ vital: 'systolicBp', op: '<', value: 90 }],
    source: 'SEPSIS-3',
  },
  {
    code: 'hypoxaemia',
    severity: 'critical',
    any: [{ vital: 'spo2', op: '<', value: 92 }],
    source: 'SEPSIS-3',
  },
  {
    code: 'tachycardia',
    severity: 'urgent',
    any: [{ vital: 'heartRate', op: '>', value: 130 }],
    source: 'SEPSIS-3',
  },
  {
    code: 'bradycardia',
    severity: 'urgent',
    any: [{ vital: 'heartRate', op: '<', value: 40 }],
    source: 'SEPSIS-3',
  },
  {
    code: 'tachypnoea',
    severity: 'urgent',
    any: [{ vital: 'respiratoryRate', op: '>=', value: 30 }],
    source: 'SEPSIS-3',
  },
  {
    code: 'hyperpyrexia',
    severity: 'urgent',
    any: [{ vital: 'temperatureC', op: '>=', value: 39.5 }],
    source: 'LEVY-2003',
  },
];

/** Sepsis-like signs (Levy 2003 temperature, qSOFA-style rate and pressure limits, Sepsis-3). */
export const sepsisSigns: readonly Criterion[] = [
  { vital: 'temperatureC', op: '>', value: 38.3 },
  { vital: 'heartRate', op: '>', value: 100 },
  { vital: 'respiratoryRate', op: '>', value: 22 },
  { vital: 'systolicBp', op: '<=', value: 100 },
];
/** Two or more sepsis-like signs raise an urgent red flag. */
export const SEPSIS_SIGNS_FOR_FLAG = 2;
