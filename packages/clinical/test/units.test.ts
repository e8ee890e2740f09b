import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analytes, analyze, convert, normalizeUnit } from '../src/index';
import { findUnit, fromSi, toSi } from '../src/units';
import { patient } from './helpers';

const pairs = analytes.flatMap((a) => a.units.map((u) => [a.code, u.unit] as const));

describe('unit conversion', () => {
  it.each(pairs)('%s: %s → SI → %s and back', (code, unit) => {
    const analyte = analytes.find((a) => a.code === code)!;
    const def = findUnit(analyte, unit)!;
    fc.assert(
      fc.property(fc.double({ min: 0.01, max: 10_000, noNaN: true }), (x) => {
        expect(fromSi(def, toSi(def, x))).toBeCloseTo(x, 6);
        const si = convert(analyte, x, unit, analyte.siUnit)!;
        expect(convert(analyte, si, analyte.siUnit, unit)).toBeCloseTo(x, 6);
      }),
    );
  });

  it.each(pairs)('%s in %s is flagged as the same value in SI', (code, unit) => {
    const analyte = analytes.find((a) => a.code === code)!;
    const def = findUnit(analyte, unit)!;
    fc.assert(
      fc.property(fc.double({ min: 0.01, max: 2_000, noNaN: true }), (x) => {
        const si = toSi(def, x);
        const a = analyze(patient([{ code, value: x, unit }]));
        const b = analyze(patient([{ code, value: si, unit: analyte.siUnit }]));
        expect(a.labs[0]!.siValue).toBe(si);
        expect(a.labs[0]!.flag).toBe(b.labs[0]!.flag);
      }),
      { numRuns: 30 },
    );
  });

  it('uses the factors of the specification', () => {
    const c = (code: string, v: number, from: string, to: string) =>
      convert(
        analytes.find((a) => a.code === code)!,
        v,
        from,
        to,
      );
    expect(c('glucose_fasting', 126, 'mg/dL', 'mmol/L')).toBe(7);
    expect(c('hemoglobin', 9.1, 'g/dL', 'g/L')).toBe(91);
    expect(c('creatinine', 0.7, 'mg/dL', 'umol/L')).toBe(61.88);
    expect(c('hba1c', 48, 'mmol/mol', '%')).toBeCloseTo(6.543, 3);
    expect(c('urea', 27, 'mg/dL', 'mmol/L')).toBeCloseTo(9.639, 3);
    expect(c('free_t4', 0.45, 'ng/dL', 'pmol/L')).toBeCloseTo(5.79, 2);
    expect(c('triglycerides', 200, 'mg/dL', 'mmol/L')).toBeCloseTo(2.258, 3);
    expect(c('hematocrit', 45, '%', 'L/L')).toBe(0.45);
    expect(c('calcium', 10, 'mg/dL', 'mmol/L')).toBeCloseTo(2.495, 3);
  });

  it('accepts the usual spellings of a unit', () => {
    const same = [
      ['mg/dl', 'mg/dL', 'MG/DL', 'мг/дл'],
      ['µmol/L', 'umol/l', 'μmol/L', 'mcmol/L', 'мкмоль/л'],
      ['mmol/l', 'mmol/L', 'ммоль/л', ' mmol / L '],
      ['10^9/L', '10*9/L', 'x10^9/L', '×10⁹/L', '10E9/L', '109/L', '10^9/л'],
      ['10^3/uL', '10^3/µL', 'x10^3/uL', '10³/µl'],
      ['g/dl', 'g/dL', 'г/дл'],
      ['mm/h', 'mm/hr', 'мм/ч'],
      ['U/L', 'u/l', 'ЕД/л'],
    ];
    for (const group of same) expect(new Set(group.map(normalizeUnit)).size, group[0]).toBe(1);
    const wbc = analytes.find((a) => a.code === 'wbc')!;
    for (const u of ['10*9/L', 'x10^9/L', '10^3/µL', 'K/uL'])
      expect(findUnit(wbc, u)).toBeDefined();
  });

  it('keeps a row with an unconvertible unit, flags it from its printed interval, and warns', () => {
    const r = analyze(
      patient([
        { code: 'ferritin', value: 500, unit: 'mmol/kg', referenceLow: 10, referenceHigh: 300 },
        { code: 'glucose_fasting', value: 3, unit: 'furlongs' },
      ]),
    );
    expect(r.labs[0]).toMatchObject({ siValue: null, siUnit: null, flag: 'H', referenceHigh: 300 });
    expect(r.labs[1]).toMatchObject({ siValue: null, flag: null, referenceSource: null });
    expect(r.warnings.map((w) => [w.code, w.analyte])).toEqual([
      ['unconvertible_unit', 'ferritin'],
      ['unconvertible_unit', 'glucose_fasting'],
    ]);
    // Without a convertible value no critical limit or condition applies.
    expect(r.redFlags).toEqual([]);
    expect(r.differential).toEqual([]);
  });
});
