import { countryOfWaId, type WaId } from '../phone-number.js';
import type { Language } from '../protocol/language.js';

/** A locale for a language, with the person's country where it shapes the format (es-CO: 3:30 p. m.). */
function localeFor(language: Language, waId: WaId | undefined): string {
  const country = waId === undefined ? undefined : countryOfWaId(waId);
  return country === undefined ? language : `${language}-${country}`;
}

/** The zone as people say it ("hora de Colombia", "Brasília Time"); "UTC" for UTC. */
function zoneInWords(atMs: number, zone: string, locale: string): string {
  if (zone === 'UTC') return 'UTC';
  const part = new Intl.DateTimeFormat(locale, { timeZone: zone, timeZoneName: 'longGeneric' })
    .formatToParts(atMs)
    .find((p) => p.type === 'timeZoneName');
  return part?.value ?? zone;
}

/**
 * A booked time in words, in the person's language and zone: "viernes, 4 de diciembre, 3:30 p. m. (hora
 * estándar de Colombia)".
 */
export function whenInWords(atMs: number, zone: string, language: Language, waId?: WaId): string {
  const locale = localeFor(language, waId);
  const date = new Intl.DateTimeFormat(locale, {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    hour: 'numeric',
    minute: '2-digit',
    timeZone: zone,
  }).format(atMs);
  return `${date} (${zoneInWords(atMs, zone, locale)})`;
}

/** Only the hour, in the person's language and zone: "3:30 p. m.". */
export function timeInWords(atMs: number, zone: string, language: Language, waId?: WaId): string {
  return new Intl.DateTimeFormat(localeFor(language, waId), {
    hour: 'numeric',
    minute: '2-digit',
    timeZone: zone,
  }).format(atMs);
}
