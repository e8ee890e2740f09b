import { describe, expect, it } from 'vitest';
import { appErrorCodes, fieldErrorCodes, locales } from '@medora/schema';
import { en } from '../src/i18n/en';
import { ru } from '../src/i18n/ru';
import { uz } from '../src/i18n/uz';
import type { Messages } from '../src/i18n/types';

const all: Record<(typeof locales)[number], Messages> = { uz, ru, en };
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
    expect(Object.keys(all).sort()).toEqual([...locales].sort());
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

  it.each(locales)('%s has network, offline and timeout messages', (locale) => {
    const flat = flatten(all[locale]);
    for (const key of [
      'errors.network',
      'errors.offline',
      'errors.timeout',
      'errors.server',
      'offline.browser',
      'offline.server',
    ]) {
      expect(flat.has(key), `${locale}: ${key}`).toBe(true);
    }
  });

  it('says "Sinov muddati: 7 kun qoldi" in Uzbek', async () => {
    const { initI18n } = await import('../src/i18n');
    const i18n = initI18n('uz');
    await i18n.changeLanguage('uz');
    expect(i18n.t('dashboard.trialDaysLeft', { count: 7 })).toBe('Sinov muddati: 7 kun qoldi');
    await i18n.changeLanguage('ru');
    expect(i18n.t('dashboard.trialDaysLeft', { count: 5 })).toBe('Пробный период: осталось 5 дней');
    expect(i18n.t('dashboard.trialDaysLeft', { count: 2 })).toBe('Пробный период: осталось 2 дня');
    await i18n.changeLanguage('en');
    expect(i18n.t('dashboard.trialDaysLeft', { count: 1 })).toBe('Trial: 1 day left');
  });
});
