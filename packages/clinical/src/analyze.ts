import {
  analysisInput,
  type AnalysisInput,
  type AnalysisLab,
  type AnalysisReport,
  type AnalysisWarning,
  type Locale,
  type ParsedAnalysisInput,
} from '@medora/schema';
import { computeDerived, type DerivedInputs } from './derived';
import { buildDifferential, collectTests } from './differential';
import type { Facts, LabFact } from './facts';
import { applyPrinted, defaultBand, flagValue } from './flags';
import { t } from './i18n';
import { analyteByCode } from './kb/analytes';
import { criticalLimits } from './kb/critical-limits';
import { dangerPhrases, historyGroups, symptomGroups } from './kb/phrases';
import type { FactId } from './kb/rules';
import { sepsisSigns } from './kb/vital-signs';
import { buildRedFlags } from './red-flags';
import { compileGroups, findGroups, normalizeText, splitClauses } from './text';
import { convert, findUnit, toSi } from './units';
import { ENGINE_VERSION, KNOWLEDGE_BASE_VERSION } from './version';
import { evaluate } from './criteria';

const danger = compileGroups(dangerPhrases);
const symptoms = compileGroups(symptomGroups);
const history = compileGroups(historyGroups);

interface LabsResult {
  rows: AnalysisLab[];
  facts: Map<string, LabFact>;
  warnings: AnalysisWarning[];
}

/**
 * One row per input lab, in input order. Known analyte in a known unit: converted, judged against
 * the printed or default interval and the critical limits. Otherwise the row keeps the value as
 * given, `siValue`/`siUnit` null, and is judged against the printed interval alone, if any.
 */
function interpretLabs(input: ParsedAnalysisInput): LabsResult {
  const { locale, patient } = input;
  const rows: AnalysisLab[] = [];
  const facts = new Map<string, LabFact>();
  const warnings: AnalysisWarning[] = [];
  for (const lab of input.labs) {
    const printedLow = lab.referenceLow ?? null;
    const printedHigh = lab.referenceHigh ?? null;
    const analyte = analyteByCode.get(lab.code);
    const unit = analyte && findUnit(analyte, lab.unit);
    if (!analyte || !unit) {
      const interval = applyPrinted(null, printedLow, printedHigh);
      warnings.push({
        code: analyte ? 'unconvertible_unit' : 'unknown_analyte',
        message: analyte
          ? t(locale, 'warning.unconvertible_unit', { code: lab.code, unit: lab.unit })
          : t(locale, 'warning.unknown_analyte', { code: lab.code }),
        analyte: lab.code,
      });
      rows.push({
        code: lab.code,
        name: analyte ? analyte.name[locale] : lab.code,
        value: lab.value,
        unit: lab.unit,
        siValue: null,
        siUnit: null,
        referenceLow: interval.low,
        referenceHigh: interval.high,
        referenceSource: interval.source,
        flag: flagValue(lab.value, interval, undefined),
      });
      continue;
    }
    const siValue = toSi(unit, lab.value);
    const interval = applyPrinted(
      defaultBand(analyte, patient.sex, patient.ageYears),
      printedLow === null ? null : toSi(unit, printedLow),
      printedHigh === null ? null : toSi(unit, printedHigh),
    );
    const row: AnalysisLab = {
      code: lab.code,
      name: analyte.name[locale],
      value: lab.value,
      unit: lab.unit,
      siValue,
      siUnit: analyte.siUnit,
      referenceLow: interval.low,
      referenceHigh: interval.high,
      referenceSource: interval.source,
      flag: flagValue(siValue, interval, criticalLimits[lab.code]),
    };
    rows.push(row);
    if (facts.has(lab.code)) {
      warnings.push({
        code: 'duplicate_analyte',
        message: t(locale, 'warning.duplicate_analyte', { code: lab.code }),
        analyte: lab.code,
      });
      continue;
    }
    facts.set(lab.code, {
      code: lab.code,
      name: row.name,
      value: lab.value,
      unit: lab.unit,
      siValue,
      siUnit: analyte.siUnit,
      flag: row.flag,
      high: interval.high,
    });
  }
  return { rows, facts, warnings };
}

