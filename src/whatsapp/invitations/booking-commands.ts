import type { CountryCode } from 'libphonenumber-js';
import { parsePhoneNumber, type WaId } from '../../phone-number.js';
import type { Language } from '../../protocol/language.js';
import type { ParsedCommand } from './commands.js';
import { numbersIn, withoutNumber } from './numbers-in-text.js';

/** Words that start a request to call off a booked call ("cancelar", "cancelar +57…"), and to move one. */
const CANCEL_PATTERN = /^(cancelar|cancela|cancel|cancelo)(?![\p{L}])(.*)$/su;
const RESCHEDULE_WORDS: Record<string, Language | undefined> = {
  cambiar: 'es',
  cambia: 'es',
  reprogramar: undefined,
  mover: undefined,
  reschedule: 'en',
  move: 'en',
  remarcar: 'pt',
  reagendar: undefined,
};
const RESCHEDULE_PATTERN = new RegExp(`^(${Object.keys(RESCHEDULE_WORDS).join('|')})(?![\\p{L}])(.*)$`, 'su');
/** "cancelar [+57…]" and "cambiar [+57…] <time>": the inviter's changes to a booked call. */
export function bookingCommand(
  text: string,
  body: string,
  country: CountryCode | undefined,
  sender: WaId | undefined,
): ParsedCommand | undefined {
  const cancel = CANCEL_PATTERN.exec(text);
  const reschedule = cancel === null ? RESCHEDULE_PATTERN.exec(text) : null;
  const match = cancel ?? reschedule;
  if (match === null) return undefined;
  const [number] = numbersIn(match[2] ?? '');
  const invitee = number === undefined ? undefined : parsePhoneNumber(number, country);
  const other = invitee === sender ? undefined : invitee;
  if (cancel !== null) {
    const language = cancel[1] === 'cancel' ? 'en' : undefined;
    return { command: { kind: 'cancel', invitee: other }, language };
  }
  const word = match[1] as string;
  // The time is read from the person's own words (accents and all), after the command word.
  const rest = body.trim().slice(word.length);
  return {
    command: {
      kind: 'reschedule',
      invitee: other,
      whenText: number === undefined ? rest : withoutNumber(rest, number),
    },
    language: RESCHEDULE_WORDS[word],
  };
}
