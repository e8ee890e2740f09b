import { describe, expect, it } from 'vitest';
import { appErrorCodes, fieldErrorCodes, locales } from '@medora/schema';
import { en as shellEn } from '../src/i18n/en';
import { ru as shellRu } from '../src/i18n/ru';
import { uz as shellUz } from '../src/i18n/uz';
import type { Messages } from '../src/i18n/types';

type Locale = (typeof locales)[number];
const shell: Record<Locale, Messages> = { uz: shellUz, ru: shellRu, en: shellEn };

// Every feature's translations (src/features/<feature>/i18n/<locale>.ts), found by file name so a
// new feature is checked without editing this test.
const featureModules = import.meta.glob<Record<string, Messages>>('../src/features/*/i18n/*.ts', {
  eager: true,
});
const features = new Map<string, Partial<Record<Locale, Messages>>>();
for (const [file, module] of Object.entries(featureModules)) {
  const [, feature, locale] = /features\/([^/]+)\/i18n\/(\w+)\.ts$/.exec(file) ?? [];
  const messages = module[locale as Locale];
  if (!feature || !messages) throw new Error(`${file} must export \`${locale}\``);
  features.set(feature, { ...features.get(feature), [locale as Locale]: messages });
}

/** What a page sees in one language: the shell's strings plus every feature's. */
const all = Object.fromEntries(
  locales.map((locale) => [
    locale,
    Object.assign(
      {},
      shell[locale],
      ...[...features.values()].map((f) => f[locale] ?? {}),
    ) as Messages,
  ]),
) as Record<Locale, Messages>;
const en = all.en;
const PLURAL_SUFFIX = /_(zero|one|two|few|many|other)$/;

/** Every leaf as "a.b.c" → text. */
function flatten(tree: Messages, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') out.set(path, value);
    else for (const [k, v] of flatten(value, path)) out.set(k, v);
  }
  return out;
}

/** Keys with plural suffixes folded into their base key. */
function baseKeys(tree: Messages): Set<string> {
  return new Set([...flatten(tree).keys()].map((k) => k.replace(PLURAL_SUFFIX, '')));
}

function placeholders(text: string): string[] {
  return [...text.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]!).sort();
}

