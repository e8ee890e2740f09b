import type { PatientSex } from '@medora/schema';
import type { Localized } from './localized';
import type { SourceId } from './sources';

/**
 * A unit the engine accepts for an analyte, with its conversion to the canonical (SI) unit.
 * Most are a plain factor; HbA1c in IFCC mmol/mol needs the NGSP/IFCC master equation, which has
 * an offset, so a unit may give the conversion as a pair of functions instead.
 */
export type UnitDef =
  | { readonly unit: string; readonly factor: number }
  | {
      readonly unit: string;
      readonly toSi: (value: number) => number;
      readonly fromSi: (value: number) => number;
    };

/**
 * One default reference interval, in the canonical unit. Bands are tried in order and the first
 * whose sex and age match is used, so specific bands come before general ones. A missing bound is
 * a one-sided interval (HDL has no upper limit). `highExclusive` encodes the "< x" limits of the
 * source (NCEP ATP III "desirable < 200 mg/dL"): there the limit itself is already high.
 */
export interface IntervalBand {
  readonly sex?: PatientSex;
  /** Inclusive lower age, in years. */
  readonly minAge?: number;
  readonly low?: number;
  readonly high?: number;
  readonly highExclusive?: boolean;
  readonly source: SourceId;
}

export interface Analyte {
  readonly code: string;
  readonly loinc: string;
  readonly name: Localized;
  /** The canonical unit: flags, limits and thresholds are all expressed in it. */
  readonly siUnit: string;
  /** Accepted units, the canonical one (factor 1) first. */
  readonly units: readonly UnitDef[];
  readonly intervals: readonly IntervalBand[];
}

const same = (unit: string): UnitDef => ({ unit, factor: 1 });

/** mg/dL ↔ mmol/L for lipids (NCEP ATP III conversion factors). */
const CHOLESTEROL_MG_DL = 0.02586;
const TRIGLYCERIDE_MG_DL = 0.01129;
/** BUN mg/dL → urea mmol/L (1 mmol urea carries 28 mg nitrogen: 1 / 2.8 ≈ 0.357). */
const BUN_MG_DL_TO_UREA = 0.357;

const cellCounts: readonly UnitDef[] = [
  same('10^9/L'),
  same('10^3/uL'),
  same('10^3/mm^3'),
  same('K/uL'),
  same('/nL'),
];
const enzymes: readonly UnitDef[] = [same('U/L'), same('IU/L')];
const electrolyte: readonly UnitDef[] = [same('mmol/L'), same('mEq/L')];

