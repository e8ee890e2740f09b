import type { LabFlag, PatientSex, ReferralUrgency } from '@medora/schema';
import type { Localized } from './localized';
import type { MessageKey } from './messages';
import type { SourceId } from './sources';
import type { TestId } from './tests';

/**
 * The conditions of the differential, as data. A rule is met when `requires` holds; its ICD-10
 * code and name come from the first matching variant (the stage of CKD, the pattern of a liver
 * injury); its score is `base` plus the weights of the `supports` that hold minus those of the
 * `against` that hold, clamped to 0–100. Evidence sentences are generated from the criteria that
 * held (see ../differential.ts), or taken from `message` where a sentence needs more context.
 * Thresholds are written in the unit the guideline uses and converted once at start-up.
 */

export type Op = '<' | '<=' | '>' | '>=';

/** Numbers the engine computes before the rules run (see ../facts.ts). */
export type FactId =
  'egfr' | 'bmi' | 'anion_gap' | 'calcium_adjusted' | 'liver_r' | 'alt_uln' | 'sepsis_signs';

export type VitalId =
  'systolicBp' | 'diastolicBp' | 'heartRate' | 'respiratoryRate' | 'temperatureC' | 'spo2';

export type Criterion =
  /** A lab value against a threshold; `unit` is the threshold's unit (default: canonical). */
  | { readonly lab: string; readonly op: Op; readonly value: number; readonly unit?: string }
  /** A lab's HL7 flag is one of `in` (so printed intervals are honoured). */
  | { readonly flag: string; readonly in: readonly LabFlag[] }
  /** The analyte was measured (in a convertible unit). */
  | { readonly measured: string }
  | { readonly fact: FactId; readonly op: Op; readonly value: number }
  | { readonly vital: VitalId; readonly op: Op; readonly value: number }
  | { readonly symptom: string }
  | { readonly history: string }
  | { readonly sex: PatientSex }
  | { readonly age: Op; readonly value: number }
  | { readonly all: readonly Criterion[] }
  | { readonly any: readonly Criterion[] }
  | { readonly not: Criterion };

export interface Weighted {
  readonly when: Criterion;
  readonly weight: number;
  /** A fixed evidence sentence instead of the generated one. */
  readonly message?: MessageKey;
}

export type SpecialtyId =
  | 'haematology'
  | 'gastroenterology'
  | 'gynaecology'
  | 'endocrinology'
  | 'nephrology'
  | 'rheumatology'
  | 'emergency'
  | 'urology';

export interface Referral {
  readonly specialty: SpecialtyId;
  readonly urgency: ReferralUrgency;
}

export interface Variant {
  readonly when?: Criterion;
  readonly code: string;
  readonly name: Localized;
  /** Replaces the rule's referral for this variant. */
  readonly referral?: Referral;
}

export interface ConditionRule {
  readonly id: string;
  readonly requires: Criterion;
  /** The last variant has no `when` and catches everything else. */
  readonly variants: readonly [...Variant[], Variant];
  readonly base: number;
  readonly supports: readonly Weighted[];
  readonly against: readonly Weighted[];
  readonly tests: readonly TestId[];
  readonly referral?: Referral;
  readonly sources: readonly SourceId[];
}

/** Conditions scoring below this are not reported: the evidence is too thin to be useful. */
export const MIN_SCORE = 20;

const HIGH: readonly LabFlag[] = ['H', 'HH'];
const LOW: readonly LabFlag[] = ['L', 'LL'];
const high = (analyte: string): Criterion => ({ flag: analyte, in: HIGH });
const low = (analyte: string): Criterion => ({ flag: analyte, in: LOW });
const lab = (analyte: string, op: Op, value: number, unit?: string): Criterion =>
  unit === undefined ? { lab: analyte, op, value } : { lab: analyte, op, value, unit };
const notMeasured = (analyte: string): Criterion => ({ not: { measured: analyte } });

// WHO 2024 haemoglobin cut-offs for non-pregnant adults.
const ANAEMIA: Criterion = {
  any: [
    { all: [{ sex: 'male' }, lab('hemoglobin', '<', 130)] },
    { all: [{ sex: 'female' }, lab('hemoglobin', '<', 120)] },
  ],
};
const MICROCYTIC = lab('mcv', '<', 80);
const MACROCYTIC = lab('mcv', '>', 100);
const FERRITIN_DEFICIENT = lab('ferritin', '<', 15); // WHO 2020
const B12_DEFICIENT = lab('vitamin_b12', '<', 200, 'pg/mL'); // BSH 2014: 148 pmol/L

// ADA 2025.
const HBA1C_DIABETES = lab('hba1c', '>=', 6.5);
const FPG_DIABETES = lab('glucose_fasting', '>=', 126, 'mg/dL');
const HBA1C_PREDIABETES = lab('hba1c', '>=', 5.7);
const FPG_PREDIABETES = lab('glucose_fasting', '>=', 100, 'mg/dL');
const KNOWN_DIABETES: Criterion = { history: 'diabetes' };

// NCEP ATP III, in mg/dL as the guideline writes them.
const TC_HIGH = lab('total_cholesterol', '>=', 240, 'mg/dL');
const LDL_HIGH = lab('ldl', '>=', 160, 'mg/dL');
const TG_HIGH = lab('triglycerides', '>=', 200, 'mg/dL');
const HDL_LOW = lab('hdl', '<', 40, 'mg/dL');
const CHOLESTEROL_HIGH: Criterion = { any: [TC_HIGH, LDL_HIGH] };

const CKD_HISTORY: Criterion = { history: 'chronic_kidney' };
const FEVER: Criterion = {
  any: [{ vital: 'temperatureC', op: '>=', value: 38.0 }, { symptom: 'fever' }],
};
const INFLAMMATION: Criterion = { any: [high('crp'), high('wbc')] };
const SEPSIS_LIKE: Criterion = { fact: 'sepsis_signs', op: '>=', value: 2 };

