/**
 * i18next set-up: Uzbek (Latin) by default, Russian and English. The chosen language is kept in
 * localStorage ('medora.locale') and mirrored on <html lang>. The bundled resources are the app
 * shell's strings only; features add theirs when their route loads (./features.ts).
 */
import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import type { Locale } from '@medora/schema';
import { DEFAULT_LOCALE as defaultLocale, LOCALE_COOKIE, LOCALES as locales } from '../lib/locales';
import { safeStorage, STORAGE_KEYS } from '../lib/storage';
import {
  loadFeatureTranslations,
  loadRegisteredTranslations,
  type FeatureTranslations,
} from './features';
import { en } from './en';
import { ru } from './ru';
import { uz } from './uz';

export const resources = {
  uz: { translation: uz },
  ru: { translation: ru },
  en: { translation: en },
} as const;

/** BCP 47 tags for Intl formatting and <html lang>. */
export const htmlLang: Record<Locale, string> = { uz: 'uz-Latn', ru: 'ru', en: 'en' };

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (locales as readonly string[]).includes(value);
}

/** The language kept on this device: localStorage, else the cookie that mirrors it. */
export function storedLocale(): Locale | null {
  const value = safeStorage.get(STORAGE_KEYS.locale);
  if (isLocale(value)) return value;
  const cookie = cookieLocale();
  return isLocale(cookie) ? cookie : null;
}

export function currentLocale(): Locale {
  return isLocale(i18next.language) ? i18next.language : defaultLocale;
}

/**
 * The language also goes into a cookie: the server sends the sign-in and registration pages
 * prerendered in it (apps/web/plugins/prerender.ts), so the first paint is in the right one.
 */
function rememberForServer(locale: Locale) {
  if (cookieLocale() === locale) return;
  const secure = window.location.protocol === 'https:' ? '; Secure' : '';
  document.cookie = `${LOCALE_COOKIE}=${locale}; Path=/; Max-Age=${400 * 24 * 3600}; SameSite=Lax${secure}`;
}

/** The value of the locale cookie, unchecked (undefined outside a browser or without one). */
function cookieLocale(): string | undefined {
  if (typeof document === 'undefined') return undefined;
  return document.cookie
    .split('; ')
    .find((c) => c.startsWith(`${LOCALE_COOKIE}=`))
    ?.slice(LOCALE_COOKIE.length + 1);
}

function applyHtmlLang(locale: Locale) {
  if (typeof document === 'undefined') return;
  document.documentElement.lang = htmlLang[locale];
  rememberForServer(locale);
  // index.html describes the app in all three languages; once one is chosen, in that one.
  const description = document.querySelector('meta[name="description"]');
  if (description && i18next.exists('app.tagline', { lng: locale })) {
    const t = i18next.getFixedT(locale);
    description.setAttribute('content', `${t('app.name')} — ${t('app.tagline')}`);
  }
}

/** Switches the UI language, remembers it on this device and updates <html lang>. */
export async function setLocale(locale: Locale): Promise<void> {
  safeStorage.set(STORAGE_KEYS.locale, locale);
  await loadRegisteredTranslations(locale);
  applyHtmlLang(locale);
  if (i18next.language !== locale) await i18next.changeLanguage(locale);
}

/** For route loaders: a feature's strings in the current language. */
export function loadTranslations(feature: string, loaders: FeatureTranslations): Promise<void> {
  return loadFeatureTranslations(feature, loaders, currentLocale());
}

export function initI18n(locale: Locale = storedLocale() ?? defaultLocale) {
  if (!i18next.isInitialized) {
    void i18next.use(initReactI18next).init({
      resources,
      lng: locale,
      fallbackLng: defaultLocale,
      supportedLngs: [...locales],
      interpolation: { escapeValue: false },
      returnNull: false,
      initAsync: false,
    });
  }
  applyHtmlLang(locale);
  return i18next;
}

export { i18next };
