import type { AnalysisCondition, AnalysisTest, Locale } from '@medora/schema';
import { evaluate } from './criteria';
import type { Facts } from './facts';
import { pick, t } from './i18n';
import type { MessageKey } from './kb/messages';
import { MIN_SCORE, rules, type ConditionRule, type Weighted } from './kb/rules';
import { tests } from './kb/tests';

const unique = (xs: readonly string[]): string[] => [...new Set(xs)];

function weighed(items: readonly Weighted[], facts: Facts, locale: Locale) {
  let total = 0;
  const evidence: string[] = [];
  for (const item of items) {
    const o = evaluate(item.when, facts, locale, item.message === undefined);
    if (!o.ok) continue;
    total += item.weight;
    evidence.push(...(item.message ? [t(locale, item.message)] : o.evidence));
  }
  return { total, evidence };
}

function assess(rule: ConditionRule, facts: Facts, locale: Locale): AnalysisCondition | null {
  const required = evaluate(rule.requires, facts, locale);
  if (!required.ok) return null;
  const variant =
    rule.variants.find((v) => v.when === undefined || evaluate(v.when, facts, locale, false).ok) ??
    rule.variants[rule.variants.length - 1]!;
  const pro = weighed(rule.supports, facts, locale);
  const con = weighed(rule.against, facts, locale);
  const score = Math.max(0, Math.min(100, Math.round(rule.base + pro.total - con.total)));
  const referral = variant.referral ?? rule.referral;
  return {
    code: variant.code,
    name: pick(locale, variant.name),
    score,
    evidenceFor: unique([...required.evidence, ...pro.evidence]),
    evidenceAgainst: unique(con.evidence),
    recommendedTests: rule.tests.map((id) => ({ code: id, name: pick(locale, tests[id]) })),
    ...(referral && {
      referral: {
        specialty: referral.specialty,
        name: t(locale, `specialty.${referral.specialty}` as MessageKey),
        urgency: referral.urgency,
      },
    }),
    sources: [...rule.sources],
  };
}

/**
 * Every condition whose rule holds and whose score reaches MIN_SCORE, best first; equal scores are
 * ordered by ICD-10 code, then by rule order, so the ranking never depends on anything else.
 */
export function buildDifferential(facts: Facts, locale: Locale): AnalysisCondition[] {
  return rules
    .map((rule, index) => ({ index, condition: assess(rule, facts, locale) }))
    .filter(
      (r): r is { index: number; condition: AnalysisCondition } =>
        r.condition !== null && r.condition.score >= MIN_SCORE,
    )
    .sort(
      (a, b) =>
        b.condition.score - a.condition.score ||
        (a.condition.code < b.condition.code ? -1 : a.condition.code > b.condition.code ? 1 : 0) ||
        a.index - b.index,
    )
    .map((r) => r.condition);
}

/** The tests of the whole differential, in ranking order, each once. */
export function collectTests(differential: readonly AnalysisCondition[]): AnalysisTest[] {
  const seen = new Map<string, AnalysisTest>();
  for (const c of differential)
    for (const test of c.recommendedTests) if (!seen.has(test.code)) seen.set(test.code, test);
  return [...seen.values()];
}
