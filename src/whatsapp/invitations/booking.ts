import { countryOfWaId, type WaId } from '../../phone-number.js';
import type { Language } from '../../protocol/language.js';
import { opensAtMs, type Room } from '../../rooms/room.js';
import { bookingTexts } from '../../scheduling/booking-texts.js';
import { timeZoneFor, type LineTimeZone } from '../../scheduling/time-zones.js';
import { whenInWords } from '../../scheduling/when-in-words.js';
import { readWhen } from '../../scheduling/when.js';

/** A booked call's time as a request names it, or the question to ask instead of guessing. */
export type Booking = { readonly startsAtMs: number } | { readonly question: string };

/**
 * Reads the time a request names in the zone of the person who wrote (their country's, or the line's): the
 * call's start, a question back (no hour, an hour without a.m./p.m., two times, a past or far time), or
 * undefined when it names no time (a call now).
 */
export function readBooking(
  whenText: string,
  person: { readonly waId: WaId; readonly language: Language },
  lineZone: LineTimeZone | undefined,
  nowMs: number,
): Booking | undefined {
  const zone = timeZoneFor(person.waId, lineZone);
  const when = readWhen(whenText, {
    language: person.language,
    country: countryOfWaId(person.waId),
    zone,
    nowMs,
  });
  const texts = bookingTexts(person.language);
  switch (when?.kind) {
    case undefined:
      return undefined;
    case 'at':
      return { startsAtMs: when.atMs };
    case 'needs-time':
      return { question: texts.needsTime() };
    case 'ambiguous-hour':
      return { question: texts.ambiguousHour(when.hour) };
    case 'ambiguous':
      return { question: texts.ambiguousTime() };
    case 'past':
      return { question: texts.past(whenInWords(when.atMs, zone, person.language, person.waId)) };
    case 'too-far':
      return { question: texts.tooFar() };
  }
}

/** A booked call's time in words for one person: in their language and zone. */
export function bookedTimeFor(
  room: Pick<Room, 'startsAtMs'>,
  person: { readonly waId: WaId | undefined; readonly language: Language },
  lineZone: LineTimeZone | undefined,
): string | undefined {
  if (room.startsAtMs === undefined) return undefined;
  return whenInWords(room.startsAtMs, timeZoneFor(person.waId, lineZone), person.language, person.waId);
}

/** Where a booked call's calendar entry is served (no seat key in it), in the person's language. */
export function calendarUrl(publicBaseUrl: string, roomId: string, language: Language): string {
  return `${publicBaseUrl}/calendar/${roomId}.ics?lang=${language}`;
}

/** The lines a booked call's inviter gets after their link: when the room opens, and the calendar entry. */
export function bookedInviterNote(room: Room, language: Language, publicBaseUrl: string): string {
  if (room.startsAtMs === undefined) return '';
  const texts = bookingTexts(language);
  // A call booked less than 15 minutes ahead is open already: no word about opening early.
  const opensLater = opensAtMs(room) > room.createdAtMs;
  return `${opensLater ? `\n\n${texts.opensEarly()}` : ''}\n\n${texts.calendar(calendarUrl(publicBaseUrl, room.id, language))}`;
}
