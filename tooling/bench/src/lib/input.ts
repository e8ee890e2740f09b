import { randomUUID } from 'node:crypto';
import type { AnalysisInput, CreateAnalysisInput } from '@medora/schema';

const COMPLAINTS =
  'Жажда, слабость, ночью встаю в туалет 2–3 раза. Одышка при подъёме по лестнице, боли в груди нет.';
const HISTORY = 'Сахарный диабет 2 типа 8 лет, гипертония.';

/**
 * One realistic 30-lab input (a metabolic, renal and haematology panel with complaints, history
 * and vitals): what the engine benchmark times, and the base of the stored analyses' inputs.
 */
export const REALISTIC_INPUT: AnalysisInput = {
  locale: 'ru',
  patient: { sex: 'male', ageYears: 61, weightKg: 94, heightCm: 174 },
  complaints: `${COMPLAINTS} Тяжесть в правом подреберье после еды.`,
  history: `${HISTORY} СКФ около 55 в течение года.`,
  medications: ['метформин 1000 мг 2 раза в день', 'лизиноприл 10 мг', 'аторвастатин 20 мг'],
  vitals: {
    systolicBp: 148,
    diastolicBp: 92,
    heartRate: 84,
    respiratoryRate: 16,
    temperatureC: 36.7,
    spo2: 97,
  },
  labs: [
    { code: 'hemoglobin', value: 12.4, unit: 'g/dL' },
    { code: 'hematocrit', value: 38, unit: '%' },
    { code: 'wbc', value: 7.9, unit: '10^9/L' },
    { code: 'platelets', value: 231, unit: '10^3/uL' },
    { code: 'mcv', value: 84, unit: 'fL' },
    { code: 'ferritin', value: 48, unit: 'ng/mL' },
    { code: 'iron', value: 62, unit: 'ug/dL' },
    { code: 'transferrin_saturation', value: 21, unit: '%' },
    { code: 'vitamin_b12', value: 310, unit: 'pg/mL' },
    { code: 'glucose_fasting', value: 162, unit: 'mg/dL' },
    { code: 'hba1c', value: 64, unit: 'mmol/mol' },
    { code: 'creatinine', value: 1.38, unit: 'mg/dL' },
    { code: 'urea', value: 9.1, unit: 'mmol/L' },
    { code: 'sodium', value: 137, unit: 'mEq/L' },
    { code: 'potassium', value: 5.3, unit: 'mmol/L', referenceLow: 3.5, referenceHigh: 5.1 },
    { code: 'chloride', value: 101, unit: 'mmol/L' },
    { code: 'bicarbonate', value: 22, unit: 'mmol/L' },
    { code: 'calcium', value: 9.6, unit: 'mg/dL' },
    { code: 'albumin', value: 4.1, unit: 'g/dL' },
    { code: 'alt', value: 68, unit: 'U/L' },
    { code: 'ast', value: 51, unit: 'U/L' },
    { code: 'alp', value: 96, unit: 'U/L' },
    { code: 'ggt', value: 71, unit: 'U/L' },
    { code: 'bilirubin_total', value: 0.9, unit: 'mg/dL' },
    { code: 'tsh', value: 2.2, unit: 'mIU/L' },
    { code: 'total_cholesterol', value: 6.4, unit: 'mmol/L' },
    { code: 'ldl', value: 4.3, unit: 'mmol/L' },
    { code: 'hdl', value: 0.9, unit: 'mmol/L' },
    { code: 'triglycerides', value: 2.8, unit: 'mmol/L' },
    { code: 'uric_acid', value: 7.9, unit: 'mg/dL' },
  ],
};

/** The visit's 12 labs, in the order the visit sends them. */
const VISIT_LABS = [
  'hemoglobin',
  'wbc',
  'platelets',
  'glucose_fasting',
  'hba1c',
  'creatinine',
  'potassium',
  'sodium',
  'alt',
  'ast',
  'ldl',
  'tsh',
];

/**
 * A realistic visit as a doctor enters it (`analysis.create`): the same patient with the shorter
 * complaints and history, two of the medications, the vitals without the breathing rate and a
 * 12-lab panel, all taken from REALISTIC_INPUT.
 */
export function visitInput(patientId: string): CreateAnalysisInput {
  const { patient, medications, vitals, labs } = REALISTIC_INPUT;
  const { respiratoryRate: _, ...visitVitals } = vitals!;
  return {
    patientId,
    idempotencyKey: randomUUID(),
    complaints: COMPLAINTS,
    history: HISTORY,
    medications: medications!.slice(0, 2),
    patient: { weightKg: patient.weightKg, heightCm: patient.heightCm },
    vitals: visitVitals,
    labs: VISIT_LABS.map((code) => labs.find((l) => l.code === code)!),
  };
}
