import type { Analyte, UnitDef } from './kb/analytes';

/**
 * Unit spellings seen on laboratory reports, reduced to one key: case, spaces, micro signs
 * (µ, μ, "mc"), multiplication prefixes ("x10^9/L", "×10⁹/L"), "10*9", "10E9", "/hr", a
 * "10⁹/L" pasted from a report that lost its superscript ("109/L") and the Cyrillic spellings of Russian reports ("ммоль/л", "мкмоль/л", "ЕД/л") all compare equal.
 */
const CYRILLIC: readonly (readonly [string, string])[] = [
  ['мкмоль', 'umol'],
  ['ммоль', 'mmol'],
  ['нмоль', 'nmol'],
  ['пмоль', 'pmol'],
  ['моль', 'mol'],
  ['мэкв', 'meq'],
  ['мкме', 'uiu'],
  ['мме', 'miu'],
  ['мкед', 'uu'],
  ['мед', 'mu'],
  ['ме', 'iu'],
  ['мкг', 'ug'],
  ['мг', 'mg'],
  ['нг', 'ng'],
  ['пг', 'pg'],
  ['мкл', 'ul'],
  ['мл', 'ml'],
  ['дл', 'dl'],
  ['мм', 'mm'],
  ['фл', 'fl'],
  ['ед', 'u'],
  ['л', 'l'],
  ['г', 'g'],
  ['ч', 'h'],
];

const SUPERSCRIPTS: Readonly<Record<string, string>> = { '⁹': '^9', '³': '^3', '¹²': '^12' };

export function normalizeUnit(unit: string): string {
  let u = unit.replace(/¹²|[⁹³]/g, (s) => SUPERSCRIPTS[s] ?? s);
  u = u.normalize('NFKC').toLowerCase().replace(/\s+/g, '');
  u = u.replace(/[µμ]/g, 'u');
  for (const [cyr, lat] of CYRILLIC) u = u.replaceAll(cyr, lat);
  return u
    .replace(/^[x×*]+(?=10)/, '')
    .replace(/^10(?:\*|e|\^)?(\d)/, '10^$1')
    .replace(/mc(?=g|mol|l|iu|u)/g, 'u')
    .replace(/\/hr$/, '/h');
}

const unitIndex = new WeakMap<Analyte, ReadonlyMap<string, UnitDef>>();

function unitsOf(analyte: Analyte): ReadonlyMap<string, UnitDef> {
  let index = unitIndex.get(analyte);
  if (!index) {
    index = new Map(analyte.units.map((u) => [normalizeUnit(u.unit), u]));
    unitIndex.set(analyte, index);
  }
  return index;
}

/**
 * Reports repeat the same few spellings, so normalised units are memoised; the cache is dropped
 * when it grows past a bound, so arbitrary input cannot grow it without limit.
 */
const normalized = new Map<string, string>();
const NORMALIZED_MAX = 1_000;

export function findUnit(analyte: Analyte, unit: string): UnitDef | undefined {
  let key = normalized.get(unit);
  if (key === undefined) {
    if (normalized.size >= NORMALIZED_MAX) normalized.clear();
    key = normalizeUnit(unit);
    normalized.set(unit, key);
  }
  return unitsOf(analyte).get(key);
}

/**
 * Twelve significant digits: enough for any laboratory value, and it removes binary noise such as
 * 45 % × 0.01 = 0.45000000000000001, so a value typed exactly at a bound stays exactly at it.
 */
export const tidy = (x: number): number => Number(x.toPrecision(12));

export function toSi(def: UnitDef, value: number): number {
  return tidy('factor' in def ? value * def.factor : def.toSi(value));
}

export function fromSi(def: UnitDef, value: number): number {
  return tidy('factor' in def ? value / def.factor : def.fromSi(value));
}

/** `value` in `from` expressed in `to`, both units of `analyte`; null when either is unknown. */
export function convert(analyte: Analyte, value: number, from: string, to: string): number | null {
  const a = findUnit(analyte, from);
  const b = findUnit(analyte, to);
  return a && b ? fromSi(b, toSi(a, value)) : null;
}
