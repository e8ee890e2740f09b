/** Numbers as the doctor's language writes them (decimal comma in uz and ru). */
export function formatNumber(value: number, language: string): string {
  const locale = language === 'uz' ? 'uz-Latn' : language;
  return new Intl.NumberFormat(locale, { maximumFractionDigits: 2 }).format(value);
}

/** A day in the usage calendar (Asia/Tashkent), whatever the browser's time zone. */
export function formatTashkentDate(date: Date | string, language: string): string {
  const locale = language === 'uz' ? 'uz-Latn' : language;
  return new Intl.DateTimeFormat(locale, {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'Asia/Tashkent',
  }).format(new Date(date));
}
