import { createRequire } from 'node:module';
import {
  isSupportedCountry,
  parsePhoneNumberFromString,
  type CountryCode,
  type MetadataJson,
} from 'libphonenumber-js';

/**
 * A WhatsApp id as the Cloud API uses it: the E.164 number in digits, without '+' (e.g. 573001234567).
 */
export type WaId = string;

/**
 * A business-scoped user id (BSUID): how Meta names a person since 2026, whether or not it also gives their
 * number. It starts with the person's ISO 3166 country code and a dot: "CO.13491208655302741918".
 */
const USER_ID = /^([A-Z]{2})\.[A-Za-z0-9.]{1,160}$/;

/** Whether `id` is a user id (BSUID) rather than a number. */
export function isUserId(id: string): boolean {
  return USER_ID.test(id);
}

/** The country a WhatsApp id (a number, or a user id by its prefix) belongs to, when it tells. */
export function countryOfWaId(waId: WaId): CountryCode | undefined {
  const prefix = USER_ID.exec(waId)?.[1];
  if (prefix !== undefined) return isSupportedCountry(prefix) ? prefix : undefined;
  return parsePhoneNumberFromString(`+${waId}`)?.country;
}

/**
 * Reads a phone number as a person writes it ("+57 300-123-4567", "300 123 4567", "00573001234567").
 * Numbers without a country code are read in `defaultCountry`. Returns the WhatsApp id, or undefined when
 * the text is not a valid number.
 */
export function parsePhoneNumber(text: string, defaultCountry: CountryCode | undefined): WaId | undefined {
  const cleaned = text.trim().replace(/^00(?=\d)/, '+');
  if (!/^\+?[\d\s().\-/]{4,30}$/.test(cleaned)) return undefined;
  const parsed = parsePhoneNumberFromString(cleaned, defaultCountry ? { defaultCountry } : undefined);
  if (!parsed?.isValid()) return undefined;
  return parsed.number.slice(1);
}

/** What is known about a number written with its country code that is not valid. */
export type InvalidInternationalNumber =
  | { readonly callingCode: string; readonly country: CountryCode }
  | { readonly callingCode: undefined; readonly country: undefined };

// The library's own metadata: for each calling code, the countries that share it, the main one first.
const metadata = createRequire(import.meta.url)('libphonenumber-js/metadata.min.json') as MetadataJson;

/**
 * For a number written with its country code ("+1 555 0100", "0044 20…") that is not valid: the country its
 * code belongs to (the main one where several share it), or nothing when no country has that code.
 * Undefined when the text carries no country code: then the code is what is missing.
 */
export function invalidInternationalNumber(text: string): InvalidInternationalNumber | undefined {
  const cleaned = text.trim().replace(/^00(?=\d)/, '+');
  if (!cleaned.startsWith('+')) return undefined;
  const callingCode = parsePhoneNumberFromString(cleaned)?.countryCallingCode;
  const country = callingCode === undefined ? undefined : metadata.country_calling_codes[callingCode]?.[0];
  if (callingCode === undefined || country === undefined)
    return { callingCode: undefined, country: undefined };
  return { callingCode, country };
}

/** "+57 300 1234567": the way a person reads a number in a message. */
export function formatPhoneNumber(waId: WaId): string {
  return parsePhoneNumberFromString(`+${waId}`)?.formatInternational() ?? `+${waId}`;
}

/** "+57 ••• 4567": a number as a page may show it to the other person, never in full. */
export function partialPhoneNumber(waId: WaId): string {
  const parsed = parsePhoneNumberFromString(`+${waId}`);
  const digits = waId.replace(/\D/g, '');
  const code = parsed?.countryCallingCode ?? digits.slice(0, 2);
  return `+${code} ••• ${digits.slice(-4)}`;
}

/** A number (or a user id) as logs may show it: the country prefix and the last four digits only. */
export function maskPhoneNumber(waId: string): string {
  const country = USER_ID.exec(waId)?.[1];
  if (country !== undefined) return `${country}.${maskPhoneNumber(waId.slice(3))}`;
  const digits = waId.replace(/\D/g, '');
  if (digits.length <= 6) return '*'.repeat(digits.length);
  return `${digits.slice(0, 2)}${'*'.repeat(digits.length - 6)}${digits.slice(-4)}`;
}
