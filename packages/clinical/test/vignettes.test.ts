import { describe, expect, it } from 'vitest';
import { analyze } from '../src/index';
import { codes, fixture, raised, type Vignette } from './helpers';

const vignettes = fixture<Vignette[]>('vignettes.json');

describe('acceptance vignettes', () => {
  it.each(vignettes.map((v) => [v.id, v] as const))('%s', (_id, v) => {
    const report = analyze(v.input);
    const flags = Object.fromEntries(report.labs.map((l) => [l.code, l.flag]));
    expect(flags).toEqual(v.expect.labFlags);

    for (const [code, { value, tolerance }] of Object.entries(v.expect.derived ?? {})) {
      const d = report.derived.find((x) => x.code === code);
      expect(d, code).toBeDefined();
      expect(Math.abs(d!.value - value), code).toBeLessThanOrEqual(tolerance);
    }

    const found = codes(report);
    for (const group of v.expect.differentialIncludes)
      expect(
        found.some((c) => group.some((g) => c.startsWith(g))),
        `one of ${group.join('/')} in ${found.join(',')}`,
      ).toBe(true);
    for (const excluded of v.expect.differentialExcludes ?? [])
      expect(
        found.filter((c) => c.startsWith(excluded)),
        `${excluded} excluded`,
      ).toEqual([]);

    expect(raised(report)).toBe(v.expect.redFlag);
    if (!v.expect.redFlag) expect(report.redFlags).toEqual([]);
    for (const code of v.expect.criticalAnalytes ?? [])
      expect(['LL', 'HH']).toContain(report.labs.find((l) => l.code === code)?.flag);
  });

  it('the same patient in SI and conventional units gets the same flags and conditions', () => {
    const si = analyze(vignettes.find((v) => v.id === 'dev-08')!.input);
    const conv = analyze(vignettes.find((v) => v.id === 'dev-09')!.input);
    const flags = (r: typeof si) =>
      r.labs.map((l) => [l.code === 'bun' ? 'urea' : l.code, l.flag]).sort();
    expect(flags(conv)).toEqual(flags(si));
    expect([...codes(conv)].sort()).toEqual([...codes(si)].sort());
  });

  it('every vignette report satisfies the report contract and speaks its locale', async () => {
    const { analysisReport } = await import('@medora/schema');
    for (const v of vignettes) {
      const report = analyze(v.input);
      expect(analysisReport.parse(report)).toEqual(report);
      expect(report.locale).toBe(v.input.locale);
    }
  });
});
