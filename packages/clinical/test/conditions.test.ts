import { describe, expect, it } from 'vitest';
import { analyze } from '../src/index';
import { codes, flagOf, has, raised, run } from './helpers';

describe('conditions beyond the vignettes', () => {
  it('a man with Hb 95, MCV 70 and ferritin 8 has iron-deficiency anaemia', () => {
    const r = run([
      { code: 'hemoglobin', value: 95, unit: 'g/L' },
      { code: 'mcv', value: 70, unit: 'fL' },
      { code: 'ferritin', value: 8, unit: 'ng/mL' },
    ]);
    expect(codes(r)[0]).toBe('D50.9');
    expect(has(r, 'D51')).toBe(false);
    expect(r.differential[0]!.referral?.specialty).toBe('gastroenterology');
  });

  it('microcytosis with a high ferritin argues against iron deficiency', () => {
    const r = run([
      { code: 'hemoglobin', value: 110, unit: 'g/L' },
      { code: 'mcv', value: 72, unit: 'fL' },
      { code: 'ferritin', value: 250, unit: 'ug/L' },
    ]);
    expect(has(r, 'D50')).toBe(false);
    expect(has(r, 'D64')).toBe(true);
  });

  it('Hb 125 g/L is anaemia in a man (WHO < 130) but not in a woman (< 120)', () => {
    const hb = [{ code: 'hemoglobin', value: 125, unit: 'g/L' }];
    expect(has(run(hb), 'D64')).toBe(true);
    expect(has(run(hb, { patient: { sex: 'female', ageYears: 45 } }), 'D64')).toBe(false);
  });

  it('TSH 9 with a normal free T4 is subclinical hypothyroidism', () => {
    const r = run([
      { code: 'tsh', value: 9, unit: 'mIU/L' },
      { code: 'free_t4', value: 14, unit: 'pmol/L' },
    ]);
    expect(codes(r)).toEqual(['E03.8']);
  });

  it('ALT 400 with ALP 110 is a hepatocellular pattern, not cholestatic', () => {
    const r = run([
      { code: 'alt', value: 400, unit: 'U/L' },
      { code: 'alp', value: 110, unit: 'U/L' },
    ]);
    expect(r.differential[0]!.code).toBe('R74.0');
    expect(r.differential[0]!.name).toMatch(/hepatocellular/);
    expect(has(r, 'K83')).toBe(false);
    expect(has(r, 'R74.8')).toBe(false);
  });

  it('ALP 400 with ALT 50 is cholestatic (R < 2)', () => {
    const r = run([
      { code: 'alt', value: 50, unit: 'U/L' },
      { code: 'alp', value: 400, unit: 'U/L' },
      { code: 'ggt', value: 300, unit: 'U/L' },
    ]);
    expect(has(r, 'R74.8')).toBe(true);
    expect(has(r, 'R74.0')).toBe(false);
  });

  it('potassium 6.5 is HH, hyperkalaemia and a critical red flag', () => {
    const r = run([{ code: 'potassium', value: 6.5, unit: 'mmol/L' }]);
    expect(flagOf(r, 'potassium')).toBe('HH');
    expect(has(r, 'E87.5')).toBe(true);
    expect(r.redFlags.map((f) => [f.code, f.severity])).toEqual([
      ['critical_lab.potassium', 'critical'],
    ]);
    expect(r.differential[0]!.referral).toMatchObject({
      specialty: 'emergency',
      urgency: 'urgent',
    });
  });

  it('fasting glucose 8.2 mmol/L is diabetes, confirmation noted', () => {
    const r = run([{ code: 'glucose_fasting', value: 8.2, unit: 'mmol/L' }]);
    expect(codes(r)).toEqual(['E11.9']);
    expect(r.differential[0]!.evidenceAgainst.join(' ')).toMatch(/ADA 2025/);
  });

  it('fasting glucose 110 mg/dL is prediabetes, 99 mg/dL is nothing', () => {
    expect(codes(run([{ code: 'glucose_fasting', value: 110, unit: 'mg/dL' }]))).toEqual(['R73.0']);
    expect(codes(run([{ code: 'glucose_fasting', value: 99, unit: 'mg/dL' }]))).toEqual([]);
  });

  it('glucose 3.2 mmol/L on insulin is drug-induced hypoglycaemia', () => {
    const r = run([{ code: 'glucose_fasting', value: 3.2, unit: 'mmol/L' }], {
      medications: ['insulin glargine 20 U'],
    });
    expect(has(r, 'E16.0')).toBe(true);
  });

  it('urate 520 µmol/L is hyperuricaemia; with a painful big toe also gout', () => {
    const urate = [{ code: 'uric_acid', value: 520, unit: 'µmol/L' }];
    expect(codes(run(urate))).toEqual(['E79.0']);
    const gout = run(urate, { complaints: 'Red, swollen, painful big toe since last night' });
    expect(codes(gout)).toEqual(['M10.9', 'E79.0']);
  });

  it('CRP 80, WBC 15 and fever point to infection', () => {
    const r = run(
      [
        { code: 'crp', value: 80, unit: 'mg/L' },
        { code: 'wbc', value: 15, unit: '10^9/L' },
      ],
      { vitals: { temperatureC: 38.6 } },
    );
    for (const c of ['A49', 'R50', 'D72.8']) expect(has(r, c), c).toBe(true);
    expect(has(r, 'A41')).toBe(false);
  });

  it('urinary symptoms with fever and flank pain: UTI and pyelonephritis', () => {
    const r = run([{ code: 'crp', value: 60, unit: 'mg/L' }], {
      locale: 'ru',
      complaints: 'Жжение при мочеиспускании, боль в пояснице справа, озноб',
    });
    expect(has(r, 'N39.0')).toBe(true);
    expect(has(r, 'N10')).toBe(true);
  });

  it('platelets 90 is thrombocytopenia without a red flag', () => {
    const r = run([{ code: 'platelets', value: 90, unit: '10^3/uL' }]);
    expect(codes(r)).toEqual(['D69.6']);
    expect(raised(r)).toBe(false);
  });

  it('BP 150/95: raised reading, or hypertension when it is known', () => {
    const bp = { vitals: { systolicBp: 150, diastolicBp: 95 } };
    expect(codes(run([], bp))).toEqual(['R03.0']);
    expect(codes(run([], { ...bp, history: 'Hypertension for 5 years' }))).toEqual(['I10']);
    expect(codes(run([], { ...bp, medications: ['amlodipine 5 mg'] }))).toEqual(['I10']);
    expect(raised(run([], bp))).toBe(false);
  });

  it('eGFR about 40 is CKD G3b, with the 3-month caveat when nothing says it is chronic', () => {
    const r = run([{ code: 'creatinine', value: 170, unit: 'umol/L' }]);
    const egfr = r.derived.find((d) => d.code === 'egfr_ckd_epi_2021')!.value;
    expect(egfr).toBeGreaterThanOrEqual(30);
    expect(egfr).toBeLessThan(45);
    const ckd = r.differential.find((d) => d.code.startsWith('N18'))!;
    expect(ckd.name).toMatch(/G3b/);
    expect(ckd.evidenceAgainst.join(' ')).toMatch(/3 months/);
    expect(r.warnings.map((w) => w.code)).toContain('ckd_chronicity');
    const chronic = run([{ code: 'creatinine', value: 170, unit: 'umol/L' }], {
      history: 'CKD, creatinine raised for two years',
    });
    expect(chronic.warnings.map((w) => w.code)).not.toContain('ckd_chronicity');
  });

  it('sodium 128 is hyponatraemia, 122 profound, 118 critical', () => {
    const na = (value: number) => run([{ code: 'sodium', value, unit: 'mmol/L' }]);
    expect(na(128).differential[0]!.name).toBe('Hyponatraemia');
    expect(na(122).differential[0]!.name).toMatch(/Profound/);
    expect(raised(na(122))).toBe(false);
    expect(raised(na(118))).toBe(true);
  });

  it('hypercalcaemia is read on the albumin-corrected value', () => {
    const ca = (albumin: number) =>
      run([
        { code: 'calcium', value: 2.6, unit: 'mmol/L' },
        { code: 'albumin', value: albumin, unit: 'g/L' },
      ]);
    expect(has(ca(40), 'E83.5')).toBe(true);
    expect(has(ca(40), 'E21')).toBe(true);
    // 2.60 + 0.02 × (40 − 50) = 2.40: normal once corrected.
    expect(has(ca(50), 'E83.5')).toBe(false);
  });

  it('derived values appear whenever their inputs are present', () => {
    const r = analyze({
      locale: 'uz',
      patient: { sex: 'female', ageYears: 40, weightKg: 60, heightCm: 160 },
      complaints: '',
      labs: [
        { code: 'sodium', value: 140, unit: 'mmol/L' },
        { code: 'chloride', value: 100, unit: 'mmol/L' },
        { code: 'bicarbonate', value: 24, unit: 'mmol/L' },
        { code: 'calcium', value: 2.2, unit: 'mmol/L' },
        { code: 'albumin', value: 30, unit: 'g/L' },
        { code: 'total_cholesterol', value: 5, unit: 'mmol/L' },
        { code: 'hdl', value: 1.2, unit: 'mmol/L' },
      ],
    });
    expect(r.derived.map((d) => [d.code, d.value])).toEqual([
      ['bmi', 23.44],
      ['anion_gap', 16],
      ['corrected_calcium', 2.4],
      ['non_hdl_cholesterol', 3.8],
    ]);
    for (const d of r.derived) {
      expect(d.interpretation).not.toBe('');
      expect(d.source).not.toBe('');
    }
  });

  it.each([
    ['total_cholesterol', 240, 239, 'E78.0'],
    ['ldl', 160, 159, 'E78.0'],
    ['triglycerides', 200, 199, 'E78.1'],
  ] as const)('NCEP ATP III: %s %d mg/dL is %s, %d is not', (code, at, below, icd) => {
    expect(codes(run([{ code, value: at, unit: 'mg/dL' }]))).toEqual([icd]);
    expect(codes(run([{ code, value: below, unit: 'mg/dL' }]))).toEqual([]);
  });

  it('NCEP ATP III: HDL below 40 mg/dL is low', () => {
    expect(codes(run([{ code: 'hdl', value: 39, unit: 'mg/dL' }]))).toEqual(['E78.6']);
    expect(codes(run([{ code: 'hdl', value: 40, unit: 'mg/dL' }]))).toEqual([]);
  });

  it.each([
    [{ code: 'hba1c', value: 6.5, unit: '%' }, 'E11.9'],
    [{ code: 'hba1c', value: 6.4, unit: '%' }, 'R73.0'],
    [{ code: 'hba1c', value: 48, unit: 'mmol/mol' }, 'E11.9'],
    [{ code: 'hba1c', value: 47, unit: 'mmol/mol' }, 'R73.0'],
    [{ code: 'hba1c', value: 39, unit: 'mmol/mol' }, 'R73.0'],
    [{ code: 'glucose_fasting', value: 126, unit: 'mg/dL' }, 'E11.9'],
    [{ code: 'glucose_fasting', value: 125, unit: 'mg/dL' }, 'R73.0'],
    [{ code: 'glucose_fasting', value: 7.0, unit: 'mmol/L' }, 'E11.9'],
  ])('ADA 2025 cut-offs: %o → %s', (lab, icd) => {
    expect(codes(run([lab]))).toEqual([icd]);
  });

  it('raised bilirubin alone is hyperbilirubinaemia, not biliary obstruction', () => {
    const alone = run([
      { code: 'bilirubin_total', value: 40, unit: 'umol/L' },
      { code: 'alt', value: 20, unit: 'U/L' },
      { code: 'alp', value: 80, unit: 'U/L' },
    ]);
    expect(codes(alone)).toEqual(['R17']);
    const obstructed = run([
      { code: 'bilirubin_total', value: 80, unit: 'umol/L' },
      { code: 'alt', value: 60, unit: 'U/L' },
      { code: 'alp', value: 500, unit: 'U/L' },
    ]);
    expect(has(obstructed, 'K83')).toBe(true);
  });

  it('the differential is ranked by score, then code', () => {
    const r = run([
      { code: 'hemoglobin', value: 100, unit: 'g/L' },
      { code: 'potassium', value: 5.6, unit: 'mmol/L' },
      { code: 'sodium', value: 130, unit: 'mmol/L' },
      { code: 'platelets', value: 120, unit: '10^9/L' },
    ]);
    const pairs = r.differential.map((d) => [d.score, d.code] as const);
    const sorted = [...pairs].sort((a, b) => b[0] - a[0] || (a[1] < b[1] ? -1 : 1));
    expect(pairs).toEqual(sorted);
    expect(r.recommendedTests.length).toBe(new Set(r.recommendedTests.map((t) => t.code)).size);
  });

  it('warns about pregnancy and age under 18', () => {
    const r = analyze({
      locale: 'en',
      patient: { sex: 'female', ageYears: 17, pregnant: true },
      complaints: '',
      labs: [],
    });
    expect(r.warnings.map((w) => w.code)).toEqual(['pregnant', 'under_18']);
  });
});