const TRANSAMINASES_HIGH: Criterion = { any: [high('alt'), high('ast')] };
// ACG 2017: R = (ALT/ULN) ÷ (ALP/ULN); ≥ 5 hepatocellular, ≤ 2 cholestatic, between mixed.
const NOT_CHOLESTATIC_R: Criterion = { not: { fact: 'liver_r', op: '<=', value: 2 } };
const CHOLESTATIC: Criterion = {
  all: [high('alp'), { not: { fact: 'liver_r', op: '>', value: 2 } }],
};
const HYPERCALCAEMIA: Criterion = { fact: 'calcium_adjusted', op: '>', value: 2.55 };
const METABOLIC_RISK: Criterion = {
  any: [
    { fact: 'bmi', op: '>=', value: 30 },
    HBA1C_DIABETES,
    FPG_DIABETES,
    TG_HIGH,
    KNOWN_DIABETES,
  ],
};

// ACC/AHA 2017: stage 2 from 140/90; above 180/120 a hypertensive crisis.
const BP_RAISED: Criterion = {
  any: [
    { vital: 'systolicBp', op: '>=', value: 140 },
    { vital: 'diastolicBp', op: '>=', value: 90 },
  ],
};
const BP_CRISIS: Criterion = {
  any: [
    { vital: 'systolicBp', op: '>', value: 180 },
    { vital: 'diastolicBp', op: '>', value: 120 },
  ],
};

