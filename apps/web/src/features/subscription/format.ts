import type { TFunction } from 'i18next';
import type { Locale, PaymentStatus } from '@medora/schema';
import { htmlLang } from '../../i18n';

/** A storage quota in the unit it reads best in: "500 MB", "5 GB" (decimal marks per language). */
export function formatQuota(t: TFunction, bytes: number, locale: Locale): string {
  const number = (value: number) =>
    new Intl.NumberFormat(htmlLang[locale], { maximumFractionDigits: 1 }).format(value);
  const gb = 1024 ** 3;
  if (bytes >= gb) return t('subscription.quotaGb', { value: number(bytes / gb) });
  return t('subscription.quotaMb', { value: number(bytes / 1024 ** 2) });
}

/** Badge colours per payment status; the text comes from the translations. */
export const paymentTone: Record<PaymentStatus, string> = {
  pending: 'badge badge--pending',
  approved: 'badge badge--active',
  rejected: 'badge badge--expired',
};
