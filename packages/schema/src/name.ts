import { z } from 'zod';

// Letters of the Latin and Cyrillic scripts (Uzbek Latin, Russian, Uzbek Cyrillic), combining
// marks, spaces, hyphens and the apostrophes used in Uzbek (oʻ, gʻ, ʼ) in their common typings.
const NAME_PATTERN =
  /^[\p{Script=Latin}\p{Script=Cyrillic}](?:[\p{Script=Latin}\p{Script=Cyrillic}\p{M} \-ʻʼ'‘’`]*[\p{Script=Latin}\p{Script=Cyrillic}\p{M}ʻʼ'‘’`])?$/u;
const LETTER = /[\p{Script=Latin}\p{Script=Cyrillic}]/gu;
// A word (between spaces and hyphens) written in both scripts is how look-alike names are made:
// "Dоctor" with a Cyrillic о.
const mixesScripts = (name: string) =>
  name.split(/[ -]/).some((w) => /\p{Script=Latin}/u.test(w) && /\p{Script=Cyrillic}/u.test(w));

/**
 * Canonical form of a person's name: NFKC (full-width "Ａｌｉ" is "Ali", so two names cannot be
 * made to look alike through compatibility forms), single spaces, and Uzbek apostrophes written
 * the official way — ʻ (U+02BB) after o/g, ʼ (U+02BC) elsewhere — so "O'tkir" and "Oʻtkir" are one
 * name.
 */
export function normalizeName(raw: string): string {
  return raw
    .normalize('NFKC')
    .trim()
    .replace(/\s+/g, ' ')
    .replace(/([oOgG])['‘’`ʼ]/g, '$1ʻ')
    .replace(/['‘’`]/g, 'ʼ');
}

export const nameSchema = z
  .string({ message: 'name.invalid' })
  .max(200, { message: 'name.too_long' })
  .transform(normalizeName)
  .pipe(
    z
      .string()
      .min(2, { message: 'name.too_short' })
      .max(100, { message: 'name.too_long' })
      .regex(NAME_PATTERN, { message: 'name.invalid' })
      .refine((v) => (v.match(LETTER)?.length ?? 0) >= 2, { message: 'name.too_short' })
      .refine((v) => !mixesScripts(v), { message: 'name.invalid' })
      // No stacks of combining marks ("zalgo" text) and no runs of punctuation ("A''''b", "A--b").
      .refine((v) => !/\p{M}{3,}/u.test(v) && !/[-ʻʼ]{2,}|[-ʻʼ] [-ʻʼ]|- | -/u.test(v), {
        message: 'name.invalid',
      }),
  );