export const rules: readonly ConditionRule[] = [
  {
    id: 'iron_deficiency_anaemia',
    requires: { all: [ANAEMIA, { any: [FERRITIN_DEFICIENT, MICROCYTIC] }] },
    variants: [
      {
        when: { any: [{ sex: 'male' }, { age: '>=', value: 50 }] },
        code: 'D50.9',
        name: {
          uz: 'Temir tanqisligi anemiyasi',
          ru: 'Железодефицитная анемия',
          en: 'Iron-deficiency anaemia',
        },
        // A man or a post-menopausal woman: look for gastrointestinal blood loss.
        referral: { specialty: 'gastroenterology', urgency: 'soon' },
      },
      {
        code: 'D50.9',
        name: {
          uz: 'Temir tanqisligi anemiyasi',
          ru: 'Железодефицитная анемия',
          en: 'Iron-deficiency anaemia',
        },
      },
    ],
    base: 40,
    supports: [
      { when: FERRITIN_DEFICIENT, weight: 30 },
      { when: MICROCYTIC, weight: 10 },
      { when: lab('transferrin_saturation', '<', 20), weight: 10 },
      { when: low('iron'), weight: 5 },
      { when: { history: 'heavy_menses' }, weight: 5 },
      { when: { symptom: 'pica' }, weight: 5 },
    ],
    against: [
      { when: lab('ferritin', '>=', 30), weight: 20 },
      { when: lab('ferritin', '>=', 100), weight: 20 },
      { when: notMeasured('ferritin'), weight: 10 },
    ],
    tests: ['ferritin', 'iron_studies', 'reticulocytes', 'faecal_occult_blood'],
    sources: ['WHO-2024', 'WHO-2020'],
  },
  {
    id: 'b12_deficiency_anaemia',
    requires: {
      all: [ANAEMIA, { any: [B12_DEFICIENT, { all: [MACROCYTIC, notMeasured('vitamin_b12')] }] }],
    },
    variants: [
      {
        code: 'D51.9',
        name: {
          uz: 'B12 vitamini tanqisligi anemiyasi',
          ru: 'B12-дефицитная анемия',
          en: 'Vitamin B12-deficiency anaemia',
        },
      },
    ],
    base: 40,
    supports: [
      { when: B12_DEFICIENT, weight: 30 },
      { when: MACROCYTIC, weight: 15 },
      { when: { symptom: 'neuropathy_glossitis' }, weight: 5 },
      { when: { history: 'b12_risk' }, weight: 5 },
    ],
    against: [{ when: notMeasured('vitamin_b12'), weight: 10 }],
    tests: ['vitamin_b12', 'folate', 'reticulocytes', 'blood_smear'],
    referral: { specialty: 'haematology', urgency: 'routine' },
    sources: ['WHO-2024', 'BSH-2014'],
  },
  {
    id: 'folate_deficiency_anaemia',
    requires: { all: [ANAEMIA, MACROCYTIC, { not: B12_DEFICIENT }, { measured: 'vitamin_b12' }] },
    variants: [
      {
        code: 'D52.9',
        name: {
          uz: 'Folat tanqisligi anemiyasi (istisno qilish kerak)',
          ru: 'Фолиеводефицитная анемия (исключить)',
          en: 'Folate-deficiency anaemia (to exclude)',
        },
      },
    ],
    base: 35,
    supports: [],
    against: [
      { when: { measured: 'vitamin_b12' }, weight: 0, message: 'evidence.folate_not_measured' },
    ],
    tests: ['folate', 'reticulocytes', 'liver_panel', 'tsh'],
    sources: ['WHO-2024', 'BSH-2014'],
  },
  {
    id: 'other_anaemia',
    requires: {
      all: [ANAEMIA, { not: FERRITIN_DEFICIENT }, { not: B12_DEFICIENT }, { not: MACROCYTIC }],
    },
    variants: [
      {
        code: 'D64.9',
        name: {
          uz: 'Anemiya, sababi aniqlanmagan',
          ru: 'Анемия неуточнённая',
          en: 'Anaemia, cause not established',
        },
      },
    ],
    base: 40,
    supports: [
      { when: { fact: 'egfr', op: '<', value: 60 }, weight: 10, message: 'evidence.ckd_anaemia' },
    ],
    against: [],
    tests: ['reticulocytes', 'ferritin', 'vitamin_b12', 'blood_smear', 'creatinine'],
    sources: ['WHO-2024'],
  },
  {
    id: 'diabetes',
    requires: { any: [HBA1C_DIABETES, FPG_DIABETES, KNOWN_DIABETES] },
    variants: [
      {
        when: { flag: 'glucose_fasting', in: ['HH'] },
        code: 'E11.9',
        name: {
          uz: '2-tur qandli diabet, kritik giperglikemiya',
          ru: 'Сахарный диабет 2 типа, критическая гипергликемия',
          en: 'Type 2 diabetes mellitus with critical hyperglycaemia',
        },
        referral: { specialty: 'emergency', urgency: 'urgent' },
      },
      {
        code: 'E11.9',
        name: {
          uz: '2-tur qandli diabet',
          ru: 'Сахарный диабет 2 типа',
          en: 'Type 2 diabetes mellitus',
        },
      },
    ],
    base: 45,
    supports: [
      { when: HBA1C_DIABETES, weight: 15 },
      { when: FPG_DIABETES, weight: 15 },
      { when: KNOWN_DIABETES, weight: 15 },
      { when: { symptom: 'polyuria_polydipsia' }, weight: 5 },
      { when: { fact: 'bmi', op: '>=', value: 30 }, weight: 5 },
    ],
    against: [
      {
        when: {
          not: {
            any: [
              { all: [HBA1C_DIABETES, FPG_DIABETES] },
              KNOWN_DIABETES,
              { symptom: 'polyuria_polydipsia' },
            ],
          },
        },
        weight: 10,
        message: 'evidence.diabetes_unconfirmed',
      },
    ],
    tests: ['hba1c', 'glucose_fasting', 'lipid_panel', 'urine_acr', 'creatinine'],
    referral: { specialty: 'endocrinology', urgency: 'routine' },
    sources: ['ADA-2025', 'NGSP-IFCC'],
  },
  {
    id: 'prediabetes',
    requires: {
      all: [
        { any: [HBA1C_PREDIABETES, FPG_PREDIABETES] },
        { not: { any: [HBA1C_DIABETES, FPG_DIABETES, KNOWN_DIABETES] } },
      ],
    },
    variants: [
      {
        code: 'R73.0',
        name: {
          uz: 'Prediabet (glyukoza yoki HbA1c oshgan)',
          ru: 'Предиабет (повышение глюкозы натощак или HbA1c)',
          en: 'Prediabetes (raised fasting glucose or HbA1c)',
        },
      },
    ],
    base: 50,
    supports: [
      { when: HBA1C_PREDIABETES, weight: 10 },
      { when: FPG_PREDIABETES, weight: 10 },
      { when: { fact: 'bmi', op: '>=', value: 30 }, weight: 5 },
    ],
    against: [],
    tests: ['hba1c', 'ogtt', 'lipid_panel'],
    sources: ['ADA-2025'],
  },
  {
    id: 'hypoglycaemia',
    requires: lab('glucose_fasting', '<', 70, 'mg/dL'),
    variants: [
      {
        when: { history: 'hypoglycaemic_drugs' },
        code: 'E16.0',
        name: {
          uz: 'Dori vositasi chaqirgan gipoglikemiya',
          ru: 'Лекарственная гипогликемия',
          en: 'Drug-induced hypoglycaemia',
        },
      },
      {
        code: 'E16.2',
        name: {
          uz: 'Gipoglikemiya, aniqlanmagan',
          ru: 'Гипогликемия неуточнённая',
          en: 'Hypoglycaemia, unspecified',
        },
      },
    ],
    base: 50,
    supports: [
      { when: lab('glucose_fasting', '<', 54, 'mg/dL'), weight: 20 },
      { when: { flag: 'glucose_fasting', in: ['LL'] }, weight: 15 },
    ],
    against: [],
    tests: ['glucose_fasting', 'c_peptide'],
    referral: { specialty: 'endocrinology', urgency: 'soon' },
    sources: ['ADA-2025', 'KOST-1990'],
  },
  {
    id: 'chronic_kidney_disease',
    requires: { fact: 'egfr', op: '<', value: 60 },
    variants: [
      {
        when: { fact: 'egfr', op: '<', value: 15 },
        code: 'N18.5',
        name: {
          uz: 'Surunkali buyrak kasalligi, G5 bosqichi (KFT < 15)',
          ru: 'Хроническая болезнь почек, стадия G5 (СКФ < 15)',
          en: 'Chronic kidney disease, stage G5 (eGFR < 15)',
        },
        referral: { specialty: 'nephrology', urgency: 'urgent' },
      },
      {
        when: { fact: 'egfr', op: '<', value: 30 },
        code: 'N18.4',
        name: {
          uz: 'Surunkali buyrak kasalligi, G4 bosqichi (KFT 15–29)',
          ru: 'Хроническая болезнь почек, стадия G4 (СКФ 15–29)',
          en: 'Chronic kidney disease, stage G4 (eGFR 15–29)',
        },
        referral: { specialty: 'nephrology', urgency: 'soon' },
      },
      {
        when: { fact: 'egfr', op: '<', value: 45 },
        code: 'N18.3',
        name: {
          uz: 'Surunkali buyrak kasalligi, G3b bosqichi (KFT 30–44)',
          ru: 'Хроническая болезнь почек, стадия G3b (СКФ 30–44)',
          en: 'Chronic kidney disease, stage G3b (eGFR 30–44)',
        },
      },
      {
        code: 'N18.3',
        name: {
          uz: 'Surunkali buyrak kasalligi, G3a bosqichi (KFT 45–59)',
          ru: 'Хроническая болезнь почек, стадия G3a (СКФ 45–59)',
          en: 'Chronic kidney disease, stage G3a (eGFR 45–59)',
        },
      },
    ],
    base: 45,
    supports: [
      { when: CKD_HISTORY, weight: 30 },
      { when: high('urea'), weight: 5 },
      { when: KNOWN_DIABETES, weight: 5 },
      { when: { history: 'hypertension' }, weight: 5 },
    ],
    against: [{ when: { not: CKD_HISTORY }, weight: 15, message: 'evidence.ckd_single_value' }],
    tests: ['creatinine_repeat', 'urine_acr', 'urinalysis', 'electrolytes', 'kidney_ultrasound'],
    referral: { specialty: 'nephrology', urgency: 'routine' },
    sources: ['KDIGO-2024', 'CKD-EPI-2021'],
  },
  {
    id: 'acute_kidney_injury',
    requires: {
      all: [
        { fact: 'egfr', op: '<', value: 60 },
        { not: CKD_HISTORY },
        { any: [SEPSIS_LIKE, { symptom: 'gi_fluid_loss' }] },
      ],
    },
    variants: [
      {
        code: 'N17.9',
        name: {
          uz: 'Oʻtkir buyrak shikastlanishi (istisno qilish kerak)',
          ru: 'Острое повреждение почек (исключить)',
          en: 'Acute kidney injury (to exclude)',
        },
      },
    ],
    base: 35,
    supports: [{ when: SEPSIS_LIKE, weight: 10, message: 'evidence.acute_kidney_injury' }],
    against: [],
    tests: ['creatinine_repeat', 'urinalysis', 'electrolytes'],
    referral: { specialty: 'nephrology', urgency: 'urgent' },
    sources: ['KDIGO-2024'],
  },
  {
    id: 'hypothyroidism',
    requires: { all: [high('tsh'), { not: high('free_t4') }] },
    variants: [
      {
        when: low('free_t4'),
        code: 'E03.9',
        name: {
          uz: 'Birlamchi gipotireoz (manifest)',
          ru: 'Первичный гипотиреоз (манифестный)',
          en: 'Primary hypothyroidism (overt)',
        },
      },
      {
        when: { flag: 'free_t4', in: ['N'] },
        // WHO ICD-10 has no code for subclinical hypothyroidism in general: E02 is reserved for
        // the iodine-deficiency form, so the engine reports E03.8 ("other specified").
        code: 'E03.8',
        name: {
          uz: 'Subklinik gipotireoz',
          ru: 'Субклинический гипотиреоз',
          en: 'Subclinical hypothyroidism',
        },
      },
      {
        code: 'E03.9',
        name: {
          uz: 'Gipotireoz (erkin T4 oʻlchanmagan)',
          ru: 'Гипотиреоз (свободный T4 не определялся)',
          en: 'Hypothyroidism (free T4 not measured)',
        },
      },
    ],
    base: 45,
    supports: [
      { when: low('free_t4'), weight: 25 },
      { when: lab('tsh', '>', 10), weight: 10 },
      { when: { symptom: 'hypothyroid_symptoms' }, weight: 10 },
    ],
    against: [{ when: notMeasured('free_t4'), weight: 10 }],
    tests: ['free_t4', 'anti_tpo', 'lipid_panel'],
    referral: { specialty: 'endocrinology', urgency: 'routine' },
    sources: ['ATA-2012'],
  },
  {
    id: 'thyrotoxicosis',
    requires: { all: [low('tsh'), { not: low('free_t4') }] },
    variants: [
      {
        when: high('free_t4'),
        code: 'E05.9',
        name: {
          uz: 'Tireotoksikoz (manifest)',
          ru: 'Тиреотоксикоз (манифестный)',
          en: 'Thyrotoxicosis (overt)',
        },
      },
      {
        when: { flag: 'free_t4', in: ['N'] },
        code: 'E05.9',
        name: {
          uz: 'Subklinik tireotoksikoz',
          ru: 'Субклинический тиреотоксикоз',
          en: 'Subclinical thyrotoxicosis',
        },
      },
      {
        code: 'E05.9',
        name: {
          uz: 'Tireotoksikoz (erkin T4 oʻlchanmagan)',
          ru: 'Тиреотоксикоз (свободный T4 не определялся)',
          en: 'Thyrotoxicosis (free T4 not measured)',
        },
      },
    ],
    base: 45,
    supports: [
      { when: high('free_t4'), weight: 25 },
      { when: lab('tsh', '<', 0.1), weight: 10 },
      { when: { symptom: 'thyrotoxic_symptoms' }, weight: 10 },
      { when: { vital: 'heartRate', op: '>', value: 100 }, weight: 5 },
    ],
    against: [{ when: notMeasured('free_t4'), weight: 10 }],
    tests: ['free_t4', 'free_t3', 'trab', 'thyroid_ultrasound', 'ecg'],
    referral: { specialty: 'endocrinology', urgency: 'soon' },
    sources: ['ATA-2016'],
  },
  {
    id: 'dyslipidaemia',
    requires: { any: [TC_HIGH, LDL_HIGH, TG_HIGH, HDL_LOW] },
    variants: [
      {
        when: { all: [CHOLESTEROL_HIGH, TG_HIGH] },
        code: 'E78.2',
        name: {
          uz: 'Aralash giperlipidemiya',
          ru: 'Смешанная гиперлипидемия',
          en: 'Mixed hyperlipidaemia',
        },
      },
      {
        when: CHOLESTEROL_HIGH,
        code: 'E78.0',
        name: {
          uz: 'Sof giperxolesterinemiya',
          ru: 'Чистая гиперхолестеринемия',
          en: 'Pure hypercholesterolaemia',
        },
      },
      {
        when: TG_HIGH,
        code: 'E78.1',
        name: {
          uz: 'Sof gipertriglitseridemiya',
          ru: 'Чистая гипертриглицеридемия',
          en: 'Pure hypertriglyceridaemia',
        },
      },
      {
        code: 'E78.6',
        name: {
          uz: 'HDL xolesterin past',
          ru: 'Низкий холестерин ЛПВП',
          en: 'Low HDL cholesterol',
        },
      },
    ],
    base: 45,
    supports: [
      { when: TC_HIGH, weight: 10 },
      { when: LDL_HIGH, weight: 10 },
      { when: lab('ldl', '>=', 190, 'mg/dL'), weight: 15 },
      { when: TG_HIGH, weight: 10 },
      { when: lab('triglycerides', '>=', 500, 'mg/dL'), weight: 10 },
      { when: HDL_LOW, weight: 10 },
    ],
    against: [{ when: high('tsh'), weight: 5, message: 'evidence.secondary_dyslipidaemia' }],
    tests: ['lipid_panel', 'tsh', 'hba1c'],
    sources: ['NCEP-ATP-III'],
  },
  {
    id: 'hyperkalaemia',
    requires: high('potassium'),
    variants: [
      {
        when: { flag: 'potassium', in: ['HH'] },
        code: 'E87.5',
        name: {
          uz: 'Giperkaliemiya (kritik)',
          ru: 'Гиперкалиемия (критическая)',
          en: 'Hyperkalaemia (critical)',
        },
        referral: { specialty: 'emergency', urgency: 'urgent' },
      },
      { code: 'E87.5', name: { uz: 'Giperkaliemiya', ru: 'Гиперкалиемия', en: 'Hyperkalaemia' } },
    ],
    base: 50,
    supports: [
      { when: { flag: 'potassium', in: ['HH'] }, weight: 30 },
      { when: { history: 'potassium_retaining_drugs' }, weight: 10 },
      { when: { fact: 'egfr', op: '<', value: 60 }, weight: 10 },
    ],
    against: [{ when: high('potassium'), weight: 0, message: 'evidence.pseudohyperkalaemia' }],
    tests: ['potassium_repeat', 'ecg', 'creatinine'],
    sources: ['KOST-1990', 'ABIM'],
  },
  {
    id: 'hypokalaemia',
    requires: low('potassium'),
    variants: [
      {
        when: { flag: 'potassium', in: ['LL'] },
        code: 'E87.6',
        name: {
          uz: 'Gipokaliemiya (kritik)',
          ru: 'Гипокалиемия (критическая)',
          en: 'Hypokalaemia (critical)',
        },
        referral: { specialty: 'emergency', urgency: 'urgent' },
      },
      { code: 'E87.6', name: { uz: 'Gipokaliemiya', ru: 'Гипокалиемия', en: 'Hypokalaemia' } },
    ],
    base: 50,
    supports: [
      { when: { flag: 'potassium', in: ['LL'] }, weight: 30 },
      { when: { history: 'potassium_losing_drugs' }, weight: 10 },
      { when: { symptom: 'gi_fluid_loss' }, weight: 10 },
    ],
    against: [],
    tests: ['potassium_repeat', 'magnesium', 'ecg'],
    sources: ['KOST-1990', 'ABIM'],
  },
  {
    id: 'hyponatraemia',
    requires: low('sodium'),
    variants: [
      {
        when: lab('sodium', '<', 125),
        code: 'E87.1',
        name: {
          uz: 'Chuqur giponatriemiya (< 125 mmol/L)',
          ru: 'Глубокая гипонатриемия (< 125 ммоль/л)',
          en: 'Profound hyponatraemia (< 125 mmol/L)',
        },
        referral: { specialty: 'emergency', urgency: 'urgent' },
      },
      { code: 'E87.1', name: { uz: 'Giponatriemiya', ru: 'Гипонатриемия', en: 'Hyponatraemia' } },
    ],
    base: 50,
    supports: [
      { when: lab('sodium', '<', 125), weight: 20 },
      { when: { flag: 'sodium', in: ['LL'] }, weight: 10 },
      { when: { history: 'potassium_losing_drugs' }, weight: 10 },
    ],
    against: [],
    tests: ['serum_osmolality', 'urine_sodium_osmolality', 'tsh', 'cortisol'],
    sources: ['SPASOVSKI-2014', 'KOST-1990'],
  },
  {
    id: 'hypernatraemia',
    requires: high('sodium'),
    variants: [
      {
        code: 'E87.0',
        name: { uz: 'Gipernatriemiya', ru: 'Гипернатриемия', en: 'Hypernatraemia' },
      },
    ],
    base: 50,
    supports: [{ when: { flag: 'sodium', in: ['HH'] }, weight: 30 }],
    against: [],
    tests: ['serum_osmolality', 'glucose_fasting', 'electrolytes'],
    sources: ['ABIM', 'KOST-1990'],
  },
  {
    id: 'metabolic_acidosis',
    requires: low('bicarbonate'),
    variants: [
      {
        code: 'E87.2',
        name: {
          uz: 'Metabolik atsidoz (bikarbonat past)',
          ru: 'Метаболический ацидоз (низкий бикарбонат)',
          en: 'Metabolic acidosis (low bicarbonate)',
        },
      },
    ],
    base: 40,
    supports: [
      { when: { fact: 'anion_gap', op: '>', value: 11 }, weight: 10 },
      { when: { fact: 'egfr', op: '<', value: 30 }, weight: 10 },
      { when: { symptom: 'gi_fluid_loss' }, weight: 5 },
    ],
    against: [],
    tests: ['blood_gas', 'lactate', 'electrolytes'],
    sources: ['KRAUT-2007', 'ABIM'],
  },
  {
    id: 'metabolic_alkalosis',
    requires: high('bicarbonate'),
    variants: [
      {
        code: 'E87.3',
        name: {
          uz: 'Metabolik alkaloz (bikarbonat yuqori)',
          ru: 'Метаболический алкалоз (высокий бикарбонат)',
          en: 'Metabolic alkalosis (high bicarbonate)',
        },
      },
    ],
    base: 35,
    supports: [{ when: { symptom: 'gi_fluid_loss' }, weight: 5 }],
    against: [],
    tests: ['blood_gas', 'electrolytes'],
    sources: ['ABIM'],
  },
  {
    id: 'hypercalcaemia',
    requires: HYPERCALCAEMIA,
    variants: [
      {
        code: 'E83.5',
        name: { uz: 'Giperkalsiemiya', ru: 'Гиперкальциемия', en: 'Hypercalcaemia' },
      },
    ],
    base: 50,
    supports: [
      { when: { fact: 'calcium_adjusted', op: '>', value: 3.0 }, weight: 15 },
      { when: { flag: 'calcium', in: ['HH'] }, weight: 15 },
    ],
    against: [],
    tests: ['pth', 'vitamin_d', 'phosphate', 'ionised_calcium'],
    referral: { specialty: 'endocrinology', urgency: 'soon' },
    sources: ['ABIM', 'PAYNE-1973'],
  },
  {
    id: 'hypocalcaemia',
    requires: { fact: 'calcium_adjusted', op: '<', value: 2.15 },
    variants: [
      { code: 'E83.5', name: { uz: 'Gipokalsiemiya', ru: 'Гипокальциемия', en: 'Hypocalcaemia' } },
    ],
    base: 45,
    supports: [{ when: { flag: 'calcium', in: ['LL'] }, weight: 25 }],
    against: [],
    tests: ['pth', 'vitamin_d', 'magnesium', 'ionised_calcium'],
    sources: ['ABIM', 'PAYNE-1973'],
  },
  {
    id: 'hyperparathyroidism',
    requires: HYPERCALCAEMIA,
    variants: [
      {
        code: 'E21.0',
        name: {
          uz: 'Birlamchi giperparatireoz (istisno qilish kerak)',
          ru: 'Первичный гиперпаратиреоз (исключить)',
          en: 'Primary hyperparathyroidism (to exclude)',
        },
      },
    ],
    base: 35,
    supports: [{ when: { history: 'kidney_stones' }, weight: 15 }],
    against: [],
    tests: ['pth', 'vitamin_d', 'phosphate', 'urine_calcium'],
    referral: { specialty: 'endocrinology', urgency: 'routine' },
    sources: ['ABIM'],
  },
  {
    id: 'hepatocellular_injury',
    requires: { all: [TRANSAMINASES_HIGH, NOT_CHOLESTATIC_R] },
    variants: [
      {
        when: { fact: 'liver_r', op: '>=', value: 5 },
        code: 'R74.0',
        name: {
          uz: 'Transaminazalar oshgan, gepatotsellyulyar tur (R ≥ 5)',
          ru: 'Повышение трансаминаз, гепатоцеллюлярный тип (R ≥ 5)',
          en: 'Raised transaminases, hepatocellular pattern (R ≥ 5)',
        },
      },
      {
        when: { fact: 'liver_r', op: '>', value: 2 },
        code: 'R74.0',
        name: {
          uz: 'Transaminazalar oshgan, aralash tur (R 2–5)',
          ru: 'Повышение трансаминаз, смешанный тип (R 2–5)',
          en: 'Raised transaminases, mixed pattern (R 2–5)',
        },
      },
      {
        code: 'R74.0',
        name: {
          uz: 'Transaminazalar oshgan',
          ru: 'Повышение трансаминаз',
          en: 'Raised transaminases',
        },
      },
    ],
    base: 45,
    supports: [
      { when: { fact: 'liver_r', op: '>=', value: 5 }, weight: 10 },
      { when: { fact: 'alt_uln', op: '>=', value: 5 }, weight: 15 },
      { when: high('ggt'), weight: 5 },
      { when: { symptom: 'right_upper_quadrant' }, weight: 5 },
      { when: { symptom: 'jaundice' }, weight: 5 },
    ],
    against: [{ when: notMeasured('alp'), weight: 5 }],
    tests: ['hepatitis_serology', 'liver_ultrasound', 'coagulation', 'liver_panel'],
    referral: { specialty: 'gastroenterology', urgency: 'routine' },
    sources: ['ACG-2017'],
  },
  {
    id: 'fatty_liver',
    requires: { all: [TRANSAMINASES_HIGH, NOT_CHOLESTATIC_R, METABOLIC_RISK] },
    variants: [
      {
        code: 'K76.0',
        name: {
          uz: 'Metabolik yogʻli gepatoz (istisno qilish kerak)',
          ru: 'Метаболически ассоциированная жировая болезнь печени (исключить)',
          en: 'Metabolic dysfunction-associated fatty liver disease (to exclude)',
        },
      },
    ],
    base: 35,
    supports: [{ when: { fact: 'bmi', op: '>=', value: 30 }, weight: 5 }],
    against: [{ when: TRANSAMINASES_HIGH, weight: 0, message: 'evidence.exclude_alcohol_viral' }],
    tests: ['liver_ultrasound', 'hepatitis_serology'],
    sources: ['ACG-2017'],
  },
  {
    id: 'cholestasis',
    requires: CHOLESTATIC,
    variants: [
      {
        code: 'R74.8',
        name: {
          uz: 'Xolestatik tur (ishqoriy fosfataza oshgan, R ≤ 2)',
          ru: 'Холестатический тип (повышение ЩФ, R ≤ 2)',
          en: 'Cholestatic pattern (raised ALP, R ≤ 2)',
        },
      },
    ],
    base: 45,
    supports: [
      { when: high('ggt'), weight: 15 },
      { when: high('bilirubin_total'), weight: 10 },
      { when: { symptom: 'jaundice' }, weight: 10 },
      { when: { symptom: 'pruritus' }, weight: 5 },
      { when: { symptom: 'right_upper_quadrant' }, weight: 5 },
    ],
    against: [
      { when: { flag: 'ggt', in: ['N', 'L'] }, weight: 15, message: 'evidence.ggt_normal' },
    ],
    tests: ['liver_ultrasound', 'ama', 'hepatitis_serology', 'liver_panel'],
    referral: { specialty: 'gastroenterology', urgency: 'soon' },
    sources: ['ACG-2017'],
  },
  {
    id: 'biliary_obstruction',
    requires: { all: [CHOLESTATIC, high('bilirubin_total')] },
    variants: [
      {
        code: 'K83.1',
        name: {
          uz: 'Oʻt yoʻllari obstruksiyasi (istisno qilish kerak)',
          ru: 'Обструкция желчных путей (исключить)',
          en: 'Biliary obstruction (to exclude)',
        },
      },
    ],
    base: 35,
    supports: [
      { when: { symptom: 'right_upper_quadrant' }, weight: 10 },
      { when: { symptom: 'jaundice' }, weight: 10 },
    ],
    against: [],
    tests: ['liver_ultrasound', 'bilirubin_fractions'],
    referral: { specialty: 'gastroenterology', urgency: 'soon' },
    sources: ['ACG-2017'],
  },
  {
    id: 'jaundice',
    requires: high('bilirubin_total'),
    variants: [
      {
        code: 'R17',
        name: {
          uz: 'Giperbilirubinemiya (sariqlik)',
          ru: 'Гипербилирубинемия (желтуха)',
          en: 'Hyperbilirubinaemia (jaundice)',
        },
      },
    ],
    base: 40,
    supports: [{ when: { symptom: 'jaundice' }, weight: 15 }],
    against: [],
    tests: ['bilirubin_fractions', 'liver_panel', 'reticulocytes'],
    sources: ['ACG-2017'],
  },
  {
    id: 'isolated_ggt',
    requires: { all: [high('ggt'), { not: high('alp') }, { not: TRANSAMINASES_HIGH }] },
    variants: [
      {
        code: 'R74.8',
        name: {
          uz: 'Faqat GGT oshgan',
          ru: 'Изолированное повышение ГГТ',
          en: 'Isolated raised GGT',
        },
      },
    ],
    base: 30,
    supports: [],
    against: [{ when: high('ggt'), weight: 0, message: 'evidence.exclude_alcohol_viral' }],
    tests: ['liver_ultrasound', 'liver_panel'],
    sources: ['ACG-2017'],
  },
  {
    id: 'hyperuricaemia',
    requires: high('uric_acid'),
    variants: [
      { code: 'E79.0', name: { uz: 'Giperurikemiya', ru: 'Гиперурикемия', en: 'Hyperuricaemia' } },
    ],
    base: 50,
    supports: [{ when: lab('uric_acid', '>=', 9, 'mg/dL'), weight: 10 }],
    against: [],
    tests: ['creatinine', 'lipid_panel', 'glucose_fasting'],
    sources: ['ACR-2020', 'ABIM'],
  },
  {
    id: 'gout',
    requires: { all: [high('uric_acid'), { symptom: 'joint' }] },
    variants: [{ code: 'M10.9', name: { uz: 'Podagra', ru: 'Подагра', en: 'Gout' } }],
    // Above hyperuricaemia alone: the joint complaint is what makes urate matter clinically.
    base: 55,
    supports: [],
    against: [],
    tests: ['joint_aspiration'],
    referral: { specialty: 'rheumatology', urgency: 'soon' },
    sources: ['ACR-2020'],
  },
  {
    id: 'sepsis',
    requires: {
      all: [
        SEPSIS_LIKE,
        {
          any: [
            INFLAMMATION,
            low('wbc'),
            FEVER,
            { symptom: 'respiratory' },
            { symptom: 'urinary' },
          ],
        },
      ],
    },
    variants: [
      {
        code: 'A41.9',
        name: {
          uz: 'Sepsis (zudlik bilan istisno qilish kerak)',
          ru: 'Сепсис (срочно исключить)',
          en: 'Sepsis (to exclude urgently)',
        },
      },
    ],
    base: 55,
    supports: [
      { when: { fact: 'sepsis_signs', op: '>=', value: 3 }, weight: 15 },
      { when: lab('crp', '>=', 100), weight: 10 },
      { when: high('wbc'), weight: 5 },
    ],
    against: [],
    tests: ['blood_culture', 'lactate', 'procalcitonin', 'chest_xray', 'urinalysis'],
    referral: { specialty: 'emergency', urgency: 'urgent' },
    sources: ['SEPSIS-3', 'LEVY-2003'],
  },
  {
    id: 'pneumonia',
    requires: { all: [{ symptom: 'respiratory' }, { any: [FEVER, INFLAMMATION] }] },
    variants: [
      {
        code: 'J18.9',
        name: {
          uz: 'Pnevmoniya (rentgenografiyada tasdiqlash kerak)',
          ru: 'Пневмония (подтвердить рентгенографией)',
          en: 'Pneumonia (to confirm by chest X-ray)',
        },
      },
    ],
    base: 40,
    supports: [
      { when: lab('crp', '>=', 50), weight: 10 },
      { when: high('wbc'), weight: 10 },
      { when: FEVER, weight: 10 },
      { when: { vital: 'respiratoryRate', op: '>', value: 22 }, weight: 5 },
      { when: { vital: 'spo2', op: '<', value: 95 }, weight: 10 },
    ],
    against: [],
    tests: ['chest_xray', 'cbc_differential', 'sputum_culture'],
    sources: ['ICD-10'],
  },
  {
    id: 'bacterial_infection',
    requires: {
      all: [
        INFLAMMATION,
        {
          any: [
            FEVER,
            lab('crp', '>=', 50),
            { all: [high('crp'), high('wbc')] },
            { symptom: 'respiratory' },
            { symptom: 'urinary' },
          ],
        },
      ],
    },
    variants: [
      {
        code: 'A49.9',
        name: {
          uz: 'Bakterial infeksiya, joylashuvi aniqlanmagan',
          ru: 'Бактериальная инфекция неуточнённой локализации',
          en: 'Bacterial infection, site not specified',
        },
      },
    ],
    base: 35,
    supports: [
      { when: lab('crp', '>=', 50), weight: 15 },
      { when: high('wbc'), weight: 10 },
      { when: FEVER, weight: 10 },
      { when: high('esr'), weight: 5 },
    ],
    against: [],
    tests: ['cbc_differential', 'procalcitonin', 'urinalysis', 'chest_xray'],
    sources: ['LEVY-2003'],
  },
  {
    id: 'urinary_tract_infection',
    requires: { symptom: 'urinary' },
    variants: [
      {
        code: 'N39.0',
        name: {
          uz: 'Siydik yoʻllari infeksiyasi',
          ru: 'Инфекция мочевыводящих путей',
          en: 'Urinary tract infection',
        },
      },
    ],
    base: 40,
    supports: [
      { when: FEVER, weight: 5 },
      { when: high('wbc'), weight: 5 },
    ],
    against: [],
    tests: ['urinalysis', 'urine_culture'],
    sources: ['ICD-10'],
  },
  {
    id: 'pyelonephritis',
    requires: { all: [{ any: [{ symptom: 'urinary' }, { symptom: 'flank_pain' }] }, FEVER] },
    variants: [
      {
        code: 'N10',
        name: {
          uz: 'Oʻtkir pielonefrit',
          ru: 'Острый пиелонефрит',
          en: 'Acute pyelonephritis',
        },
      },
    ],
    base: 40,
    supports: [
      { when: { symptom: 'flank_pain' }, weight: 10 },
      { when: INFLAMMATION, weight: 5 },
    ],
    against: [],
    tests: ['urinalysis', 'urine_culture', 'kidney_ultrasound'],
    referral: { specialty: 'urology', urgency: 'soon' },
    sources: ['ICD-10'],
  },
  {
    id: 'fever',
    requires: FEVER,
    variants: [{ code: 'R50.9', name: { uz: 'Isitma', ru: 'Лихорадка', en: 'Fever' } }],
    base: 35,
    supports: [{ when: { vital: 'temperatureC', op: '>=', value: 39 }, weight: 10 }],
    against: [],
    tests: ['cbc_differential', 'urinalysis'],
    sources: ['LEVY-2003'],
  },
  {
    id: 'leukocytosis',
    requires: high('wbc'),
    variants: [
      {
        when: { flag: 'wbc', in: ['HH'] },
        code: 'D72.8',
        name: {
          uz: 'Leykotsitoz (kritik)',
          ru: 'Лейкоцитоз (критический)',
          en: 'Leukocytosis (critical)',
        },
        referral: { specialty: 'haematology', urgency: 'urgent' },
      },
      { code: 'D72.8', name: { uz: 'Leykotsitoz', ru: 'Лейкоцитоз', en: 'Leukocytosis' } },
    ],
    base: 35,
    supports: [
      { when: lab('wbc', '>', 20), weight: 10 },
      { when: { flag: 'wbc', in: ['HH'] }, weight: 20 },
    ],
    against: [],
    tests: ['cbc_differential', 'blood_smear'],
    sources: ['ABIM', 'KOST-1990'],
  },
  {
    id: 'leukopenia',
    requires: low('wbc'),
    variants: [
      {
        when: { flag: 'wbc', in: ['LL'] },
        code: 'D72.8',
        name: {
          uz: 'Leykopeniya (kritik)',
          ru: 'Лейкопения (критическая)',
          en: 'Leukopenia (critical)',
        },
        referral: { specialty: 'haematology', urgency: 'urgent' },
      },
      { code: 'D72.8', name: { uz: 'Leykopeniya', ru: 'Лейкопения', en: 'Leukopenia' } },
    ],
    base: 40,
    supports: [{ when: { flag: 'wbc', in: ['LL'] }, weight: 25 }],
    against: [],
    tests: ['cbc_differential', 'blood_smear'],
    referral: { specialty: 'haematology', urgency: 'soon' },
    sources: ['ABIM', 'KOST-1990'],
  },
  {
    id: 'thrombocytopenia',
    requires: low('platelets'),
    variants: [
      {
        when: { flag: 'platelets', in: ['LL'] },
        code: 'D69.6',
        name: {
          uz: 'Trombotsitopeniya (kritik)',
          ru: 'Тромбоцитопения (критическая)',
          en: 'Thrombocytopenia (critical)',
        },
        referral: { specialty: 'haematology', urgency: 'urgent' },
      },
      {
        code: 'D69.6',
        name: { uz: 'Trombotsitopeniya', ru: 'Тромбоцитопения', en: 'Thrombocytopenia' },
      },
    ],
    base: 45,
    supports: [
      { when: { flag: 'platelets', in: ['LL'] }, weight: 30 },
      { when: lab('platelets', '<', 100), weight: 5 },
      { when: { symptom: 'bleeding' }, weight: 10 },
    ],
    against: [],
    tests: ['blood_smear', 'coagulation', 'liver_panel'],
    referral: { specialty: 'haematology', urgency: 'soon' },
    sources: ['KOST-1990', 'ABIM'],
  },
  {
    id: 'thrombocytosis',
    requires: high('platelets'),
    variants: [
      { code: 'D75.8', name: { uz: 'Trombotsitoz', ru: 'Тромбоцитоз', en: 'Thrombocytosis' } },
    ],
    base: 30,
    supports: [{ when: { flag: 'platelets', in: ['HH'] }, weight: 25 }],
    against: [],
    tests: ['ferritin', 'blood_smear', 'cbc_differential'],
    sources: ['ABIM', 'KOST-1990'],
  },
  {
    id: 'raised_bp_reading',
    requires: { all: [BP_RAISED, { not: { history: 'hypertension' } }] },
    variants: [
      {
        when: BP_CRISIS,
        code: 'R03.0',
        name: {
          uz: 'Arterial bosim juda yuqori (> 180/120), gipertoniya tashxisisiz',
          ru: 'Очень высокое АД (> 180/120) без установленной гипертензии',
          en: 'Severely raised blood pressure reading (> 180/120), no diagnosis of hypertension',
        },
        referral: { specialty: 'emergency', urgency: 'urgent' },
      },
      {
        code: 'R03.0',
        name: {
          uz: 'Arterial bosim oshgan, gipertoniya tashxisisiz',
          ru: 'Повышенное АД без установленной гипертензии',
          en: 'Raised blood pressure reading, no diagnosis of hypertension',
        },
      },
    ],
    base: 45,
    supports: [{ when: BP_CRISIS, weight: 30 }],
    against: [],
    tests: ['bp_monitoring', 'ecg', 'urinalysis', 'creatinine', 'lipid_panel'],
    sources: ['ACC-AHA-2017'],
  },
  {
    id: 'hypertension',
    requires: { all: [BP_RAISED, { history: 'hypertension' }] },
    variants: [
      {
        when: BP_CRISIS,
        code: 'I10',
        name: {
          uz: 'Arterial gipertenziya, gipertonik kriz (> 180/120)',
          ru: 'Артериальная гипертензия, гипертонический криз (> 180/120)',
          en: 'Hypertension with hypertensive crisis (> 180/120)',
        },
        referral: { specialty: 'emergency', urgency: 'urgent' },
      },
      {
        code: 'I10',
        name: {
          uz: 'Arterial gipertenziya, maqsadli darajadan yuqori',
          ru: 'Артериальная гипертензия, выше целевого уровня',
          en: 'Hypertension, above target',
        },
      },
    ],
    base: 50,
    supports: [{ when: BP_CRISIS, weight: 30 }],
    against: [],
    tests: ['bp_monitoring', 'ecg', 'urinalysis', 'creatinine', 'lipid_panel'],
    sources: ['ACC-AHA-2017'],
  },
];
