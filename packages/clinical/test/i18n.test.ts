import { locales } from '@medora/schema';
import { describe, expect, it } from 'vitest';
import { analytes } from '../src/kb/analytes';
import type { Localized } from '../src/kb/localized';
import { messages } from '../src/kb/messages';
import { dangerPhrases, historyGroups, symptomGroups } from '../src/kb/phrases';
import { rules, type Criterion, type SpecialtyId } from '../src/kb/rules';
import { sources } from '../src/kb/sources';
import { tests } from '../src/kb/tests';
import { vitalRedFlags } from '../src/kb/vital-signs';

const complete = (what: string, text: Localized | undefined) => {
  expect(text, what).toBeDefined();
  for (const locale of locales) expect(text![locale]?.trim(), `${what} [${locale}]`).toBeTruthy();
};
const message = (key: string) => (messages as Record<string, Localized>)[key];

function leaves(c: Criterion): Criterion[] {
  if ('all' in c) return c.all.flatMap(leaves);
  if ('any' in c) return c.any.flatMap(leaves);
  if ('not' in c) return leaves(c.not);
  return [c];
}

describe('localisation', () => {
  it('every message exists in uz, ru and en', () => {
    for (const [key, text] of Object.entries(messages)) complete(key, text);
  });

  it('every knowledge-base name exists in uz, ru and en', () => {
    for (const a of analytes) complete(a.code, a.name);
    for (const [id, text] of Object.entries(tests)) complete(`test ${id}`, text);
    for (const rule of rules)
      for (const v of rule.variants) complete(`${rule.id} ${v.code}`, v.name);
  });

  it('every key the engine builds from knowledge-base ids has a message', () => {
    for (const g of dangerPhrases) complete(`phrase ${g.id}`, message(`redflag.phrase.${g.id}`));
    for (const g of symptomGroups) complete(`symptom ${g.id}`, message(`symptom.${g.id}`));
    for (const g of historyGroups) complete(`history ${g.id}`, message(`history.${g.id}`));
    for (const f of vitalRedFlags) complete(`vital ${f.code}`, message(`redflag.${f.code}`));
    const specialties = new Set<SpecialtyId>();
    for (const rule of rules) {
      if (rule.referral) specialties.add(rule.referral.specialty);
      for (const v of rule.variants) if (v.referral) specialties.add(v.referral.specialty);
      const criteria = [
        rule.requires,
        ...rule.variants.flatMap((v) => (v.when ? [v.when] : [])),
        ...rule.supports.map((w) => w.when),
        ...rule.against.map((w) => w.when),
      ].flatMap(leaves);
      for (const c of criteria) {
        if ('symptom' in c) complete(c.symptom, message(`symptom.${c.symptom}`));
        if ('history' in c) complete(c.history, message(`history.${c.history}`));
        if ('fact' in c) complete(c.fact, message(`fact.${c.fact}`));
        if ('vital' in c) complete(c.vital, message(`vital.${c.vital}`));
        for (const code of [
          'lab' in c ? c.lab : undefined,
          'flag' in c ? c.flag : undefined,
          'measured' in c ? c.measured : undefined,
        ])
          if (code)
            expect(
              analytes.some((a) => a.code === code),
              `${rule.id}: ${code}`,
            ).toBe(true);
      }
      for (const s of rule.sources) expect(sources[s], s).toBeDefined();
    }
    for (const s of specialties) complete(s, message(`specialty.${s}`));
  });

  it('every interval cites a known source and every analyte has a band for each sex', () => {
    for (const a of analytes) {
      for (const b of a.intervals) expect(sources[b.source], `${a.code}`).toBeDefined();
      for (const sex of ['male', 'female'])
        expect(a.intervals.some((b) => (b.sex ?? sex) === sex && b.minAge === undefined)).toBe(
          true,
        );
      expect(a.units[0]!.unit).toBe(a.siUnit);
    }
  });
});
