import type { CountryCode } from 'libphonenumber-js';
import {
  countryOfWaId,
  invalidInternationalNumber,
  isUserId,
  parsePhoneNumber,
  type InvalidInternationalNumber,
  type WaId,
} from '../../phone-number.js';
import type { Language } from '../../protocol/language.js';
import type { InboundMessage } from './inbound-message.js';
import { bookingCommand } from './booking-commands.js';
import { numbersIn, withoutNumber } from './numbers-in-text.js';

/** What a person asked the bot for. */
export type Command =
  | {
      readonly kind: 'invite';
      readonly invitee: WaId;
      readonly inviteeName?: string | undefined;
      /** The request's words besides the number: where a time for a booked call is read from. */
      readonly whenText?: string | undefined;
    }
  /** The inviter calls off a booked call: the one with `invitee`, or their only one. */
  | { readonly kind: 'cancel'; readonly invitee: WaId | undefined }
  /** The inviter moves a booked call (the one with `invitee`, or their only one) to the time `whenText` names. */
  | { readonly kind: 'reschedule'; readonly invitee: WaId | undefined; readonly whenText: string }
  | { readonly kind: 'help' }
  | { readonly kind: 'missing-number' }
  | {
      readonly kind: 'invalid-number';
      readonly input: string;
      /** Present when the number carried a country code: that country, or none where no country has it. */
      readonly international?: InvalidInternationalNumber | undefined;
    }
  /** Two or more numbers in one request: which one is meant is not guessed. */
  | { readonly kind: 'ambiguous-number' }
  | { readonly kind: 'self-invite' }
  | { readonly kind: 'contact-without-number' }
  | { readonly kind: 'set-language'; readonly language: Language }
  /** The invitee can't make it: from the invitation's reply button (with its room) or in words. */
  | { readonly kind: 'decline'; readonly roomId: string | undefined }
  | { readonly kind: 'ignore' };

/** A command, and the language the words the person used give away (undefined when they do not tell). */
export interface ParsedCommand {
  readonly command: Command;
  readonly language: Language | undefined;
}

const CALL_WORDS: Record<string, Language> = {
  videollamada: 'es',
  'video llamada': 'es',
  videochamada: 'pt',
  'video chamada': 'pt',
  videocall: 'en',
  'video call': 'en',
  call: 'en',
};
const HELP_WORDS: Record<string, Language> = { ayuda: 'es', help: 'en', ajuda: 'pt' };
const LANGUAGE_WORDS: Record<string, Language> = {
  espanol: 'es',
  'en espanol': 'es',
  'idioma espanol': 'es',
  'idioma es': 'es',
  english: 'en',
  'in english': 'en',
  'language english': 'en',
  'language en': 'en',
  portugues: 'pt',
  'em portugues': 'pt',
  'idioma portugues': 'pt',
  'idioma pt': 'pt',
};
const DECLINE_WORDS: Record<string, Language> = {
  'no puedo': 'es',
  rechazar: 'es',
  rechazo: 'es',
  "can't": 'en',
  'cant make it': 'en',
  "can't make it": 'en',
  decline: 'en',
  'nao posso': 'pt',
  recusar: 'pt',
  recuso: 'pt',
};
/** Reply-button payloads (templates and interactive messages) that decline an invitation. */
export const DECLINE_PAYLOAD_PREFIX = 'decline:';
/**
 * Messages that ask for nothing: answering them with the help text would be noise. Edits and deletions
 * (`edit`, `revoke`: Meta's coexistence webhooks) change a message already answered; `unsupported` is Meta's
 * notice of a message type it does not deliver (error 131051).
 */
const IGNORED_TYPES = new Set(['reaction', 'system', 'request_welcome', 'edit', 'revoke', 'unsupported']);

/** A request that starts with a call word ("videollamada +57…", "call 300…"). */
const CALL_PATTERN = new RegExp(
  `^(${Object.keys(CALL_WORDS).join('|')})(?=$|[\\s:,.+\\d])[\\s:,.]*(.*)$`,
  's',
);
/**
 * Words that ask for a video call wherever they stand ("quiero hacer una videollamada a…", "videollamar a…").
 * A bare "call" counts only at the start: in a sentence it is too often something else.
 */
const VIDEO_WORDS: Record<string, Language> = {
  videollamada: 'es',
  videollamadas: 'es',
  'video llamada': 'es',
  'video-llamada': 'es',
  'llamada de video': 'es',
  videollamar: 'es',
  videollamarte: 'es',
  videollamemos: 'es',
  videocall: 'en',
  'video call': 'en',
  'video-call': 'en',
  videochamada: 'pt',
  videochamadas: 'pt',
  'video chamada': 'pt',
  'video-chamada': 'pt',
  'chamada de video': 'pt',
};
const VIDEO_WORD_PATTERN = new RegExp(
  `(?:^|[^\\p{L}])(${Object.keys(VIDEO_WORDS)
    .sort((a, b) => b.length - a.length)
    .join('|')})(?![\\p{L}])`,
  'u',
);
/** Lower case without accents, so "Videollamada" and "VIDEOLLAMADA" read the same. */
function normalise(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .replace(/[’‘]/g, "'")
    .toLowerCase()
    .trim();
}

