import { describe, expect, it } from 'vitest';
import { analysisInput, analysisReport } from '../src/clinical';

const valid = {
  locale: 'en',
  patient: { sex: 'female', ageYears: 40 },
  complaints: 'Tired',
  labs: [{ code: 'hemoglobin', value: 110, unit: 'g/L' }],
};
const paths = (input: unknown) => {
  const r = analysisInput.safeParse(input);
  return r.success ? [] : r.error.issues.map((i) => i.path.join('.'));
};

describe('clinical analysis input', () => {
  it('accepts a minimal input and drops unknown keys', () => {
    const r = analysisInput.parse({ ...valid, extra: 1, patient: { ...valid.patient, x: 2 } });
    expect(r).toEqual(valid);
  });

  it('normalises the lab code', () => {
    const r = analysisInput.parse({
      ...valid,
      labs: [{ code: ' Hemoglobin ', value: 1, unit: 'g/L' }],
    });
    expect(r.labs[0]!.code).toBe('hemoglobin');
  });

  it.each([
    [{ ...valid, patient: { sex: 'other', ageYears: 40 } }, 'patient.sex'],
    [{ ...valid, patient: { sex: 'male', ageYears: 40.5 } }, 'patient.ageYears'],
    [{ ...valid, patient: { sex: 'male', ageYears: 131 } }, 'patient.ageYears'],
    [{ ...valid, patient: { sex: 'male' } }, 'patient.ageYears'],
    [{ ...valid, locale: 'de' }, 'locale'],
    [{ ...valid, complaints: 'x'.repeat(4001) }, 'complaints'],
    [{ ...valid, complaints: undefined }, 'complaints'],
    [{ ...valid, labs: [{ code: 'k', value: -0.1, unit: 'mmol/L' }] }, 'labs.0.value'],
    [{ ...valid, labs: [{ code: 'k', value: '4', unit: 'mmol/L' }] }, 'labs.0.value'],
    [{ ...valid, labs: [{ code: 'k', value: Number.NaN, unit: 'mmol/L' }] }, 'labs.0.value'],
    [{ ...valid, labs: [{ code: 'k', value: Infinity, unit: 'mmol/L' }] }, 'labs.0.value'],
    [{ ...valid, labs: [{ code: 'k-1', value: 1, unit: 'mmol/L' }] }, 'labs.0.code'],
    [{ ...valid, labs: [{ code: 'k', value: 1, unit: '' }] }, 'labs.0.unit'],
    [
      { ...valid, labs: [{ code: 'k', value: 1, unit: 'u', referenceLow: 5, referenceHigh: 2 }] },
      'labs.0.referenceLow',
    ],
    [{ ...valid, labs: Array.from({ length: 101 }, () => valid.labs[0]) }, 'labs'],
    [{ ...valid, vitals: { temperatureC: 98.6 } }, 'vitals.temperatureC'],
    [{ ...valid, vitals: { spo2: 101 } }, 'vitals.spo2'],
    [{ ...valid, vitals: { systolicBp: 80, diastolicBp: 90 } }, 'vitals.diastolicBp'],
    [{ ...valid, patient: { sex: 'male', ageYears: 40, weightKg: 0 } }, 'patient.weightKg'],
  ])('refuses %o at %s', (input, path) => {
    expect(paths(input)).toContain(path);
  });

  it('accepts a printed interval with one bound, or with null bounds', () => {
    for (const bounds of [{ referenceLow: 1 }, { referenceHigh: 5 }, { referenceLow: null }])
      expect(paths({ ...valid, labs: [{ code: 'k', value: 1, unit: 'u', ...bounds }] })).toEqual(
        [],
      );
  });
});

describe('clinical analysis report', () => {
  it('allows an unknown analyte row with null SI value and flag', () => {
    const report = {
      engine: { kind: 'rules', version: '1.0.0', knowledgeBase: '2026.12-1' },
      locale: 'ru',
      labs: [
        {
          code: 'lipase',
          name: 'lipase',
          value: 40,
          unit: 'U/L',
          siValue: null,
          siUnit: null,
          referenceLow: null,
          referenceHigh: null,
          referenceSource: null,
          flag: null,
        },
      ],
      derived: [],
      redFlags: [],
      differential: [],
      recommendedTests: [],
      warnings: [{ code: 'unknown_analyte', message: '…', analyte: 'lipase' }],
      disclaimer: '…',
    };
    expect(analysisReport.parse(report)).toEqual(report);
    expect(
      analysisReport.safeParse({ ...report, labs: [{ ...report.labs[0], flag: 'X' }] }).success,
    ).toBe(false);
  });
});