function derivedInputs(input: ParsedAnalysisInput, labs: ReadonlyMap<string, LabFact>) {
  const si = (code: string) => labs.get(code)?.siValue;
  const creatinine = si('creatinine');
  const creatinineDef = analyteByCode.get('creatinine')!;
  const inputs: DerivedInputs = {
    sex: input.patient.sex,
    ageYears: input.patient.ageYears,
    weightKg: input.patient.weightKg,
    heightCm: input.patient.heightCm,
    creatinineMgDl:
      creatinine === undefined
        ? undefined
        : (convert(creatinineDef, creatinine, creatinineDef.siUnit, 'mg/dL') ?? undefined),
    sodium: si('sodium'),
    chloride: si('chloride'),
    bicarbonate: si('bicarbonate'),
    calcium: si('calcium'),
    albumin: si('albumin'),
    totalCholesterol: si('total_cholesterol'),
    hdl: si('hdl'),
  };
  return inputs;
}

/** The numbers the rules read: derived values plus the liver ratio and the sepsis-sign count. */
function numericFacts(
  derived: ReturnType<typeof computeDerived>,
  labs: ReadonlyMap<string, LabFact>,
  partial: Omit<Facts, 'numbers'>,
  locale: Locale,
): Partial<Record<FactId, number>> {
  const of = (code: string) => derived.find((d) => d.code === code)?.value;
  const numbers: Partial<Record<FactId, number>> = {};
  const set = (id: FactId, v: number | undefined) => {
    if (v !== undefined && Number.isFinite(v)) numbers[id] = v;
  };
  set('egfr', of('egfr_ckd_epi_2021'));
  set('bmi', of('bmi'));
  set('anion_gap', of('anion_gap'));
  set('calcium_adjusted', of('corrected_calcium') ?? labs.get('calcium')?.siValue);
  const alt = labs.get('alt');
  const alp = labs.get('alp');
  if (alt?.high) {
    set('alt_uln', alt.siValue / alt.high);
    if (alp?.high && alp.siValue > 0)
      set('liver_r', alt.siValue / alt.high / (alp.siValue / alp.high));
  }
  set(
    'sepsis_signs',
    sepsisSigns.filter((c) => evaluate(c, { ...partial, numbers: {} }, locale, false).ok).length,
  );
  return numbers;
}

/**
 * The engine: a pure function from one patient's data to the report. Same input, same bytes out —
 * no clock, no randomness, and every list in a fixed order. Invalid input throws the ZodError of
 * `analysisInput`, whose issues name the fields.
 */
export function analyze(raw: AnalysisInput): AnalysisReport {
  const input = analysisInput.parse(raw);
  const { locale, patient } = input;
  const { rows, facts: labFacts, warnings } = interpretLabs(input);
  const derived = computeDerived(derivedInputs(input, labFacts), locale);

  const complaintClauses = splitClauses(normalizeText(input.complaints));
  const historyClauses = splitClauses(
    normalizeText([input.history ?? '', ...(input.medications ?? []), input.complaints].join('\n')),
  );
  const partial: Omit<Facts, 'numbers'> = {
    sex: patient.sex,
    ageYears: patient.ageYears,
    labs: labFacts,
    vitals: input.vitals ?? {},
    symptoms: findGroups(complaintClauses, symptoms),
    history: findGroups(historyClauses, history),
  };
  const facts: Facts = { ...partial, numbers: numericFacts(derived, labFacts, partial, locale) };

  const redFlags = buildRedFlags(rows, facts, findGroups(complaintClauses, danger), locale);
  const differential = buildDifferential(facts, locale);

  if (patient.pregnant === true)
    warnings.push({ code: 'pregnant', message: t(locale, 'warning.pregnant') });
  if (patient.ageYears < 18)
    warnings.push({ code: 'under_18', message: t(locale, 'warning.under_18') });
  if (differential.some((c) => c.code.startsWith('N18')) && !facts.history.has('chronic_kidney'))
    warnings.push({ code: 'ckd_chronicity', message: t(locale, 'warning.ckd_chronicity') });

  return {
    engine: { kind: 'rules', version: ENGINE_VERSION, knowledgeBase: KNOWLEDGE_BASE_VERSION },
    locale,
    labs: rows,
    derived,
    redFlags,
    differential,
    recommendedTests: collectTests(differential),
    warnings,
    disclaimer: t(locale, 'disclaimer'),
  };
}
