import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CountryCode } from 'libphonenumber-js';
import type { Language } from '../protocol/language.js';
import { readWhen, type When } from './when.js';

// Real phrasings, each read at a known moment in a known zone; what they must mean, as a UTC instant.

/** Tuesday 1 December 2026, 10:00 in Bogotá (UTC-5, no DST). */
const BOGOTA_NOW = Date.parse('2026-12-01T15:00:00Z');

function read(
  text: string,
  options: { language?: Language; country?: CountryCode; zone?: string; nowMs?: number } = {},
): When | undefined {
  return readWhen(text, {
    language: options.language ?? 'es',
    country: options.country ?? 'CO',
    zone: options.zone ?? 'America/Bogota',
    nowMs: options.nowMs ?? BOGOTA_NOW,
  });
}

function at(iso: string): When {
  return { kind: 'at', atMs: Date.parse(iso) };
}

describe('reading when a call should happen', () => {
  const table: [string, Parameters<typeof read>[1], When | undefined][] = [
    ['mañana 10:00', {}, at('2026-12-02T15:00:00Z')],
    ['Mañana a las 10:30', {}, at('2026-12-02T15:30:00Z')],
    ['el viernes 3:30 pm', {}, at('2026-12-04T20:30:00Z')],
    ['el viernes a las 3:30 de la tarde', {}, at('2026-12-04T20:30:00Z')],
    ['12/12 9am', {}, at('2026-12-12T14:00:00Z')],
    ['el 5 de diciembre a las 16:30', {}, at('2026-12-05T21:30:00Z')],
    ['pasado mañana a las 8 am', {}, at('2026-12-03T13:00:00Z')],
    ['mañana a las 10 de la noche', {}, at('2026-12-03T03:00:00Z')],
    ['hoy a las 18:00', {}, at('2026-12-01T23:00:00Z')],
    ['el lunes al mediodía', {}, at('2026-12-07T17:00:00Z')],
    // Day first in Spanish: 3 February.
    ['3/2 10am', {}, at('2027-02-03T15:00:00Z')],
    ['tomorrow 10am', { language: 'en', country: 'GB', zone: 'Europe/London' }, at('2026-12-02T10:00:00Z')],
    [
      'next friday at 3pm',
      { language: 'en', country: 'GB', zone: 'Europe/London' },
      at('2026-12-11T15:00:00Z'),
    ],
    // Month first in the United States: 3 February.
    ['2/3 at 10am', { language: 'en', country: 'US', zone: 'America/New_York' }, at('2027-02-03T15:00:00Z')],
    [
      'the day after tomorrow at 9am',
      { language: 'en', country: 'US', zone: 'America/New_York' },
      at('2026-12-03T14:00:00Z'),
    ],
    [
      'amanhã às 10h',
      { language: 'pt', country: 'BR', zone: 'America/Sao_Paulo' },
      at('2026-12-02T13:00:00Z'),
    ],
    [
      'sexta-feira 15h30',
      { language: 'pt', country: 'BR', zone: 'America/Sao_Paulo' },
      at('2026-12-04T18:30:00Z'),
    ],
    [
      'depois de amanhã às 9:00',
      { language: 'pt', country: 'BR', zone: 'America/Sao_Paulo' },
      at('2026-12-03T12:00:00Z'),
    ],
    // Words of another language than the person's are still read.
    ['tomorrow 10am', {}, at('2026-12-02T15:00:00Z')],
    // Questions back, never a guess.
    ['mañana', {}, { kind: 'needs-time' }],
    ['el viernes', {}, { kind: 'needs-time' }],
    ['mañana a las 3', {}, { kind: 'ambiguous-hour', hour: 3 }],
    [
      'next friday at 3',
      { language: 'en', country: 'GB', zone: 'Europe/London' },
      { kind: 'ambiguous-hour', hour: 3 },
    ],
    ['hoy a las 9:00', {}, { kind: 'past', atMs: Date.parse('2026-12-01T14:00:00Z') }],
    ['el 1 de junio de 2027 a las 10:00', {}, { kind: 'too-far', atMs: Date.parse('2027-06-01T15:00:00Z') }],
    // No time at all: a call now.
    ['por favor', {}, undefined],
    ['ahora', {}, undefined],
    // "Today" alone is "now", not a day waiting for its hour.
    ['hoy', {}, undefined],
    ['today please', { language: 'en', country: 'GB', zone: 'Europe/London' }, undefined],
  ];
  for (const [text, options, expected] of table) {
    it(`"${text}" (${options?.zone ?? 'America/Bogota'})`, () => {
      assert.deepEqual(read(text, options), expected);
    });
  }

  it('reads wall-clock times across a DST change in the zone (Madrid, 28 March 2027)', () => {
    const saturdayNoon = Date.parse('2027-03-27T11:00:00Z'); // 12:00 CET (UTC+1)
    const options = { language: 'es', country: 'ES', zone: 'Europe/Madrid', nowMs: saturdayNoon } as const;
    // Saturday evening is still UTC+1; Sunday morning is already UTC+2.
    assert.deepEqual(read('hoy a las 20:00', options), at('2027-03-27T19:00:00Z'));
    assert.deepEqual(read('mañana 10:00', options), at('2027-03-28T08:00:00Z'));
  });

  it('reads "tomorrow" from the zone’s date, not the server’s', () => {
    // 23:30 in Bogotá is already the next day in UTC: "mañana" is still 2 December there.
    const lateEvening = Date.parse('2026-12-02T04:30:00Z');
    assert.deepEqual(read('mañana 10:00', { nowMs: lateEvening }), at('2026-12-02T15:00:00Z'));
  });
});
