import { parsePhoneNumberFromString, type MetadataJson } from 'libphonenumber-js/core';
import { z } from 'zod';
import uzMobile from './phone-metadata.uz.json' with { type: 'json' };

/**
 * libphonenumber's mobile metadata for Uzbekistan only (scripts/phone-metadata.mjs): the metadata
 * for every country was most of the sign-in page's JavaScript, and only +998 is accepted.
 */
const metadata = uzMobile as MetadataJson;

/** Longest input worth parsing: "+998 (90) 123-45-67" with generous spacing. */
const MAX_RAW_LENGTH = 32;

/**
 * Turns any common way of writing an Uzbek mobile number ("+998 90 123-45-67", "998901234567",
 * "901234567") into E.164 ("+998901234567"), or null. libphonenumber's mobile metadata decides
 * which operator ranges are real, so typos in the prefix are refused, not stored.
 */
export function normalizeUzPhone(raw: string): string | null {
  if (typeof raw !== 'string' || raw.length > MAX_RAW_LENGTH) return null;
  const trimmed = raw.trim();
  if (!/^[+\d\s().-]+$/.test(trimmed)) return null;
  const digits = trimmed.replace(/\D/g, '');
  // "998…" typed without the plus is the international form, not a national number.
  const candidate =
    !trimmed.startsWith('+') && digits.length === 12 && digits.startsWith('998')
      ? `+${digits}`
      : trimmed;
  const parsed = parsePhoneNumberFromString(candidate, 'UZ', metadata);
  if (!parsed || parsed.country !== 'UZ' || !parsed.isValid()) return null;
  return parsed.number;
}

/** "+998901234567" → "+998 90 ***-**-67": enough to recognise, not enough to harvest. */
export function maskPhone(e164: string): string {
  const m = /^\+998(\d{2})\d{5}(\d{2})$/.exec(e164);
  return m ? `+998 ${m[1]} ***-**-${m[2]}` : '***';
}

export const phoneSchema = z
  .string({ message: 'phone.invalid' })
  .max(MAX_RAW_LENGTH, { message: 'phone.invalid' })
  .transform((value, ctx) => {
    const e164 = normalizeUzPhone(value);
    if (!e164) {
      ctx.addIssue({ code: 'custom', message: 'phone.invalid' });
      return z.NEVER;
    }
    return e164;
  });
