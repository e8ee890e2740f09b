import { z } from 'zod';

/** UI and report languages. Uzbek (Latin script) is the default. */
export const locales = ['uz', 'ru', 'en'] as const;
export type Locale = (typeof locales)[number];
export const defaultLocale: Locale = 'uz';
export const localeSchema = z.enum(locales, { message: 'locale.invalid' });
