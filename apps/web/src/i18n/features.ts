/**
 * Feature translations arrive with their routes: each feature registers loaders (one dynamic
 * import per language) and the route's loader awaits `loadFeatureTranslations` before the page
 * renders. They are merged into the default namespace under the feature's own top-level keys, so
 * `t('profile.title')` reads the same wherever a string lives. A language switch first loads every
 * registered feature in the new language (see `setLocale`), so no page ever shows raw keys.
 */
import i18next from 'i18next';
import type { Locale } from '@medora/schema';
import type { Messages } from './types';

export type FeatureTranslations = Record<Locale, () => Promise<Messages>>;

const registered = new Map<string, FeatureTranslations>();
const loaded = new Set<string>();

async function ensure(feature: string, loaders: FeatureTranslations, locale: Locale) {
  const key = `${feature}:${locale}`;
  if (loaded.has(key)) return;
  const messages = await loaders[locale]();
  // Deep merge, never overwrite: a feature only adds its own keys.
  i18next.addResourceBundle(locale, 'translation', messages, true, false);
  loaded.add(key);
}

/** Loads a feature's strings in `locale` and keeps the feature for later language switches. */
export function loadFeatureTranslations(
  feature: string,
  loaders: FeatureTranslations,
  locale: Locale,
): Promise<void> {
  registered.set(feature, loaders);
  return ensure(feature, loaders, locale);
}

/** Every feature loaded so far, in `locale` (before switching to it). */
export async function loadRegisteredTranslations(locale: Locale): Promise<void> {
  await Promise.all([...registered].map(([feature, loaders]) => ensure(feature, loaders, locale)));
}
