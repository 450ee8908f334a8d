import { getCountry } from 'countries-and-timezones';
import { countryOfWaId, type WaId } from '../phone-number.js';

/** A zone every runtime knows, for the case where nothing tells the person's. */
export const FALLBACK_TIME_ZONE = 'UTC';

/**
 * Where most people of a country with several zones live: islands and far provinces aside, the zone a number
 * from there most likely means when the line names none of the country's.
 */
const MAIN_ZONE: Readonly<Record<string, string>> = {
  AR: 'America/Argentina/Buenos_Aires',
  BR: 'America/Sao_Paulo',
  CA: 'America/Toronto',
  CL: 'America/Santiago',
  EC: 'America/Guayaquil',
  ES: 'Europe/Madrid',
  MX: 'America/Mexico_City',
  PT: 'Europe/Lisbon',
  US: 'America/New_York',
};

/**
 * The time zone a person's times are read and written in: their number's country's, when that country has one
 * zone; for a country with several (Brazil, Mexico, the United States), the line's zone when it is one of them,
 * else the country's main zone; the line's zone for numbers that tell no country; UTC when nothing tells.
 */
export function timeZoneFor(waId: WaId | undefined, lineZone: string | undefined): string {
  const country = waId === undefined ? undefined : countryOfWaId(waId);
  const zones = country === undefined ? [] : (getCountry(country)?.timezones ?? []);
  if (zones.length === 1) return zones[0] as string;
  if (lineZone !== undefined && (zones.length === 0 || (zones as readonly string[]).includes(lineZone)))
    return lineZone;
  return (country === undefined ? undefined : MAIN_ZONE[country]) ?? lineZone ?? FALLBACK_TIME_ZONE;
}
