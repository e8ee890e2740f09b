/**
 * The UI languages, without importing the schema package at run time: the app shell stays free
 * of zod and the phone-number metadata, which only the form pages load. The compile-time check
 * below (and a unit test) keep this list equal to the schema's.
 */
import type { Locale } from '@medora/schema';

export const LOCALES = ['uz', 'ru', 'en'] as const satisfies readonly Locale[];
export const DEFAULT_LOCALE = 'uz' satisfies Locale;
/** The schema's `localeCookie` (equal by a unit test): the server picks prerendered pages by it. */
export const LOCALE_COOKIE = 'medora_locale';

type Missing = Exclude<Locale, (typeof LOCALES)[number]>;
/** Fails to compile if the schema gains a locale this list lacks. */
export const LOCALES_COMPLETE: [Missing] extends [never] ? true : never = true;
