import { getCountry } from 'countries-and-timezones';
import type { LineTimeZone } from '../config-lines.js';
import { countryOfWaId, type WaId } from '../phone-number.js';

export type { LineTimeZone } from '../config-lines.js';

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
 * The time zone a person's times are read and written in: the line's for everyone when it says so; else their
 * number's country's, when that country has one zone; for a country with several (Brazil, Mexico, the United States), the line's zone when it is one of them,
 * else the country's main zone; the line's zone for numbers that tell no country; UTC when nothing tells.
 */
export function timeZoneFor(waId: WaId | undefined, line: LineTimeZone | undefined): string {
  // A line whose people all live in its zone (a local clinic) reads everyone there, foreign numbers too.
  if (line?.forEveryone === true) return line.zone;
  const lineZone = line?.zone;
  const country = waId === undefined ? undefined : countryOfWaId(waId);
  const zones = country === undefined ? [] : (getCountry(country)?.timezones ?? []);
  if (zones.length === 1) return zones[0] as string;
  if (lineZone !== undefined && (zones.length === 0 || (zones as readonly string[]).includes(lineZone)))
    return lineZone;
  return (country === undefined ? undefined : MAIN_ZONE[country]) ?? lineZone ?? FALLBACK_TIME_ZONE;
}
