import type { Locale } from '@medora/schema';
import { htmlLang } from '../i18n';

// Browsers often ship without Uzbek calendar data (Chromium prints "2026 M12 3"), so Uzbek dates
// are spelled out here: "2026-yil 3-dekabr".
const UZ_MONTHS = [
  'yanvar',
  'fevral',
  'mart',
  'aprel',
  'may',
  'iyun',
  'iyul',
  'avgust',
  'sentabr',
  'oktabr',
  'noyabr',
  'dekabr',
];

function uzDate(date: Date): string {
  return `${date.getFullYear()}-yil ${date.getDate()}-${UZ_MONTHS[date.getMonth()]}`;
}

function time(date: Date): string {
  return `${String(date.getHours()).padStart(2, '0')}:${String(date.getMinutes()).padStart(2, '0')}`;
}

export function formatDate(date: Date, locale: Locale): string {
  if (locale === 'uz') return uzDate(date);
  return new Intl.DateTimeFormat(htmlLang[locale], { dateStyle: 'long' }).format(date);
}

export function formatDateTime(date: Date, locale: Locale): string {
  if (locale === 'uz') return `${uzDate(date)}, ${time(date)}`;
  return new Intl.DateTimeFormat(htmlLang[locale], {
    dateStyle: 'medium',
    timeStyle: 'short',
  }).format(date);
}

export interface DeviceInfo {
  browser: string | null;
  os: string | null;
}

/** A rough "Chrome on Windows" from a user-agent string; null parts when unknown. */
export function describeUserAgent(ua: string | null): DeviceInfo {
  if (!ua) return { browser: null, os: null };
  const browser =
    match(ua, /Edg(?:e|A|iOS)?\/(\d+)/, 'Edge') ??
    match(ua, /OPR\/(\d+)/, 'Opera') ??
    match(ua, /YaBrowser\/(\d+)/, 'Yandex Browser') ??
    match(ua, /SamsungBrowser\/(\d+)/, 'Samsung Internet') ??
    match(ua, /Firefox\/(\d+)/, 'Firefox') ??
    match(ua, /(?:Chrome|CriOS|Chromium)\/(\d+)/, 'Chrome') ??
    match(ua, /Version\/(\d+)[\d.]* (?:Mobile\/\S+ )?Safari/, 'Safari');
  const os = /Android/.test(ua)
    ? 'Android'
    : /iPhone|iPad|iPod/.test(ua)
      ? 'iOS'
      : /Windows/.test(ua)
        ? 'Windows'
        : /Mac OS X|Macintosh/.test(ua)
          ? 'macOS'
          : /CrOS/.test(ua)
            ? 'ChromeOS'
            : /Linux/.test(ua)
              ? 'Linux'
              : null;
  return { browser, os };
}

function match(ua: string, re: RegExp, name: string): string | null {
  const m = re.exec(ua);
  return m ? `${name} ${m[1]}` : null;
}
