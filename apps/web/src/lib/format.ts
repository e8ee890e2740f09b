import type { Locale } from '@medora/schema';
import { htmlLang } from '../i18n';

// Browsers often ship without Uzbek calendar data (Chromium prints "2026 M12 3"), so Uzbek dates
// are spelled out here: "2026-yil 3-dekabr".
const UZ_MONTHS = [
  'yanvar',
  'fevral',
  'mart',
  'aprel',
  'may',
  'iyun',
  'iyul',
  'avgust',
  'sentabr',
  'oktabr',
  'noyabr',
  'dekabr',
];

function uzDate(date: Date): string {
  return `${date.getFullYear()}-yil ${date.getDate()}-${UZ_MONTHS[date.getMonth()]}`;
}

function time(date: Date): string {
  return `${String(date.getHours()).padStart(2, '0')}:${String(date.getMinutes()).padStart(2, '0')}`;
}

// Russian dates end in " г." ("3 декабря 2026 г."), which doubles the full stop at the end of a
// sentence ("… 2026 г.."). The year reads as well without it, so it is dropped.
function withoutYearMark(parts: Intl.DateTimeFormatPart[]): string {
  return parts
    .map((p) => (p.type === 'literal' ? p.value.replace(/\s*г\./u, '') : p.value))
    .join('');
}

/** Formatters by language and style, made once: a list formats a date per row. */
const dateFormats = new Map<string, Intl.DateTimeFormat>();

function intl(date: Date, locale: Exclude<Locale, 'uz'>, options: Intl.DateTimeFormatOptions) {
  const key = `${locale} ${JSON.stringify(options)}`;
  let format = dateFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(htmlLang[locale], options);
    dateFormats.set(key, format);
  }
  const parts = format.formatToParts(date);
  return locale === 'ru' ? withoutYearMark(parts) : parts.map((p) => p.value).join('');
}

export function formatDate(date: Date, locale: Locale): string {
  if (locale === 'uz') return uzDate(date);
  return intl(date, locale, { dateStyle: 'long' });
}

export function formatDateTime(date: Date, locale: Locale): string {
  if (locale === 'uz') return `${uzDate(date)}, ${time(date)}`;
  return intl(date, locale, { dateStyle: 'medium', timeStyle: 'short' });
}

/** How each interface language names the currency after the amount (English: the ISO code). */
const uzsUnit: Record<Locale, string> = { uz: 'soʻm', ru: 'сум', en: 'UZS' };

/**
 * UZS from integer tiyin (1 soʻm = 100 tiyin) in the interface language: "99 000 soʻm",
 * "99 000 сум", "UZS 99,000"; tiyin shown only when there are any. Not Intl's currency style:
 * browsers without Uzbek locale data print "UZS 99,000" on an Uzbek page. Uzbek groups digits
 * as Russian does (spaces, decimal comma), so its digits come from the Russian rules.
 */
export function formatUzs(tiyin: number, locale: Locale): string {
  const sum = tiyin / 100;
  const digits = new Intl.NumberFormat(locale === 'en' ? 'en' : 'ru', {
    minimumFractionDigits: Number.isInteger(sum) ? 0 : 2,
    maximumFractionDigits: 2,
  }).format(sum);
  return locale === 'en' ? `${uzsUnit.en} ${digits}` : `${digits}\u00a0${uzsUnit[locale]}`;
}
