/** Numbers as the doctor's language writes them (decimal comma in uz and ru). */
export function formatNumber(value: number, language: string): string {
  const locale = language === 'uz' ? 'uz-Latn' : language;
  return new Intl.NumberFormat(locale, { maximumFractionDigits: 2 }).format(value);
}