function inviteFor(invitee: WaId | undefined, sender: WaId | undefined, input: string): Command {
  if (invitee === undefined) {
    const international = invalidInternationalNumber(input);
    return international === undefined
      ? { kind: 'invalid-number', input }
      : { kind: 'invalid-number', input, international };
  }
  if (invitee === sender) return { kind: 'self-invite' };
  return { kind: 'invite', invitee };
}

/**
 * Reads a message into a command. Numbers without a country code are read in the sender's country, or in
 * `defaultCountry` when the sender's number does not tell (WhatsApp usernames).
 */
export function parseCommand(
  message: InboundMessage,
  options: { defaultCountry: CountryCode | undefined },
): ParsedCommand {
  const sender = message.from;
  // A username's user id starts with the person's country, as a number's calling code tells it.
  const identity = sender ?? message.from_user_id;
  const country = (identity === undefined ? undefined : countryOfWaId(identity)) ?? options.defaultCountry;

  if (message.type === 'contacts') {
    const card = message.contacts?.[0];
    const phone = card?.phones?.find((p) => p.wa_id ?? p.phone);
    const userId = card?.phones?.find((p) => p.user_id !== undefined && isUserId(p.user_id))?.user_id;
    const name = card?.name?.formatted_name ?? card?.name?.first_name;
    if (phone === undefined && userId !== undefined) {
      // Only a user id: the Cloud API reaches them by it.
      const command: Command =
        userId === message.from_user_id ? { kind: 'self-invite' } : { kind: 'invite', invitee: userId };
      return {
        command: command.kind === 'invite' ? { ...command, inviteeName: name } : command,
        language: undefined,
      };
    }
    if (phone === undefined) return { command: { kind: 'contact-without-number' }, language: undefined };
    const raw = phone.wa_id ?? phone.phone ?? '';
    const invitee = phone.wa_id
      ? parsePhoneNumber(`+${phone.wa_id}`, undefined)
      : parsePhoneNumber(raw, country);
    const command = inviteFor(invitee, sender, raw);
    return {
      command: command.kind === 'invite' ? { ...command, inviteeName: name } : command,
      language: undefined,
    };
  }
  const payload = message.button?.payload ?? message.interactive?.button_reply?.id;
  if (payload?.startsWith(DECLINE_PAYLOAD_PREFIX)) {
    return {
      command: { kind: 'decline', roomId: payload.slice(DECLINE_PAYLOAD_PREFIX.length) },
      language: undefined,
    };
  }
  if (message.type !== 'text' || message.text === undefined) {
    return { command: { kind: IGNORED_TYPES.has(message.type) ? 'ignore' : 'help' }, language: undefined };
  }

  const text = normalise(message.text.body);
  const atStart = CALL_PATTERN.exec(text);
  const anywhere = atStart === null ? VIDEO_WORD_PATTERN.exec(text) : null;
  const word = atStart?.[1] ?? anywhere?.[1];
  if (word !== undefined) {
    const language = CALL_WORDS[word] ?? VIDEO_WORDS[word];
    // Numbers are read from the normalised text: digits and separators are the same there.
    const numbers = numbersIn(text);
    if (numbers.length > 1) return { command: { kind: 'ambiguous-number' }, language };
    const [number] = numbers;
    if (number === undefined) {
      // "videollamada 123": a number was meant, too short to be one.
      const rest = (atStart?.[2] ?? '').trim().slice(0, 40);
      const meant = /\d/.test(rest);
      return {
        command: meant ? { kind: 'invalid-number', input: rest } : { kind: 'missing-number' },
        language,
      };
    }
    const command = inviteFor(parsePhoneNumber(number, country), sender, number.slice(0, 40));
    return {
      command:
        command.kind === 'invite'
          ? { ...command, whenText: withoutNumber(message.text.body, number) }
          : command,
      language,
    };
  }
  const booking = bookingCommand(text, message.text.body, country, sender);
  if (booking !== undefined) return booking;
  const bare = text.replace(/[.!¡¿?]+/g, '').trim();
  const chosen = LANGUAGE_WORDS[bare];
  if (chosen !== undefined) return { command: { kind: 'set-language', language: chosen }, language: chosen };
  if (DECLINE_WORDS[bare] !== undefined)
    return { command: { kind: 'decline', roomId: undefined }, language: DECLINE_WORDS[bare] };
  return { command: { kind: 'help' }, language: HELP_WORDS[bare] };
}
