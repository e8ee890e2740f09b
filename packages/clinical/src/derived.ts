import type { AnalysisDerived, Locale, PatientSex } from '@medora/schema';
import { t } from './i18n';
import type { MessageKey } from './kb/messages';

/** Two decimals: the precision the report shows and the eGFR test vectors are given in. */
const round2 = (x: number): number => Math.round(x * 100) / 100;

/**
 * CKD-EPI 2021 creatinine equation (race-free), Scr in mg/dL:
 * 142 × min(Scr/κ, 1)^α × max(Scr/κ, 1)^−1.200 × 0.9938^age × 1.012 [female].
 */
export function egfrCkdEpi2021(creatinineMgDl: number, sex: PatientSex, ageYears: number): number {
  const female = sex === 'female';
  const kappa = female ? 0.7 : 0.9;
  const alpha = female ? -0.241 : -0.302;
  const ratio = creatinineMgDl / kappa;
  return (
    142 *
    Math.min(ratio, 1) ** alpha *
    Math.max(ratio, 1) ** -1.2 *
    0.9938 ** ageYears *
    (female ? 1.012 : 1)
  );
}

/** KDIGO 2024 GFR category. */
export function gfrCategory(egfr: number): 'G1' | 'G2' | 'G3a' | 'G3b' | 'G4' | 'G5' {
  if (egfr >= 90) return 'G1';
  if (egfr >= 60) return 'G2';
  if (egfr >= 45) return 'G3a';
  if (egfr >= 30) return 'G3b';
  if (egfr >= 15) return 'G4';
  return 'G5';
}

function bmiCategory(bmi: number): MessageKey {
  if (bmi < 18.5) return 'derived.bmi.underweight';
  if (bmi < 25) return 'derived.bmi.normal';
  if (bmi < 30) return 'derived.bmi.overweight';
  if (bmi < 35) return 'derived.bmi.obesity1';
  if (bmi < 40) return 'derived.bmi.obesity2';
  return 'derived.bmi.obesity3';
}

/** Kraut & Madias 2007: 3–11 mmol/L with ion-selective electrodes, potassium left out. */
const ANION_GAP = { low: 3, high: 11 };
/** The default adult calcium interval, against which the corrected value is read. */
const CALCIUM = { low: 2.15, high: 2.55 };
/** NCEP ATP III: non-HDL goals are the LDL goals + 30 mg/dL (130 and 190 mg/dL). */
const NON_HDL = { desirable: 130 * 0.02586, high: 190 * 0.02586 };

/** Inputs of the derived values, in canonical units; absent ones are undefined. */
export interface DerivedInputs {
  readonly sex: PatientSex;
  readonly ageYears: number;
  readonly weightKg?: number;
  readonly heightCm?: number;
  /** Creatinine in mg/dL, as the equation wants it. */
  readonly creatinineMgDl?: number;
  readonly sodium?: number;
  readonly chloride?: number;
  readonly bicarbonate?: number;
  readonly calcium?: number;
  readonly albumin?: number;
  readonly totalCholesterol?: number;
  readonly hdl?: number;
}

/** Every derived value whose inputs are present, in the contract's order, values to 2 dp. */
export function computeDerived(inp: DerivedInputs, locale: Locale): AnalysisDerived[] {
  const out: AnalysisDerived[] = [];
  // CKD-EPI is validated in adults only.
  if (inp.creatinineMgDl !== undefined && inp.ageYears >= 18) {
    const egfr = egfrCkdEpi2021(inp.creatinineMgDl, inp.sex, inp.ageYears);
    out.push({
      code: 'egfr_ckd_epi_2021',
      value: round2(egfr),
      unit: 'mL/min/1.73 m²',
      interpretation: t(locale, `derived.egfr.${gfrCategory(round2(egfr))}`),
      source: 'CKD-EPI-2021',
    });
  }
  if (inp.weightKg !== undefined && inp.heightCm !== undefined) {
    const bmi = round2(inp.weightKg / (inp.heightCm / 100) ** 2);
    out.push({
      code: 'bmi',
      value: bmi,
      unit: 'kg/m²',
      interpretation: t(locale, bmiCategory(bmi)),
      source: 'WHO-BMI',
    });
  }
  if (inp.sodium !== undefined && inp.chloride !== undefined && inp.bicarbonate !== undefined) {
    const gap = round2(inp.sodium - (inp.chloride + inp.bicarbonate));
    const band = gap < ANION_GAP.low ? 'low' : gap > ANION_GAP.high ? 'high' : 'normal';
    out.push({
      code: 'anion_gap',
      value: gap,
      unit: 'mmol/L',
      interpretation: t(locale, `derived.anion_gap.${band}`),
      source: 'KRAUT-2007',
    });
  }
  if (inp.calcium !== undefined && inp.albumin !== undefined) {
    const corrected = round2(inp.calcium + 0.02 * (40 - inp.albumin));
    const band = corrected < CALCIUM.low ? 'low' : corrected > CALCIUM.high ? 'high' : 'normal';
    out.push({
      code: 'corrected_calcium',
      value: corrected,
      unit: 'mmol/L',
      interpretation: t(locale, `derived.corrected_calcium.${band}`),
      source: 'PAYNE-1973',
    });
  }
  if (inp.totalCholesterol !== undefined && inp.hdl !== undefined) {
    const nonHdl = round2(inp.totalCholesterol - inp.hdl);
    const band =
      nonHdl < NON_HDL.desirable ? 'desirable' : nonHdl < NON_HDL.high ? 'borderline' : 'high';
    out.push({
      code: 'non_hdl_cholesterol',
      value: nonHdl,
      unit: 'mmol/L',
      interpretation: t(locale, `derived.non_hdl.${band}`),
      source: 'NCEP-ATP-III',
    });
  }
  return out;
}
