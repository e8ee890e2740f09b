import type { FeatureTranslations } from '../../i18n/features';

/** This feature's strings, one chunk per language. */
export const subscriptionTranslations: FeatureTranslations = {
  uz: () => import('./i18n/uz').then((m) => m.uz),
  ru: () => import('./i18n/ru').then((m) => m.ru),
  en: () => import('./i18n/en').then((m) => m.en),
};
