import { z } from 'zod';

/** UI and report languages. Uzbek (Latin script) is the default. */
export const locales = ['uz', 'ru', 'en'] as const;
export type Locale = (typeof locales)[number];
export const defaultLocale: Locale = 'uz';
/**
 * The cookie that mirrors the web app's chosen language, so the server can send a page
 * prerendered in it (apps/server/src/routes/web.ts). Not a secret and not a session.
 */
export const localeCookie = 'medora_locale';
export const localeSchema = z.enum(locales, { message: 'locale.invalid' });
