import type { Locale } from '@medora/schema';
import type { Facts, LabFact } from './facts';
import { formatNumber, t } from './i18n';
import { analyteByCode } from './kb/analytes';
import type { MessageKey } from './kb/messages';
import type { Criterion, Op } from './kb/rules';
import { vitalUnits } from './kb/vital-signs';
import { convert } from './units';

/** The outcome of a criterion: whether it holds, and the sentences that show why. */
export interface Outcome {
  readonly ok: boolean;
  readonly evidence: readonly string[];
}

const NO: Outcome = { ok: false, evidence: [] };
const YES_SILENT: Outcome = { ok: true, evidence: [] };

const OP_TEXT: Readonly<Record<Op, string>> = { '<': '<', '<=': '≤', '>': '>', '>=': '≥' };

export function compare(a: number, op: Op, b: number): boolean {
  switch (op) {
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    case '>=':
      return a >= b;
  }
}

/** Thresholds written in a guideline's unit, converted to the canonical unit once. */
const thresholdCache = new Map<string, number>();
export function thresholdSi(analyte: string, value: number, unit: string | undefined): number {
  const def = analyteByCode.get(analyte);
  if (!def) throw new Error(`rule refers to unknown analyte ${analyte}`);
  if (unit === undefined) return value;
  const key = `${analyte}|${value}|${unit}`;
  let si = thresholdCache.get(key);
  if (si === undefined) {
    const converted = convert(def, value, unit, def.siUnit);
    if (converted === null) throw new Error(`rule unit ${unit} is not a unit of ${analyte}`);
    si = converted;
    thresholdCache.set(key, si);
  }
  return si;
}

/** "9.1", "g/dL (= 91 g/L)" when the value was given in another unit, "91", "g/L" otherwise. */
function valueParts(lab: LabFact): { value: string; unit: string } {
  const same = lab.value === lab.siValue && lab.unit === lab.siUnit;
  return {
    value: formatNumber(lab.value),
    unit: same ? lab.unit : `${lab.unit} (= ${formatNumber(lab.siValue)} ${lab.siUnit})`,
  };
}

/**
 * Evaluates a rule criterion against the facts, collecting evidence in the report's language.
 * `explain: false` skips the sentences where only the verdict is needed (variant choice, the
 * inside of a `not`): writing text is most of the engine's work.
 */
export function evaluate(c: Criterion, facts: Facts, locale: Locale, explain = true): Outcome {
  if ('lab' in c) {
    const lab = facts.labs.get(c.lab);
    if (!lab) return NO;
    const threshold = thresholdSi(c.lab, c.value, c.unit);
    if (!compare(lab.siValue, c.op, threshold)) return NO;
    if (!explain) return YES_SILENT;
    return {
      ok: true,
      evidence: [
        t(locale, 'evidence.lab', {
          name: lab.name,
          ...valueParts(lab),
          op: OP_TEXT[c.op],
          threshold: formatNumber(threshold),
          siUnit: lab.siUnit,
        }),
      ],
    };
  }
  if ('flag' in c) {
    const lab = facts.labs.get(c.flag);
    if (!lab || lab.flag === null || !c.in.includes(lab.flag)) return NO;
    if (!explain) return YES_SILENT;
    return {
      ok: true,
      evidence: [
        t(locale, 'evidence.flag', {
          name: lab.name,
          ...valueParts(lab),
          flag: t(locale, `flag.${lab.flag}`),
        }),
      ],
    };
  }
  if ('measured' in c) return facts.labs.has(c.measured) ? YES_SILENT : NO;
  if ('fact' in c) {
    const v = facts.numbers[c.fact];
    if (v === undefined || !compare(v, c.op, c.value)) return NO;
    if (!explain) return YES_SILENT;
    return {
      ok: true,
      evidence: [
        t(locale, 'evidence.fact', {
          name: t(locale, `fact.${c.fact}`),
          value: formatNumber(v),
          op: OP_TEXT[c.op],
          threshold: formatNumber(c.value),
        }),
      ],
    };
  }
  if ('vital' in c) {
    const v = facts.vitals[c.vital];
    if (v === undefined || !compare(v, c.op, c.value)) return NO;
    if (!explain) return YES_SILENT;
    return {
      ok: true,
      evidence: [
        t(locale, 'evidence.vital', {
          name: t(locale, `vital.${c.vital}`),
          value: formatNumber(v),
          unit: vitalUnits[c.vital],
        }),
      ],
    };
  }
  if ('symptom' in c) {
    const clause = facts.symptoms.get(c.symptom);
    if (clause === undefined) return NO;
    if (!explain) return YES_SILENT;
    return {
      ok: true,
      evidence: [
        t(locale, 'evidence.symptom', {
          name: t(locale, `symptom.${c.symptom}` as MessageKey),
          text: clause,
        }),
      ],
    };
  }
  if ('history' in c) {
    if (!facts.history.has(c.history)) return NO;
    if (!explain) return YES_SILENT;
    return {
      ok: true,
      evidence: [
        t(locale, 'evidence.history', {
          name: t(locale, `history.${c.history}` as MessageKey),
        }),
      ],
    };
  }
  if ('sex' in c) return facts.sex === c.sex ? YES_SILENT : NO;
  if ('age' in c) return compare(facts.ageYears, c.age, c.value) ? YES_SILENT : NO;
  if ('all' in c) {
    const evidence: string[] = [];
    for (const part of c.all) {
      const o = evaluate(part, facts, locale, explain);
      if (!o.ok) return NO;
      evidence.push(...o.evidence);
    }
    return { ok: true, evidence };
  }
  if ('any' in c) {
    const held = c.any.map((part) => evaluate(part, facts, locale, explain)).filter((o) => o.ok);
    return held.length === 0 ? NO : { ok: true, evidence: held.flatMap((o) => o.evidence) };
  }
  const inner = evaluate(c.not, facts, locale, false);
  if (inner.ok) return NO;
  // "Not measured" is itself worth saying: it tells the doctor what to order.
  if (explain && 'measured' in c.not) {
    const name = analyteByCode.get(c.not.measured)?.name[locale] ?? c.not.measured;
    return { ok: true, evidence: [t(locale, 'evidence.not_measured', { name })] };
  }
  return YES_SILENT;
}