export const analytes: readonly Analyte[] = [
  {
    code: 'hemoglobin',
    loinc: '718-7',
    name: { uz: 'Gemoglobin', ru: 'Гемоглобин', en: 'Haemoglobin' },
    siUnit: 'g/L',
    units: [same('g/L'), { unit: 'g/dL', factor: 10 }],
    intervals: [
      { sex: 'male', low: 140, high: 180, source: 'ABIM' },
      { sex: 'female', low: 120, high: 160, source: 'ABIM' },
    ],
  },
  {
    code: 'hematocrit',
    loinc: '4544-3',
    name: { uz: 'Gematokrit', ru: 'Гематокрит', en: 'Haematocrit' },
    siUnit: 'L/L',
    units: [same('L/L'), { unit: '%', factor: 0.01 }],
    intervals: [
      { sex: 'male', low: 0.42, high: 0.5, source: 'ABIM' },
      { sex: 'female', low: 0.37, high: 0.47, source: 'ABIM' },
    ],
  },
  {
    code: 'wbc',
    loinc: '6690-2',
    name: { uz: 'Leykotsitlar', ru: 'Лейкоциты', en: 'White blood cells' },
    siUnit: '10^9/L',
    units: cellCounts,
    intervals: [{ low: 4.0, high: 11.0, source: 'ABIM' }],
  },
  {
    code: 'platelets',
    loinc: '777-3',
    name: { uz: 'Trombotsitlar', ru: 'Тромбоциты', en: 'Platelets' },
    siUnit: '10^9/L',
    units: cellCounts,
    intervals: [{ low: 150, high: 450, source: 'ABIM' }],
  },
  {
    code: 'mcv',
    loinc: '787-2',
    name: {
      uz: 'Eritrotsitning oʻrtacha hajmi (MCV)',
      ru: 'Средний объём эритроцита (MCV)',
      en: 'Mean corpuscular volume',
    },
    siUnit: 'fL',
    units: [same('fL'), same('um^3')],
    intervals: [{ low: 80, high: 100, source: 'ABIM' }],
  },
  {
    code: 'ferritin',
    loinc: '2276-4',
    name: { uz: 'Ferritin', ru: 'Ферритин', en: 'Ferritin' },
    siUnit: 'ug/L',
    units: [same('ug/L'), same('ng/mL')],
    intervals: [
      { sex: 'male', low: 24, high: 336, source: 'ABIM' },
      { sex: 'female', low: 24, high: 307, source: 'ABIM' },
    ],
  },
  {
    code: 'iron',
    loinc: '2498-4',
    name: { uz: 'Zardob temiri', ru: 'Железо сыворотки', en: 'Serum iron' },
    siUnit: 'umol/L',
    units: [same('umol/L'), { unit: 'ug/dL', factor: 0.1791 }],
    intervals: [{ low: 9.0, high: 26.9, source: 'ABIM' }],
  },
  {
    code: 'transferrin_saturation',
    loinc: '2502-3',
    name: {
      uz: 'Transferrinning temir bilan toʻyinganligi',
      ru: 'Насыщение трансферрина железом',
      en: 'Transferrin saturation',
    },
    siUnit: '%',
    units: [same('%')],
    intervals: [{ low: 20, high: 50, source: 'ABIM' }],
  },
  {
    code: 'vitamin_b12',
    loinc: '2132-9',
    name: { uz: 'B12 vitamini', ru: 'Витамин B12', en: 'Vitamin B12' },
    siUnit: 'pmol/L',
    units: [same('pmol/L'), { unit: 'pg/mL', factor: 0.7378 }, { unit: 'ng/L', factor: 0.7378 }],
    // Common adult assay interval; its lower limit equals the BSH 2014 deficiency cut-off.
    intervals: [{ low: 148, high: 664, source: 'BSH-2014' }],
  },
  {
    code: 'glucose_fasting',
    loinc: '1558-6',
    name: { uz: 'Och qoringa glyukoza', ru: 'Глюкоза натощак', en: 'Fasting glucose' },
    siUnit: 'mmol/L',
    units: [same('mmol/L'), { unit: 'mg/dL', factor: 1 / 18.0 }],
    intervals: [{ low: 3.9, high: 5.5, source: 'ABIM' }],
  },
  {
    code: 'hba1c',
    loinc: '4548-4',
    name: {
      uz: 'Glikirlangan gemoglobin (HbA1c)',
      ru: 'Гликированный гемоглобин (HbA1c)',
      en: 'HbA1c',
    },
    siUnit: '%',
    units: [
      same('%'),
      // NGSP/IFCC master equation: NGSP % = 0.09148 × IFCC mmol/mol + 2.152.
      {
        unit: 'mmol/mol',
        toSi: (ifcc) => 0.09148 * ifcc + 2.152,
        fromSi: (ngsp) => (ngsp - 2.152) / 0.09148,
      },
    ],
    intervals: [{ low: 4.0, high: 5.6, source: 'ABIM' }],
  },
  {
    code: 'creatinine',
    loinc: '2160-0',
    name: { uz: 'Kreatinin', ru: 'Креатинин', en: 'Creatinine' },
    siUnit: 'umol/L',
    units: [same('umol/L'), { unit: 'mg/dL', factor: 88.4 }],
    intervals: [
      { sex: 'male', low: 62, high: 115, source: 'ABIM' },
      { sex: 'female', low: 44, high: 97, source: 'ABIM' },
    ],
  },
  {
    code: 'urea',
    loinc: '22664-7',
    name: { uz: 'Mochevina', ru: 'Мочевина', en: 'Urea' },
    siUnit: 'mmol/L',
    // "Urea in mg/dL" on a report is, in practice, blood urea nitrogen.
    units: [same('mmol/L'), { unit: 'mg/dL', factor: BUN_MG_DL_TO_UREA }],
    intervals: [{ low: 2.9, high: 7.1, source: 'ABIM' }],
  },
  {
    code: 'bun',
    loinc: '3094-0',
    name: { uz: 'Mochevina azoti (BUN)', ru: 'Азот мочевины (BUN)', en: 'Blood urea nitrogen' },
    siUnit: 'mg/dL',
    units: [same('mg/dL'), { unit: 'mmol/L', factor: 1 / BUN_MG_DL_TO_UREA }],
    intervals: [{ low: 8, high: 20, source: 'ABIM' }],
  },
  {
    code: 'sodium',
    loinc: '2951-2',
    name: { uz: 'Natriy', ru: 'Натрий', en: 'Sodium' },
    siUnit: 'mmol/L',
    units: electrolyte,
    intervals: [{ low: 136, high: 145, source: 'ABIM' }],
  },
  {
    code: 'potassium',
    loinc: '2823-3',
    name: { uz: 'Kaliy', ru: 'Калий', en: 'Potassium' },
    siUnit: 'mmol/L',
    units: electrolyte,
    intervals: [{ low: 3.5, high: 5.0, source: 'ABIM' }],
  },
  {
    code: 'chloride',
    loinc: '2075-0',
    name: { uz: 'Xlor', ru: 'Хлор', en: 'Chloride' },
    siUnit: 'mmol/L',
    units: electrolyte,
    intervals: [{ low: 98, high: 106, source: 'ABIM' }],
  },
  {
    code: 'bicarbonate',
    loinc: '1963-8',
    name: { uz: 'Bikarbonat', ru: 'Бикарбонат', en: 'Bicarbonate' },
    siUnit: 'mmol/L',
    units: electrolyte,
    intervals: [{ low: 23, high: 28, source: 'ABIM' }],
  },
  {
    code: 'calcium',
    loinc: '17861-6',
    name: { uz: 'Umumiy kalsiy', ru: 'Кальций общий', en: 'Total calcium' },
    siUnit: 'mmol/L',
    // Calcium is divalent: 1 mEq/L = 0.5 mmol/L.
    units: [same('mmol/L'), { unit: 'mg/dL', factor: 0.2495 }, { unit: 'mEq/L', factor: 0.5 }],
    intervals: [{ low: 2.15, high: 2.55, source: 'ABIM' }],
  },
  {
    code: 'albumin',
    loinc: '1751-7',
    name: { uz: 'Albumin', ru: 'Альбумин', en: 'Albumin' },
    siUnit: 'g/L',
    units: [same('g/L'), { unit: 'g/dL', factor: 10 }],
    intervals: [{ low: 35, high: 55, source: 'ABIM' }],
  },
  {
    code: 'alt',
    loinc: '1742-6',
    name: { uz: 'ALT (alaninaminotransferaza)', ru: 'АЛТ (аланинаминотрансфераза)', en: 'ALT' },
    siUnit: 'U/L',
    units: enzymes,
    intervals: [{ low: 10, high: 40, source: 'ABIM' }],
  },
  {
    code: 'ast',
    loinc: '1920-8',
    name: { uz: 'AST (aspartataminotransferaza)', ru: 'АСТ (аспартатаминотрансфераза)', en: 'AST' },
    siUnit: 'U/L',
    units: enzymes,
    intervals: [{ low: 10, high: 40, source: 'ABIM' }],
  },
  {
    code: 'alp',
    loinc: '6768-6',
    name: { uz: 'Ishqoriy fosfataza', ru: 'Щелочная фосфатаза', en: 'Alkaline phosphatase' },
    siUnit: 'U/L',
    units: enzymes,
    intervals: [{ low: 30, high: 120, source: 'ABIM' }],
  },
  {
    code: 'ggt',
    loinc: '2324-2',
    name: {
      uz: 'Gamma-glutamiltransferaza (GGT)',
      ru: 'Гамма-глутамилтрансфераза (ГГТ)',
      en: 'GGT',
    },
    siUnit: 'U/L',
    units: enzymes,
    intervals: [
      { sex: 'male', low: 9, high: 50, source: 'ABIM' },
      { sex: 'female', low: 8, high: 40, source: 'ABIM' },
    ],
  },
  {
    code: 'bilirubin_total',
    loinc: '1975-2',
    name: { uz: 'Umumiy bilirubin', ru: 'Билирубин общий', en: 'Total bilirubin' },
    siUnit: 'umol/L',
    units: [same('umol/L'), { unit: 'mg/dL', factor: 17.1 }],
    intervals: [{ low: 5.1, high: 17.1, source: 'ABIM' }],
  },
  {
    code: 'tsh',
    loinc: '3016-3',
    name: { uz: 'Tireotrop gormon (TTG)', ru: 'Тиреотропный гормон (ТТГ)', en: 'TSH' },
    siUnit: 'mIU/L',
    units: [same('mIU/L'), same('mU/L'), same('uIU/mL'), same('uU/mL')],
    intervals: [{ low: 0.5, high: 4.0, source: 'ABIM' }],
  },
  {
    code: 'free_t4',
    loinc: '3024-7',
    name: { uz: 'Erkin tiroksin (erkin T4)', ru: 'Свободный тироксин (свТ4)', en: 'Free T4' },
    siUnit: 'pmol/L',
    units: [same('pmol/L'), { unit: 'ng/dL', factor: 12.87 }],
    intervals: [{ low: 10.3, high: 23.2, source: 'ABIM' }],
  },
  {
    code: 'total_cholesterol',
    loinc: '2093-3',
    name: { uz: 'Umumiy xolesterin', ru: 'Общий холестерин', en: 'Total cholesterol' },
    siUnit: 'mmol/L',
    units: [same('mmol/L'), { unit: 'mg/dL', factor: CHOLESTEROL_MG_DL }],
    intervals: [{ high: 5.17, highExclusive: true, source: 'NCEP-ATP-III' }],
  },
  {
    code: 'ldl',
    loinc: '2089-1',
    name: { uz: 'LDL xolesterin', ru: 'Холестерин ЛПНП', en: 'LDL cholesterol' },
    siUnit: 'mmol/L',
    units: [same('mmol/L'), { unit: 'mg/dL', factor: CHOLESTEROL_MG_DL }],
    intervals: [{ high: 2.59, highExclusive: true, source: 'NCEP-ATP-III' }],
  },
  {
    code: 'hdl',
    loinc: '2085-9',
    name: { uz: 'HDL xolesterin', ru: 'Холестерин ЛПВП', en: 'HDL cholesterol' },
    siUnit: 'mmol/L',
    units: [same('mmol/L'), { unit: 'mg/dL', factor: CHOLESTEROL_MG_DL }],
    intervals: [{ low: 1.03, source: 'NCEP-ATP-III' }],
  },
  {
    code: 'triglycerides',
    loinc: '2571-8',
    name: { uz: 'Triglitseridlar', ru: 'Триглицериды', en: 'Triglycerides' },
    siUnit: 'mmol/L',
    units: [same('mmol/L'), { unit: 'mg/dL', factor: TRIGLYCERIDE_MG_DL }],
    intervals: [{ high: 1.69, highExclusive: true, source: 'NCEP-ATP-III' }],
  },
  {
    code: 'crp',
    loinc: '1988-5',
    name: { uz: 'C-reaktiv oqsil', ru: 'С-реактивный белок', en: 'C-reactive protein' },
    siUnit: 'mg/L',
    units: [same('mg/L'), { unit: 'mg/dL', factor: 10 }],
    intervals: [{ high: 8, source: 'ABIM' }],
  },
  {
    code: 'esr',
    loinc: '4537-7',
    name: {
      uz: 'Eritrotsitlarning choʻkish tezligi (EChT)',
      ru: 'Скорость оседания эритроцитов (СОЭ)',
      en: 'Erythrocyte sedimentation rate',
    },
    siUnit: 'mm/h',
    units: [same('mm/h')],
    intervals: [
      { sex: 'male', minAge: 50, high: 20, source: 'ABIM' },
      { sex: 'male', high: 15, source: 'ABIM' },
      { sex: 'female', minAge: 50, high: 30, source: 'ABIM' },
      { sex: 'female', high: 20, source: 'ABIM' },
    ],
  },
  {
    code: 'uric_acid',
    loinc: '3084-1',
    name: { uz: 'Siydik kislotasi', ru: 'Мочевая кислота', en: 'Uric acid' },
    siUnit: 'umol/L',
    units: [same('umol/L'), { unit: 'mg/dL', factor: 59.48 }, { unit: 'mmol/L', factor: 1000 }],
    intervals: [{ low: 178, high: 416, source: 'ABIM' }],
  },
];

export const analyteByCode: ReadonlyMap<string, Analyte> = new Map(
  analytes.map((a) => [a.code, a]),
);
