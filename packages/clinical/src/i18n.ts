import type { Locale } from '@medora/schema';
import type { Localized } from './kb/localized';
import { messages, type MessageKey } from './kb/messages';

export type Params = Readonly<Record<string, string | number>>;

/** Templates split once into literal text (even indexes) and placeholder names (odd ones). */
const compiled = new Map<string, readonly string[]>();

/** Fills `{name}` placeholders; a placeholder without a value is left visible, never dropped. */
export function fill(template: string, params: Params = {}): string {
  let parts = compiled.get(template);
  if (!parts) {
    parts = template.split(/\{(\w+)\}/);
    compiled.set(template, parts);
  }
  let out = parts[0]!;
  for (let i = 1; i < parts.length; i += 2) {
    const key = parts[i]!;
    const value = params[key];
    out += (value === undefined ? `{${key}}` : String(value)) + parts[i + 1]!;
  }
  return out;
}

export const t = (locale: Locale, key: MessageKey, params?: Params): string =>
  fill(messages[key][locale], params);

export const pick = (locale: Locale, text: Localized): string => text[locale];

/** Numbers in report text: four significant digits, no exponent, no trailing zeros. */
export const formatNumber = (x: number): string => String(Number(x.toPrecision(4)));
