import { countryOfWaId, formatPhoneNumber, type WaId } from './phone-number.js';

/** The languages every text a person reads is written in; Spanish first. */
export type Language = 'es' | 'en';

// Calling codes of countries where Spanish is the usual language of a WhatsApp user.
const SPANISH_SPEAKING = new Set([
  'AR',
  'BO',
  'CL',
  'CO',
  'CR',
  'CU',
  'DO',
  'EC',
  'ES',
  'GQ',
  'GT',
  'HN',
  'MX',
  'NI',
  'PA',
  'PE',
  'PR',
  'PY',
  'SV',
  'UY',
  'VE',
]);

/** Spanish for numbers of Spanish-speaking countries (and unknown ones), English for the rest. */
export function languageForWaId(waId: WaId | undefined): Language {
  const country = waId === undefined ? undefined : countryOfWaId(waId);
  return country === undefined || SPANISH_SPEAKING.has(country) ? 'es' : 'en';
}

/** How a person is named to the other: "Ana (+57 300 1112233)", or the number alone. */
export function personLabel(name: string | undefined, waId: WaId | undefined): string {
  const number = waId === undefined ? undefined : formatPhoneNumber(waId);
  if (name && number) return `${name} (${number})`;
  return name ?? number ?? '';
}

const TEXTS = {
  es: {
    help: () =>
      'Hola 👋 Para hacer una videollamada, escribe *videollamada* y el número de la otra persona, ' +
      'por ejemplo:\n\nvideollamada +57 300 123 4567\n\nTambién puedes compartirme su contacto. ' +
      'Les enviaré un enlace privado a los dos.',
    missingNumber: () =>
      'Falta el número. Escribe, por ejemplo: *videollamada +57 300 123 4567*, o compárteme el contacto.',
    invalidNumber: (input: string) =>
      `No reconozco "${input}" como número de teléfono. Escríbelo con el código de país, ` +
      'por ejemplo: *videollamada +57 300 123 4567*.',
    selfInvite: () => 'Ese es tu propio número 🙂 Escribe el número de la persona a la que quieres llamar.',
    contactWithoutNumber: () =>
      'El contacto que compartiste no tiene un número de teléfono. Escribe *videollamada* y el número.',
    inviterLink: (invitee: string, url: string) =>
      `Listo ✅ Tu videollamada con ${invitee} está lista. Entra aquí:\n${url}\n\n` +
      'También le envié su propio enlace. El enlace es solo para ti: no lo compartas.',
    inviteeLink: (inviter: string, url: string) =>
      `${inviter} te invita a una videollamada 📹 Entra aquí:\n${url}\n\n` +
      'Abre el enlace en tu navegador y permite la cámara y el micrófono.',
  },
  en: {
    help: () =>
      'Hi 👋 To start a video call, write *videocall* and the other person’s number, for example:\n\n' +
      'videocall +1 650 555 1234\n\nYou can also share their contact with me. I’ll send you both a private link.',
    missingNumber: () =>
      'The number is missing. Write, for example: *videocall +1 650 555 1234*, or share the contact.',
    invalidNumber: (input: string) =>
      `"${input}" doesn’t look like a phone number. Write it with the country code, ` +
      'for example: *videocall +1 650 555 1234*.',
    selfInvite: () => 'That’s your own number 🙂 Write the number of the person you want to call.',
    contactWithoutNumber: () =>
      'The contact you shared has no phone number. Write *videocall* and the number instead.',
    inviterLink: (invitee: string, url: string) =>
      `Done ✅ Your video call with ${invitee} is ready. Join here:\n${url}\n\n` +
      'I also sent them their own link. This link is just for you: please don’t share it.',
    inviteeLink: (inviter: string, url: string) =>
      `${inviter} invites you to a video call 📹 Join here:\n${url}\n\n` +
      'Open the link in your browser and allow camera and microphone.',
  },
} as const satisfies Record<Language, Record<string, (...args: never[]) => string>>;

/** The bot's texts in one language. */
export function textsFor(language: Language): (typeof TEXTS)[Language] {
  return TEXTS[language];
}
