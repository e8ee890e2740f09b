import type { AnalysisLab, AnalysisRedFlag, Locale } from '@medora/schema';
import { evaluate } from './criteria';
import type { Facts } from './facts';
import { formatNumber, t } from './i18n';
import { criticalLimits } from './kb/critical-limits';
import type { MessageKey } from './kb/messages';
import { SEPSIS_SIGNS_FOR_FLAG, sepsisSigns, vitalRedFlags } from './kb/vital-signs';

/** Every LL/HH lab, in input order: critical, whatever the rest of the picture is. */
function criticalLabs(labs: readonly AnalysisLab[], locale: Locale): AnalysisRedFlag[] {
  const out: AnalysisRedFlag[] = [];
  for (const lab of labs) {
    if (lab.flag !== 'LL' && lab.flag !== 'HH') continue;
    // A duplicate analyte raises its red flag once.
    if (out.some((f) => f.code === `critical_lab.${lab.code}`)) continue;
    const limits = criticalLimits[lab.code];
    const limit = lab.flag === 'LL' ? limits?.low : limits?.high;
    if (limit === undefined || lab.siUnit === null || lab.siValue === null) continue;
    const params = {
      name: lab.name,
      value: formatNumber(lab.value),
      unit: lab.unit,
      limit: formatNumber(limit),
      siUnit: lab.siUnit,
    };
    out.push({
      code: `critical_lab.${lab.code}`,
      severity: 'critical',
      message: t(
        locale,
        lab.flag === 'LL' ? 'redflag.critical_low' : 'redflag.critical_high',
        params,
      ),
      evidence: [
        t(locale, 'evidence.flag', {
          name: lab.name,
          value: formatNumber(lab.siValue),
          unit: lab.siUnit,
          flag: t(locale, `flag.${lab.flag}`),
        }),
      ],
    });
  }
  return out;
}

function vitalFlags(facts: Facts, locale: Locale): AnalysisRedFlag[] {
  const out: AnalysisRedFlag[] = [];
  for (const rule of vitalRedFlags) {
    const held = rule.any.map((c) => evaluate(c, facts, locale)).filter((o) => o.ok);
    if (held.length === 0) continue;
    out.push({
      code: `vital.${rule.code}`,
      severity: rule.severity,
      message: t(locale, `redflag.${rule.code}` as MessageKey),
      evidence: held.flatMap((o) => o.evidence),
    });
  }
  const signs = sepsisSigns.map((c) => evaluate(c, facts, locale)).filter((o) => o.ok);
  if (signs.length >= SEPSIS_SIGNS_FOR_FLAG) {
    out.push({
      code: 'sepsis_screen',
      severity: 'urgent',
      message: t(locale, 'redflag.sepsis_screen'),
      evidence: signs.flatMap((o) => o.evidence),
    });
  }
  return out;
}

/**
 * The red flags of the report: critical labs, danger vital signs, then danger phrases in the
 * complaints (`dangerFound`: phrase id → the clause that contained it, in knowledge-base order).
 */
export function buildRedFlags(
  labs: readonly AnalysisLab[],
  facts: Facts,
  dangerFound: ReadonlyMap<string, string>,
  locale: Locale,
): AnalysisRedFlag[] {
  const phrases: AnalysisRedFlag[] = [...dangerFound].map(([id, clause]) => ({
    code: `phrase.${id}`,
    severity: 'urgent',
    message: t(locale, `redflag.phrase.${id}` as MessageKey),
    evidence: [clause],
  }));
  return [...criticalLabs(labs, locale), ...vitalFlags(facts, locale), ...phrases];
}
