import type { Localized } from './localized';

/** Follow-up investigations a condition may recommend, by id. */
export const tests = {
  ferritin: { uz: 'Ferritin', ru: 'Ферритин', en: 'Ferritin' },
  iron_studies: {
    uz: 'Temir almashinuvi (temir, transferrin toʻyinganligi)',
    ru: 'Обмен железа (железо, насыщение трансферрина)',
    en: 'Iron studies (iron, transferrin saturation)',
  },
  reticulocytes: { uz: 'Retikulotsitlar', ru: 'Ретикулоциты', en: 'Reticulocyte count' },
  faecal_occult_blood: {
    uz: 'Najasda yashirin qon',
    ru: 'Анализ кала на скрытую кровь',
    en: 'Faecal occult blood test',
  },
  vitamin_b12: { uz: 'B12 vitamini', ru: 'Витамин B12', en: 'Vitamin B12' },
  folate: { uz: 'Foliy kislotasi', ru: 'Фолиевая кислота', en: 'Folate' },
  blood_smear: {
    uz: 'Periferik qon surtmasi',
    ru: 'Мазок периферической крови',
    en: 'Peripheral blood smear',
  },
  cbc_differential: {
    uz: 'Leykotsitar formula bilan umumiy qon tahlili',
    ru: 'Общий анализ крови с лейкоцитарной формулой',
    en: 'Full blood count with differential',
  },
  hba1c: { uz: 'HbA1c (takroriy)', ru: 'HbA1c (повторно)', en: 'HbA1c (repeat)' },
  glucose_fasting: {
    uz: 'Och qoringa glyukoza (takroriy)',
    ru: 'Глюкоза натощак (повторно)',
    en: 'Fasting glucose (repeat)',
  },
  ogtt: {
    uz: 'Glyukozaga tolerantlik testi (75 g)',
    ru: 'Глюкозотолерантный тест (75 г)',
    en: 'Oral glucose tolerance test (75 g)',
  },
  c_peptide: {
    uz: 'Insulin va C-peptid (gipoglikemiya paytida)',
    ru: 'Инсулин и C-пептид (во время гипогликемии)',
    en: 'Insulin and C-peptide (during hypoglycaemia)',
  },
  lipid_panel: { uz: 'Lipidogramma', ru: 'Липидограмма', en: 'Lipid panel' },
  urine_acr: {
    uz: 'Siydikda albumin/kreatinin nisbati',
    ru: 'Альбумин/креатинин в моче',
    en: 'Urine albumin-to-creatinine ratio',
  },
  creatinine_repeat: {
    uz: 'Kreatinin va KFT (3 oydan keyin takroriy)',
    ru: 'Креатинин и СКФ (повторно через 3 месяца)',
    en: 'Creatinine and eGFR (repeat after 3 months)',
  },
  urinalysis: { uz: 'Umumiy siydik tahlili', ru: 'Общий анализ мочи', en: 'Urinalysis' },
  urine_culture: { uz: 'Siydik ekmasi', ru: 'Посев мочи', en: 'Urine culture' },
  electrolytes: {
    uz: 'Elektrolitlar (natriy, kaliy, bikarbonat)',
    ru: 'Электролиты (натрий, калий, бикарбонат)',
    en: 'Electrolytes (sodium, potassium, bicarbonate)',
  },
  kidney_ultrasound: { uz: 'Buyraklar UTTsi', ru: 'УЗИ почек', en: 'Kidney ultrasound' },
  tsh: { uz: 'Tireotrop gormon (TTG)', ru: 'ТТГ', en: 'TSH' },
  free_t4: { uz: 'Erkin T4', ru: 'Свободный T4', en: 'Free T4' },
  free_t3: { uz: 'Erkin T3', ru: 'Свободный T3', en: 'Free T3' },
  anti_tpo: {
    uz: 'Tireoperoksidazaga antitanachalar',
    ru: 'Антитела к тиреопероксидазе',
    en: 'Thyroid peroxidase antibodies',
  },
  trab: {
    uz: 'TTG retseptorlariga antitanachalar',
    ru: 'Антитела к рецепторам ТТГ',
    en: 'TSH-receptor antibodies',
  },
  thyroid_ultrasound: {
    uz: 'Qalqonsimon bez UTTsi',
    ru: 'УЗИ щитовидной железы',
    en: 'Thyroid ultrasound',
  },
  ecg: { uz: 'EKG', ru: 'ЭКГ', en: 'ECG' },
  potassium_repeat: {
    uz: 'Kaliy (gemolizsiz takroriy namuna)',
    ru: 'Калий (повторно, без гемолиза)',
    en: 'Potassium (repeat, non-haemolysed sample)',
  },
  magnesium: { uz: 'Magniy', ru: 'Магний', en: 'Magnesium' },
  serum_osmolality: {
    uz: 'Zardob osmolyalligi',
    ru: 'Осмоляльность сыворотки',
    en: 'Serum osmolality',
  },
  urine_sodium_osmolality: {
    uz: 'Siydikda natriy va osmolyallik',
    ru: 'Натрий и осмоляльность мочи',
    en: 'Urine sodium and osmolality',
  },
  cortisol: { uz: 'Ertalabki kortizol', ru: 'Кортизол утром', en: 'Morning cortisol' },
  blood_gas: {
    uz: 'Qon gazlari va kislota-ishqor holati',
    ru: 'Газы крови и КЩС',
    en: 'Blood gas and acid–base status',
  },
  lactate: { uz: 'Laktat', ru: 'Лактат', en: 'Lactate' },
  pth: { uz: 'Paratgormon', ru: 'Паратгормон', en: 'Parathyroid hormone' },
  vitamin_d: { uz: '25-OH D vitamini', ru: '25-OH витамин D', en: '25-OH vitamin D' },
  phosphate: { uz: 'Fosfor', ru: 'Фосфор', en: 'Phosphate' },
  ionised_calcium: { uz: 'Ionlashgan kalsiy', ru: 'Ионизированный кальций', en: 'Ionised calcium' },
  urine_calcium: {
    uz: 'Sutkalik siydikda kalsiy',
    ru: 'Кальций в суточной моче',
    en: '24-hour urine calcium',
  },
  hepatitis_serology: {
    uz: 'Virusli gepatitlar markerlari (HBsAg, anti-HCV)',
    ru: 'Маркеры вирусных гепатитов (HBsAg, анти-HCV)',
    en: 'Viral hepatitis serology (HBsAg, anti-HCV)',
  },
  liver_ultrasound: {
    uz: 'Jigar va oʻt yoʻllari UTTsi',
    ru: 'УЗИ печени и желчевыводящих путей',
    en: 'Liver and biliary ultrasound',
  },
  coagulation: {
    uz: 'Koagulogramma (INR, AChTV)',
    ru: 'Коагулограмма (МНО, АЧТВ)',
    en: 'Coagulation screen (INR, aPTT)',
  },
  liver_panel: {
    uz: 'Jigar sinamalari (ALT, AST, ishqoriy fosfataza, GGT, bilirubin, albumin)',
    ru: 'Печёночные пробы (АЛТ, АСТ, ЩФ, ГГТ, билирубин, альбумин)',
    en: 'Liver panel (ALT, AST, ALP, GGT, bilirubin, albumin)',
  },
  ama: {
    uz: 'Antimitoxondrial antitanachalar',
    ru: 'Антимитохондриальные антитела',
    en: 'Anti-mitochondrial antibodies',
  },
  bilirubin_fractions: {
    uz: 'Bilirubin fraksiyalari',
    ru: 'Фракции билирубина',
    en: 'Bilirubin fractions',
  },
  joint_aspiration: {
    uz: 'Boʻgʻim suyuqligida kristallar',
    ru: 'Исследование синовиальной жидкости на кристаллы',
    en: 'Joint aspiration for crystals',
  },
  procalcitonin: { uz: 'Prokalsitonin', ru: 'Прокальцитонин', en: 'Procalcitonin' },
  chest_xray: {
    uz: 'Koʻkrak qafasi rentgenografiyasi',
    ru: 'Рентгенография грудной клетки',
    en: 'Chest X-ray',
  },
  blood_culture: { uz: 'Qon ekmasi', ru: 'Посев крови', en: 'Blood cultures' },
  sputum_culture: { uz: 'Balgʻam ekmasi', ru: 'Посев мокроты', en: 'Sputum culture' },
  bp_monitoring: {
    uz: 'Uyda yoki sutkalik arterial bosim monitoringi',
    ru: 'Домашнее или суточное мониторирование АД',
    en: 'Home or ambulatory blood pressure monitoring',
  },
  creatinine: { uz: 'Kreatinin va KFT', ru: 'Креатинин и СКФ', en: 'Creatinine and eGFR' },
} as const satisfies Record<string, Localized>;

export type TestId = keyof typeof tests;
