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

function intl(date: Date, locale: Exclude<Locale, 'uz'>, options: Intl.DateTimeFormatOptions) {
  const parts = new Intl.DateTimeFormat(htmlLang[locale], options).formatToParts(date);
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

/** UZS from integer tiyin (1 soʻm = 100 tiyin), as currency in the interface language. */
export function formatUzs(tiyin: number, locale: Locale): string {
  return new Intl.NumberFormat(htmlLang[locale], {
    style: 'currency',
    currency: 'UZS',
    maximumFractionDigits: 0,
  }).format(tiyin / 100);
}
