import type { Locale } from '@medora/schema';
import { formatDate } from '../../lib/format';

/** Numbers as the doctor's language writes them (decimal comma in uz and ru). */
export function formatNumber(value: number, language: string): string {
  const locale = language === 'uz' ? 'uz-Latn' : language;
  return new Intl.NumberFormat(locale, { maximumFractionDigits: 2 }).format(value);
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
