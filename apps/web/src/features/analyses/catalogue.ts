/**
 * The analyte catalogue as the lab-entry form needs it: names in the current language, the units
 * each analyte accepts (the SI unit first), search by name in any language or by code, and the
 * "paste lines" parser that turns a laboratory printout into rows.
 */
import { analyteCatalogue, type CatalogueAnalyte } from '@medora/clinical/catalogue';
import type { Locale } from '@medora/schema';

export type { CatalogueAnalyte };
export { analyteCatalogue };

const byCode = new Map(analyteCatalogue.map((a) => [a.code, a]));

export function analyteByCode(code: string): CatalogueAnalyte | undefined {
  return byCode.get(code);
}

export function analyteName(code: string, locale: Locale): string {
  return byCode.get(code)?.name[locale] ?? code;
}

/** The units the engine converts for this analyte, the SI unit first; [] for an unknown code. */
export function unitsOf(code: string): readonly string[] {
  return byCode.get(code)?.units ?? [];
}

/** Case, spacing, "ё", "ʻ" and the British "ae" folded, so "Hemoglobin" finds "Haemoglobin". */
export function fold(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFKC')
    .replace(/ё/g, 'е')
    .replace(/[ʻʼ'`‘’]/g, '')
    .replace(/ae/g, 'e')
    .replace(/[\s_]+/g, ' ')
    .trim();
}

/** Every way a doctor may name an analyte: each localized name, its bracketed short form, code. */
function aliasesOf(a: CatalogueAnalyte): string[] {
  const out = new Set<string>([a.code, a.code.replace(/_/g, ' ')]);
  for (const name of Object.values(a.name)) {
    out.add(name);
    const bracket = /^(.*?)\s*\(([^)]+)\)\s*$/.exec(name);
    if (bracket) {
      out.add(bracket[1]!);
      out.add(bracket[2]!);
    }
  }
  return [...out].map(fold).filter(Boolean);
}

const aliasIndex = new Map<string, CatalogueAnalyte>();
for (const a of analyteCatalogue) for (const alias of aliasesOf(a)) aliasIndex.set(alias, a);

/** The analyte a written name means (any language, any case, or the code), if exactly known. */
export function findAnalyte(name: string): CatalogueAnalyte | undefined {
  return aliasIndex.get(fold(name.replace(/[:=\-–—]+$/, '')));
}

/** Does the analyte match what the doctor typed in the picker (name in `locale`, any name, code)? */
export function matchesSearch(a: CatalogueAnalyte, query: string, locale: Locale): boolean {
  const q = fold(query);
  if (!q) return true;
  if (fold(a.name[locale]).includes(q)) return true;
  if (a.code.includes(q.replace(/ /g, '_'))) return true;
  return aliasesOf(a).some((alias) => alias.includes(q));
}

/** Folds the ways a unit is written ("µmol/l", "mkmol/L", "10⁹/л") onto the catalogue's. */
function foldUnit(unit: string): string {
  return unit
    .normalize('NFKC')
    .toLowerCase()
    .replace(/\s+/g, '')
    .replace(/[µμ]/g, 'u')
    .replace(/^mc(?=[a-z])/, 'u')
    .replace(/л$/, 'l')
    .replace(/ммоль/g, 'mmol')
    .replace(/мкмоль/g, 'umol')
    .replace(/г/g, 'g')
    .replace(/×|x|\*/g, '')
    .replace(/\^/g, '');
}

/** The catalogue's spelling of `unit` for this analyte, or null when it is not one of its units. */
export function matchUnit(code: string, unit: string): string | null {
  const wanted = foldUnit(unit);
  return unitsOf(code).find((u) => foldUnit(u) === wanted) ?? null;
}

export interface PastedRow {
  code: string;
  value: string;
  unit: string;
}

export type UnmatchedReason = 'analyte' | 'value' | 'unit';

export interface PasteResult {
  rows: PastedRow[];
  unmatched: { line: string; reason: UnmatchedReason }[];
}

// A number after the name: "95", "9,5", "9.5"; a "<0.1" reads as its number.
const NUMBER = /(?:^|[\s:=])((?:[<>≤≥]\s*)?\d+(?:[.,]\d+)?)(?=\s|$)/g;

/**
 * Reads lines like "Hemoglobin 95 g/L", "Гемоглобин 9,5 g/dL", "HbA1c 7.2 %". The name is whatever
 * stands before a number and is a known analyte; the rest is the unit (the SI unit when empty).
 * Every line that cannot be read is returned with the reason, never dropped.
 */
export function parsePastedLabs(text: string): PasteResult {
  const rows: PastedRow[] = [];
  const unmatched: PasteResult['unmatched'] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line) continue;
    let found: { analyte: CatalogueAnalyte; value: string; rest: string } | null = null;
    let anyNumber = false;
    for (const m of line.matchAll(NUMBER)) {
      anyNumber = true;
      const start = m.index + m[0].indexOf(m[1]!);
      const analyte = findAnalyte(line.slice(0, start).trim());
      if (!analyte) continue;
      const value = m[1]!.replace(/^[<>≤≥]\s*/, '').replace(',', '.');
      found = { analyte, value, rest: line.slice(start + m[1]!.length).trim() };
      break;
    }
    if (!found) {
      const name = line.replace(/\s*[<>≤≥]?\d+(?:[.,]\d+)?.*$/, '');
      unmatched.push({ line, reason: !anyNumber && findAnalyte(name) ? 'value' : 'analyte' });
      continue;
    }
    const unitText = found.rest.split(/\s+/)[0] ?? '';
    const unit = unitText ? matchUnit(found.analyte.code, unitText) : found.analyte.siUnit;
    if (!unit) {
      unmatched.push({ line, reason: 'unit' });
      continue;
    }
    rows.push({ code: found.analyte.code, value: found.value, unit });
  }
  return { rows, unmatched };
}
