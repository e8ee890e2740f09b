import { describe, expect, it } from 'vitest';
import { analyze, egfrCkdEpi2021, gfrCategory } from '../src/index';
import { fixture } from './helpers';

interface Vector {
  sex: 'male' | 'female';
  ageYears: number;
  creatinine: { value: number; unit: string };
  egfr: number;
}

describe('eGFR (CKD-EPI 2021)', () => {
  it.each(fixture<Vector[]>('egfr-vectors.json'))(
    '$sex $ageYears y, creatinine $creatinine.value $creatinine.unit → $egfr',
    (v) => {
      const report = analyze({
        locale: 'en',
        patient: { sex: v.sex, ageYears: v.ageYears },
        complaints: '',
        labs: [{ code: 'creatinine', ...v.creatinine }],
      });
      const egfr = report.derived.find((d) => d.code === 'egfr_ckd_epi_2021');
      expect(Math.abs(egfr!.value - v.egfr)).toBeLessThanOrEqual(0.005);
    },
  );

  it('is not computed under 18, and a warning says so', () => {
    const report = analyze({
      locale: 'ru',
      patient: { sex: 'female', ageYears: 16 },
      complaints: '',
      labs: [{ code: 'creatinine', value: 60, unit: 'umol/L' }],
    });
    expect(report.derived).toEqual([]);
    expect(report.warnings.map((w) => w.code)).toContain('under_18');
  });

  it('maps to the KDIGO categories at their edges', () => {
    expect([90, 89.99, 60, 59.99, 45, 44.99, 30, 29.99, 15, 14.99].map(gfrCategory)).toEqual([
      'G1',
      'G2',
      'G2',
      'G3a',
      'G3a',
      'G3b',
      'G3b',
      'G4',
      'G4',
      'G5',
    ]);
    expect(egfrCkdEpi2021(0.9, 'male', 40)).toBeCloseTo(110.73, 2);
  });
});
