/**
 * Every source the knowledge base cites, by id. Intervals, limits, thresholds and rules point at
 * these ids; the report carries the ids, and a client resolves them to the citation here.
 */
export interface Source {
  readonly citation: string;
  readonly url: string;
}

export const sources = {
  ABIM: {
    citation:
      'American Board of Internal Medicine. ABIM Laboratory Test Reference Ranges (edition in force when knowledge base 2026.12-1 was compiled, December 2026).',
    url: 'https://www.abim.org/Media/bfijryql/laboratory-reference-ranges.pdf',
  },
  'KOST-1990': {
    citation:
      'Kost GJ. Critical limits for urgent clinician notification at US medical centers. JAMA 1990;263(5):704–707. doi:10.1001/jama.263.5.704',
    url: 'https://doi.org/10.1001/jama.263.5.704',
  },
  'ADA-2025': {
    citation:
      'ADA Professional Practice Committee. 2. Diagnosis and Classification of Diabetes: Standards of Care in Diabetes—2025. Diabetes Care 2025;48(Suppl 1):S27–S49.',
    url: 'https://doi.org/10.2337/dc25-S002',
  },
  'NGSP-IFCC': {
    citation: 'NGSP. IFCC–NGSP master equation: NGSP (%) = 0.09148 × IFCC (mmol/mol) + 2.152.',
    url: 'https://ngsp.org/ifccngsp.asp',
  },
  'NCEP-ATP-III': {
    citation:
      'Executive Summary of the Third Report of the National Cholesterol Education Program (NCEP) Expert Panel (Adult Treatment Panel III). JAMA 2001;285(19):2486–2497.',
    url: 'https://doi.org/10.1001/jama.285.19.2486',
  },
  'KDIGO-2024': {
    citation:
      'KDIGO 2024 Clinical Practice Guideline for the Evaluation and Management of Chronic Kidney Disease. Kidney Int 2024;105(4S):S117–S314.',
    url: 'https://doi.org/10.1016/j.kint.2023.10.018',
  },
  'CKD-EPI-2021': {
    citation:
      'Inker LA et al. New creatinine- and cystatin C-based equations to estimate GFR without race. N Engl J Med 2021;385(19):1737–1749.',
    url: 'https://doi.org/10.1056/NEJMoa2102953',
  },
  'WHO-2024': {
    citation:
      'WHO. Guideline on haemoglobin cutoffs to define anaemia in individuals and populations. Geneva: World Health Organization; 2024.',
    url: 'https://www.who.int/publications/i/item/9789240088542',
  },
  'WHO-2020': {
    citation:
      'WHO. WHO guideline on use of ferritin concentrations to assess iron status in individuals and populations. Geneva: World Health Organization; 2020.',
    url: 'https://www.who.int/publications/i/item/9789240000124',
  },
  'BSH-2014': {
    citation:
      'Devalia V et al. Guidelines for the diagnosis and treatment of cobalamin and folate disorders. Br J Haematol 2014;166(4):496–513.',
    url: 'https://doi.org/10.1111/bjh.12959',
  },
  'ATA-2012': {
    citation:
      'Garber JR et al. Clinical practice guidelines for hypothyroidism in adults. Thyroid 2012;22(12):1200–1235.',
    url: 'https://doi.org/10.1089/thy.2012.0205',
  },
  'ATA-2016': {
    citation:
      'Ross DS et al. 2016 American Thyroid Association guidelines for diagnosis and management of hyperthyroidism and other causes of thyrotoxicosis. Thyroid 2016;26(10):1343–1421.',
    url: 'https://doi.org/10.1089/thy.2016.0229',
  },
  'ACG-2017': {
    citation:
      'Kwo PY et al. ACG Clinical Guideline: evaluation of abnormal liver chemistries. Am J Gastroenterol 2017;112(1):18–35.',
    url: 'https://doi.org/10.1038/ajg.2016.517',
  },
  'SPASOVSKI-2014': {
    citation:
      'Spasovski G et al. Clinical practice guideline on diagnosis and treatment of hyponatraemia. Eur J Endocrinol 2014;170(3):G1–G47.',
    url: 'https://doi.org/10.1530/EJE-13-1020',
  },
  'ACR-2020': {
    citation:
      'FitzGerald JD et al. 2020 American College of Rheumatology Guideline for the Management of Gout. Arthritis Care Res 2020;72(6):744–760.',
    url: 'https://doi.org/10.1002/acr.24180',
  },
  'ACC-AHA-2017': {
    citation:
      'Whelton PK et al. 2017 ACC/AHA/AAPA/ABC/ACPM/AGS/APhA/ASH/ASPC/NMA/PCNA guideline for the prevention, detection, evaluation, and management of high blood pressure in adults. Hypertension 2018;71(6):e13–e115.',
    url: 'https://doi.org/10.1161/HYP.0000000000000065',
  },
  'SEPSIS-3': {
    citation:
      'Singer M et al. The Third International Consensus Definitions for Sepsis and Septic Shock (Sepsis-3). JAMA 2016;315(8):801–810.',
    url: 'https://doi.org/10.1001/jama.2016.0287',
  },
  'LEVY-2003': {
    citation:
      'Levy MM et al. 2001 SCCM/ESICM/ACCP/ATS/SIS International Sepsis Definitions Conference. Crit Care Med 2003;31(4):1250–1256.',
    url: 'https://doi.org/10.1097/01.CCM.0000050454.01978.3B',
  },
  'PAYNE-1973': {
    citation:
      'Payne RB, Little AJ, Williams RB, Milner JR. Interpretation of serum calcium in patients with abnormal serum proteins. BMJ 1973;4(5893):643–646.',
    url: 'https://doi.org/10.1136/bmj.4.5893.643',
  },
  'KRAUT-2007': {
    citation:
      'Kraut JA, Madias NE. Serum anion gap: its uses and limitations in clinical medicine. Clin J Am Soc Nephrol 2007;2(1):162–174.',
    url: 'https://doi.org/10.2215/CJN.03020906',
  },
  'WHO-BMI': {
    citation:
      'WHO. Obesity: preventing and managing the global epidemic. Report of a WHO consultation. WHO Technical Report Series 894. Geneva: WHO; 2000.',
    url: 'https://iris.who.int/handle/10665/42330',
  },
  'ICD-10': {
    citation: 'WHO. International Statistical Classification of Diseases, 10th revision, 2019.',
    url: 'https://icd.who.int/browse10/2019/en',
  },
  HL7: {
    citation: 'HL7 Terminology. ObservationInterpretation (v3).',
    url: 'https://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation',
  },
} as const satisfies Record<string, Source>;

export type SourceId = keyof typeof sources;