describe('translations', () => {
  it('has a resource for every supported locale', () => {
    expect(Object.keys(shell).sort()).toEqual([...locales].sort());
  });

  it('has every feature in every locale, each owning its own top-level keys', () => {
    expect([...features.keys()].sort()).toEqual([
      'account',
      'admin',
      'analyses',
      'auth',
      'dashboard',
      'notifications',
      'patients',
      'subscription',
    ]);
    const owners = new Map<string, string>(Object.keys(shellEn).map((k) => [k, 'shell']));
    for (const [feature, byLocale] of features) {
      expect(Object.keys(byLocale).sort(), feature).toEqual([...locales].sort());
      for (const key of Object.keys(byLocale.en ?? {})) {
        expect(owners.get(key), `${feature}.${key} is already owned`).toBeUndefined();
        owners.set(key, feature);
      }
    }
  });

  it.each(['uz', 'ru'] as const)('%s has exactly the keys of en (and vice versa)', (locale) => {
    const reference = baseKeys(en);
    const other = baseKeys(all[locale]);
    expect(
      [...reference].filter((k) => !other.has(k)),
      `missing in ${locale}`,
    ).toEqual([]);
    expect(
      [...other].filter((k) => !reference.has(k)),
      `only in ${locale}`,
    ).toEqual([]);
  });

  it.each(locales)('%s has every plural form its language needs', (locale) => {
    const flat = flatten(all[locale]);
    const pluralBases = new Set(
      [...flat.keys()]
        .filter((k) => PLURAL_SUFFIX.test(k))
        .map((k) => k.replace(PLURAL_SUFFIX, '')),
    );
    const categories = new Intl.PluralRules(locale).resolvedOptions().pluralCategories;
    for (const base of pluralBases) {
      for (const category of categories) {
        expect(flat.has(`${base}_${category}`), `${locale}: ${base}_${category}`).toBe(true);
      }
    }
  });

  it.each(locales)('%s has no empty texts', (locale) => {
    for (const [key, text] of flatten(all[locale]))
      expect(text.trim(), `${locale}: ${key}`).not.toBe('');
  });

  it.each(['uz', 'ru'] as const)('%s uses the same {{placeholders}} as en', (locale) => {
    const reference = flatten(en);
    const other = flatten(all[locale]);
    for (const [key, text] of other) {
      const enKey = reference.has(key) ? key : `${key.replace(PLURAL_SUFFIX, '')}_other`;
      const enText = reference.get(enKey);
      if (enText === undefined) continue;
      expect(placeholders(text), `${locale}: ${key}`).toEqual(placeholders(enText));
    }
  });

  it.each(locales)('%s translates every app error code', (locale) => {
    const flat = flatten(all[locale]);
    for (const code of appErrorCodes)
      expect(flat.has(`errors.app.${code}`), `${locale}: ${code}`).toBe(true);
  });

  it.each(locales)('%s translates every field error code', (locale) => {
    const field = (all[locale].errors as Messages).field as Messages;
    for (const code of fieldErrorCodes) {
      expect(typeof field[code], `${locale}: errors.field.${code}`).toBe('string');
    }
  });

  it.each(locales)('%s has network, offline and timeout messages in the shell', (locale) => {
    const flat = flatten(shell[locale]);
    for (const key of [
      'errors.network',
      'errors.offline',
      'errors.timeout',
      'errors.server',
      'network.offline',
      'network.unreachable',
      'network.queued',
    ]) {
      expect(flat.has(key), `${locale}: ${key}`).toBe(true);
    }
  });

  it('says "Sinov muddati: 7 kun qoldi" in Uzbek once the dashboard\'s strings are loaded', async () => {
    const { initI18n, loadTranslations, setLocale } = await import('../src/i18n');
    const { dashboardTranslations } = await import('../src/features/dashboard/translations');
    const i18n = initI18n('uz');
    await i18n.changeLanguage('uz');
    // The shell alone does not carry feature strings.
    expect(i18n.exists('dashboard.trialDaysLeft_other')).toBe(false);
    await loadTranslations('dashboard', dashboardTranslations);
    expect(i18n.t('dashboard.trialDaysLeft', { count: 7 })).toBe('Sinov muddati: 7 kun qoldi');
    // Switching the language loads the loaded features' strings in the new language first.
    await setLocale('ru');
    expect(i18n.t('dashboard.trialDaysLeft', { count: 5 })).toBe('Пробный период: осталось 5 дней');
    expect(i18n.t('dashboard.trialDaysLeft', { count: 2 })).toBe('Пробный период: осталось 2 дня');
    await setLocale('en');
    expect(i18n.t('dashboard.trialDaysLeft', { count: 1 })).toBe('Trial: 1 day left');
  });

  it('mirrors the chosen language in the cookie the server picks prerendered pages by', async () => {
    const { setLocale } = await import('../src/i18n');
    const cookie = () =>
      document.cookie
        .split('; ')
        .find((c) => c.startsWith('medora_locale='))
        ?.split('=')[1];
    await setLocale('ru');
    expect(cookie()).toBe('ru');
    await setLocale('en');
    expect(cookie()).toBe('en');
    await setLocale('uz');
    expect(cookie()).toBe('uz');
  });

  it('falls back on the cookie when this device has no stored language, and on nothing else', async () => {
    const { storedLocale } = await import('../src/i18n');
    localStorage.removeItem('medora.locale');
    document.cookie = 'medora_locale=ru; Path=/';
    expect(storedLocale()).toBe('ru');
    localStorage.setItem('medora.locale', 'en');
    expect(storedLocale()).toBe('en');
    localStorage.removeItem('medora.locale');
    document.cookie = 'medora_locale=de; Path=/';
    expect(storedLocale()).toBeNull();
  });
});
