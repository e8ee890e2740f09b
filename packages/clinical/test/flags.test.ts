import { describe, expect, it } from 'vitest';
import { analytes, criticalLimits } from '../src/index';
import { flagOf, raised, run } from './helpers';

const sexes = ['male', 'female'] as const;
const EPS = 1e-6;

describe('flags', () => {
  for (const analyte of analytes) {
    for (const sex of sexes) {
      it(`${analyte.code} (${sex}): bounds inclusive, just beyond is L/H`, () => {
        const band = analyte.intervals.find(
          (b) => (b.sex ?? sex) === sex && b.minAge === undefined,
        );
        expect(band).toBeDefined();
        const at = (value: number) =>
          flagOf(
            run([{ code: analyte.code, value, unit: analyte.siUnit }], {
              patient: { sex, ageYears: 40 },
            }),
            analyte.code,
          );
        if (band!.low !== undefined) {
          expect(at(band!.low)).toBe('N');
          expect(at(band!.low - EPS)).toBe('L');
        }
        if (band!.high !== undefined) {
          // "< 5.17" limits of NCEP ATP III: the limit itself is already high.
          expect(at(band!.high)).toBe(band!.highExclusive ? 'H' : 'N');
          expect(at(band!.high - EPS)).toBe('N');
          expect(at(band!.high + EPS)).toBe('H');
        }
      });
    }
  }

  it.each(Object.entries(criticalLimits))(
    '%s: exactly at a critical limit is not critical, beyond it is',
    (code, limits) => {
      const unit = analytes.find((a) => a.code === code)!.siUnit;
      const at = (value: number) => run([{ code, value, unit }]);
      expect(flagOf(at(limits.low!), code)).toBe('L');
      expect(flagOf(at(limits.low! - EPS), code)).toBe('LL');
      expect(flagOf(at(limits.high!), code)).toBe('H');
      expect(flagOf(at(limits.high! + EPS), code)).toBe('HH');
      expect(raised(at(limits.low! - EPS))).toBe(true);
      expect(raised(at(limits.high!))).toBe(false);
    },
  );

  it('a printed interval replaces the default interval', () => {
    const hb = (value: number, low?: number, high?: number) =>
      flagOf(
        run([{ code: 'hemoglobin', value, unit: 'g/L', referenceLow: low, referenceHigh: high }]),
        'hemoglobin',
      );
    expect(hb(135)).toBe('L');
    expect(hb(135, 130, 170)).toBe('N');
    expect(hb(175, 130, 170)).toBe('H');
    // Printed in g/dL: converted with the value.
    const r = run([
      { code: 'hemoglobin', value: 13.5, unit: 'g/dL', referenceLow: 13, referenceHigh: 17 },
    ]);
    expect(r.labs[0]).toMatchObject({
      flag: 'N',
      referenceLow: 130,
      referenceHigh: 170,
      referenceSource: 'laboratory',
    });
  });

  it('a printed interval never moves the critical limits', () => {
    const k = (value: number) =>
      flagOf(
        run([{ code: 'potassium', value, unit: 'mmol/L', referenceLow: 2, referenceHigh: 8 }]),
        'potassium',
      );
    expect(k(7)).toBe('HH');
    expect(k(2.5)).toBe('LL');
    expect(k(6)).toBe('N');
  });

  it('a one-sided printed interval keeps the default for the other bound', () => {
    const r = run([{ code: 'potassium', value: 3.2, unit: 'mmol/L', referenceHigh: 5.1 }]);
    expect(r.labs[0]).toMatchObject({ flag: 'L', referenceLow: 3.5, referenceHigh: 5.1 });
  });

  it('chooses the interval by sex and age', () => {
    const esr = (sex: 'male' | 'female', ageYears: number, value: number) =>
      flagOf(run([{ code: 'esr', value, unit: 'mm/h' }], { patient: { sex, ageYears } }), 'esr');
    expect(esr('male', 40, 18)).toBe('H');
    expect(esr('male', 55, 18)).toBe('N');
    expect(esr('female', 40, 25)).toBe('H');
    expect(esr('female', 55, 25)).toBe('N');
    const hb = (sex: 'male' | 'female') =>
      flagOf(
        run([{ code: 'hemoglobin', value: 130, unit: 'g/L' }], { patient: { sex, ageYears: 40 } }),
        'hemoglobin',
      );
    expect(hb('male')).toBe('L');
    expect(hb('female')).toBe('N');
  });

  it('an unknown analyte is kept, judged by its printed interval, with a warning', () => {
    const r = run([
      { code: 'lipase', value: 400, unit: 'U/L', referenceLow: 13, referenceHigh: 60 },
      { code: 'troponin', value: 0.5, unit: 'ng/mL' },
    ]);
    expect(r.labs.map((l) => [l.code, l.name, l.flag, l.siValue])).toEqual([
      ['lipase', 'lipase', 'H', null],
      ['troponin', 'troponin', null, null],
    ]);
    expect(r.warnings.map((w) => w.code)).toEqual(['unknown_analyte', 'unknown_analyte']);
  });
});
