/**
 * How a patient reads everywhere: the full name, the age ("34 y", "≈34 y" when only the age was
 * told), the phone, and an attachment's kind and size.
 */
import type { TFunction } from 'i18next';
import type { Locale, PatientSummary } from '@medora/schema';
import { htmlLang } from '../../i18n';

type Named = Pick<PatientSummary, 'firstName' | 'lastName' | 'middleName'>;

/** "Shukurov Alisher Karimovich": the family name first, as lists sort by it. */
export function fullName(p: Named): string {
  return [p.lastName, p.firstName, p.middleName].filter(Boolean).join(' ');
}

export interface AgeLabel {
  /** What is shown: "34 y", "≈34 y". */
  text: string;
  /** What a screen reader says: "34 years old", "about 34 years old". */
  spoken: string;
}

export function ageLabel(
  t: TFunction,
  p: Pick<PatientSummary, 'ageYears' | 'ageIsApproximate'>,
): AgeLabel {
  const count = p.ageYears;
  return p.ageIsApproximate
    ? { text: t('patients.ageApprox', { count }), spoken: t('patients.ageApproxSpoken', { count }) }
    : { text: t('patients.age', { count }), spoken: t('patients.ageSpoken', { count }) };
}

/** "+998 90 123 45 67" for a stored "+998901234567"; anything else as it is. */
export function formatPhone(phone: string): string {
  const m = /^\+998(\d{2})(\d{3})(\d{2})(\d{2})$/.exec(phone);
  return m ? `+998 ${m[1]} ${m[2]} ${m[3]} ${m[4]}` : phone;
}

export type FileKind = 'image' | 'pdf' | 'word' | 'excel' | 'other';

export function fileKind(mime: string): FileKind {
  if (mime.startsWith('image/')) return 'image';
  if (mime === 'application/pdf') return 'pdf';
  if (mime === 'application/msword' || mime.includes('wordprocessingml')) return 'word';
  if (mime === 'application/vnd.ms-excel' || mime.includes('spreadsheetml')) return 'excel';
  return 'other';
}

/** Browsers show these inline: images (but HEIC, which most cannot decode) and PDF. */
export function canPreview(mime: string): boolean {
  const kind = fileKind(mime);
  return (kind === 'image' && mime !== 'image/heic') || kind === 'pdf';
}

/** "812 B", "14.2 KB", "3.4 MB" with the language's decimal mark. */
export function formatSize(t: TFunction, bytes: number, locale: Locale): string {
  const number = (value: number, digits: number) =>
    new Intl.NumberFormat(htmlLang[locale], { maximumFractionDigits: digits }).format(value);
  if (bytes < 1024) return t('attachments.bytes', { value: number(bytes, 0) });
  if (bytes < 1024 * 1024)
    return t('attachments.kilobytes', { value: number(bytes / 1024, bytes < 10 * 1024 ? 1 : 0) });
  return t('attachments.megabytes', { value: number(bytes / (1024 * 1024), 1) });
}
