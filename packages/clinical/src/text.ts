import type { PhraseGroup } from './kb/phrases';
import { negationAfter, negationBefore, negationListWords } from './kb/phrases';

/**
 * Free-text matching for complaints and history. Text is normalised so one spelling of a phrase
 * covers the ways people type it: Uzbek oʻ/gʻ arrive with ʻ ʼ ' ` ’ ‘ or ´, Russian with or
 * without ё.
 */
export function normalizeText(text: string): string {
  return text
    .normalize('NFC')
    .toLowerCase()
    .replace(/[ʻʼ`’‘´′]/g, "'")
    .replace(/ё/g, 'е')
    .replace(/[–—]/g, '-')
    .replace(/\s+/g, ' ');
}

/**
 * Clauses bound a negation: in "no fever, but chest pain since morning" the "no" must not reach
 * the chest pain. Sentence punctuation, commas and the contrastive conjunctions end a clause.
 */
const CLAUSE_BREAK =
  /[.;:!?\n()]+|,(?!\d)|\s(?:but|however|although|но|однако|зато|lekin|ammo|biroq)\s/u;

const WORD = /[\p{L}\p{N}']+/gu;
const NEGATION_WINDOW = 3;
const negBefore = new Set(negationBefore);
const negAfter = new Set(negationAfter);
const listWords = new Set(negationListWords);

export interface CompiledGroup {
  readonly id: string;
  /** All phrases of the group as one alternation: one scan per clause, not one per phrase. */
  readonly any: RegExp;
  /** The same alternation, global, to check each occurrence for a negation. */
  readonly each: RegExp;
  readonly unless: RegExp | null;
}

const compile = (sources: readonly string[], flags: string) =>
  new RegExp(`(?<![\\p{L}\\p{N}])(?:${sources.join('|')})`, flags);

export function compileGroups(groups: readonly PhraseGroup[]): readonly CompiledGroup[] {
  return groups.map((g) => ({
    id: g.id,
    any: compile(g.patterns, 'u'),
    each: compile(g.patterns, 'gu'),
    unless: g.unless && g.unless.length > 0 ? compile(g.unless, 'u') : null,
  }));
}

export function splitClauses(normalized: string): string[] {
  return normalized
    .split(CLAUSE_BREAK)
    .map((c) => c.trim())
    .filter((c) => c !== '');
}

function isNegated(clause: string, start: number, end: number): boolean {
  const before = clause.slice(0, start).match(WORD) ?? [];
  // The match may end inside a word ("ogʻri|q yoʻq"): the rest of that word is not a cue.
  const after = (
    clause
      .slice(end)
      .replace(/^[\p{L}\p{N}']+/u, '')
      .match(WORD) ?? []
  ).slice(0, NEGATION_WINDOW);
  // Walk back over at most three words; a list word ("or", "или") extends the reach by three.
  let budget = NEGATION_WINDOW;
  for (let i = before.length - 1; i >= 0 && budget > 0; i--, budget--) {
    const w = before[i]!;
    if (negBefore.has(w)) return true;
    if (listWords.has(w)) budget += NEGATION_WINDOW;
  }
  return after.some((w) => negAfter.has(w));
}

/**
 * The groups found in the clauses, each with the clause that triggered it (the evidence), in the
 * order of `groups`. A phrase that is negated or qualified by an `unless` phrase does not count.
 */
export function findGroups(
  clauses: readonly string[],
  groups: readonly CompiledGroup[],
): Map<string, string> {
  const found = new Map<string, string>();
  // Most groups occur nowhere: one scan of the whole text rules them out before the clauses.
  const whole = clauses.join('\n');
  for (const group of groups) {
    if (!group.any.test(whole)) continue;
    for (const clause of clauses) {
      if (!group.any.test(clause) || group.unless?.test(clause)) continue;
      // Every occurrence is tried: "no chest pain yesterday, chest pain today" counts.
      const hit = [...clause.matchAll(group.each)].some(
        (m) => !isNegated(clause, m.index, m.index + m[0].length),
      );
      if (hit) {
        found.set(group.id, clause);
        break;
      }
    }
  }
  return found;
}
