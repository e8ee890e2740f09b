import type { Locale } from '@medora/schema';
import { formatDate } from '../../lib/format';

/** Numbers as the doctor's language writes them (decimal comma in uz and ru). */
/** One formatter per language: a report formats a hundred numbers, and each new one is costly. */
const numberFormats = new Map<string, Intl.NumberFormat>();

export function formatNumber(value: number, language: string): string {
  const locale = language === 'uz' ? 'uz-Latn' : language;
  let format = numberFormats.get(locale);
  if (!format) {
    format = new Intl.NumberFormat(locale, { maximumFractionDigits: 2 });
    numberFormats.set(locale, format);
  }
  return format.format(value);
}

/** A day in the usage calendar (Asia/Tashkent), whatever the browser's time zone. */
export function formatTashkentDate(date: Date | string, locale: Locale): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    timeZone: 'Asia/Tashkent',
  }).formatToParts(new Date(date));
  const part = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return formatDate(new Date(part('year'), part('month') - 1, part('day')), locale);
}
