import type { Locale } from '@medora/schema';
import type { Localized } from './kb/localized';
import { messages, type MessageKey } from './kb/messages';

export type Params = Readonly<Record<string, string | number>>;

/** Fills `{name}` placeholders; a placeholder without a value is left visible, never dropped. */
export function fill(template: string, params: Params = {}): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) =>
    key in params ? String(params[key]) : whole,
  );
}

export const t = (locale: Locale, key: MessageKey, params?: Params): string =>
  fill(messages[key][locale], params);

export const pick = (locale: Locale, text: Localized): string => text[locale];

/** Numbers in report text: four significant digits, no exponent, no trailing zeros. */
export const formatNumber = (x: number): string => String(Number(x.toPrecision(4)));
