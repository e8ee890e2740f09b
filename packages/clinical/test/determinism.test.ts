import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyze } from '../src/index';
import { fixture, type Vignette } from './helpers';

const vignettes = fixture<Vignette[]>('vignettes.json');

/** The same value with every object's keys in a random order. */
function shuffleKeys(value: unknown, rand: () => number): unknown {
  if (Array.isArray(value)) return value.map((v) => shuffleKeys(v, rand));
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value);
  for (let i = entries.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [entries[i], entries[j]] = [entries[j]!, entries[i]!];
  }
  return Object.fromEntries(entries.map(([k, v]) => [k, shuffleKeys(v, rand)]));
}

describe('determinism', () => {
  it.each(vignettes.map((v) => [v.id, v] as const))('%s: same input, same bytes', (_id, v) => {
    expect(JSON.stringify(analyze(v.input))).toBe(
      JSON.stringify(analyze(structuredClone(v.input))),
    );
  });

  it('the order of keys in the input does not change the output', () => {
    fc.assert(
      fc.property(fc.constantFrom(...vignettes), fc.integer(), (v, seed) => {
        let s = seed;
        const rand = () => (s = (s * 1103515245 + 12345) & 0x7fffffff) / 0x80000000;
        const shuffled = shuffleKeys(v.input, rand) as Vignette['input'];
        expect(JSON.stringify(analyze(shuffled))).toBe(JSON.stringify(analyze(v.input)));
      }),
      { numRuns: 60 },
    );
  });

  it('does not read the clock or the random generator', () => {
    const now = Date.now;
    const random = Math.random;
    Date.now = () => {
      throw new Error('clock read');
    };
    Math.random = () => {
      throw new Error('random read');
    };
    try {
      for (const v of vignettes) analyze(v.input);
    } finally {
      Date.now = now;
      Math.random = random;
    }
  });

  it('unknown input keys are dropped', () => {
    const v = vignettes[0]!.input;
    const extra = { ...v, secret: 'x', patient: { ...v.patient, nickname: 'y' } } as typeof v;
    expect(JSON.stringify(analyze(extra))).toBe(JSON.stringify(analyze(v)));
  });
});
