import {
  countryOfWaId,
  formatPhoneNumber,
  isUserId,
  type InvalidInternationalNumber,
  type WaId,
} from '../../phone-number.js';
import type { Language } from '../../protocol/language.js';
import type { UndeliveredReason } from '../../protocol/dashboard.js';

export type { UndeliveredReason };

// Countries where Portuguese is the usual language of a WhatsApp user.
const PORTUGUESE_SPEAKING = new Set(['BR', 'PT', 'AO', 'MZ', 'CV', 'GW', 'ST', 'TL']);

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

/**
 * Spanish for numbers (and user ids) of Spanish-speaking countries, Portuguese for Portuguese-speaking ones,
 * English for the rest; for people whose id says nothing (an unknown country) the line's language, else
 * Spanish.
 */
export function languageForWaId(waId: WaId | undefined, lineLanguage?: Language): Language {
  const country = waId === undefined ? undefined : countryOfWaId(waId);
  if (country === undefined) return lineLanguage ?? 'es';
  if (SPANISH_SPEAKING.has(country)) return 'es';
  return PORTUGUESE_SPEAKING.has(country) ? 'pt' : 'en';
}

/** How a person is named to the other: "Ana (+57 300 1112233)", or the number alone. */
export function personLabel(name: string | undefined, waId: WaId | undefined): string {
  // A user id means nothing to a person: it is shown only when there is no name at all.
  if (waId !== undefined && isUserId(waId)) return name ?? waId;
  const number = waId === undefined ? undefined : formatPhoneNumber(waId);
  if (name && number) return `${name} (${number})`;
  return name ?? number ?? '';
}

/** A country's name in a language ("Estados Unidos", "United States"). */
function countryName(country: string, language: Language): string {
  return new Intl.DisplayNames([language], { type: 'region' }).of(country) ?? country;
}

const TEXTS = {
  es: {
    help: () =>
      'Hola 👋 Para hacer una videollamada, escribe *videollamada* y el número de la otra persona, ' +
      'por ejemplo:\n\nvideollamada +57 300 123 4567\n\nTambién puedes compartirme su contacto. ' +
      'Les enviaré un enlace privado a los dos.\n\nPara agendarla, agrega el día y la hora: ' +
      '*videollamada +57 300 123 4567 mañana 10:00*. Luego puedes escribir *cancelar* o *cambiar* y la nueva hora.',
    missingNumber: () =>
      'Falta el número. Escribe, por ejemplo: *videollamada +57 300 123 4567*, o compárteme el contacto.',
    invalidNumber: (input: string, international?: InvalidInternationalNumber) =>
      international?.country !== undefined
        ? `"${input}" no es un número válido de ${countryName(international.country, 'es')} ` +
          `(+${international.callingCode}). Revisa los dígitos, o compárteme el contacto.`
        : international !== undefined
          ? `Ningún país tiene el código con el que empieza "${input}". Revisa el número, por ejemplo: ` +
            '*videollamada +57 300 123 4567*.'
          : `No reconozco "${input}" como número de teléfono. Escríbelo con el código de país, ` +
            'por ejemplo: *videollamada +57 300 123 4567*.',
    ambiguousNumber: () =>
      'Veo más de un número en tu mensaje. Escribe solo el de la persona a la que quieres llamar, por ejemplo: ' +
      '*videollamada +57 300 123 4567*.',
    selfInvite: () => 'Ese es tu propio número 🙂 Escribe el número de la persona a la que quieres llamar.',
    contactWithoutNumber: () =>
      'El contacto que compartiste no tiene un número de teléfono. Escribe *videollamada* y el número.',
    senderNotAllowed: () =>
      'Lo siento, este bot solo crea videollamadas para los números autorizados por el negocio.',
    tooManyInvites: (limit: number) =>
      `Ya creaste ${limit} videollamadas en la última hora, que es el máximo. Inténtalo un poco más tarde.`,
    pairCooldown: (invitee: string) =>
      `Acabas de invitar a ${invitee}. Usa el enlace que te envié, o espera un par de minutos para crear otra videollamada.`,
    languageSet: () => 'Listo, te escribiré en español.',
    declined: (invitee: string) => `${invitee} no puede unirse a la videollamada ahora.`,
    declineNoted: (inviter: string) => `Entendido, le avisé a ${inviter}.`,
    nothingToDecline: () => 'No tienes ninguna invitación pendiente.',
    nudge: (other: string) =>
      `${other} ya está en la videollamada y te está esperando 📹 Abre el enlace que te envié para unirte.`,
    callReady: (invitee: string) => `Listo ✅ Tu videollamada con ${invitee} está lista.`,
    invitationSent: (invitee: string) => `También le envié a ${invitee} su propio enlace.`,
    yourLink: (url: string) => `Tu enlace, solo para ti (no lo compartas):\n${url}`,
    linkIsPrivate: () => 'Este enlace es solo para ti: no lo compartas.',
    forwardHeader: () => 'Invitación para enviar',
    forwardExplained: (invitee: string) =>
      `${invitee} aún no le ha escrito a este número, así que WhatsApp no me deja enviarle su enlace. ` +
      `Envíaselo tú: toca aquí 👇 y se abrirá tu chat con ${invitee} con la invitación ya escrita.`,
    forwardButton: () => 'Enviar invitación',
    callCancelled: (host: string) =>
      `${host} canceló la videollamada. El enlace que te envié ya no funciona.`,
    passOnExplained: (invitee: string) =>
      `${invitee} usa un nombre de usuario y aún no le ha escrito a este número, así que WhatsApp no me deja ` +
      `enviarle su enlace. Reenvíaselo tú (es solo para ${invitee}):`,
    invitation: (inviter: string, url: string) =>
      `${inviter} te invita a una videollamada 📹 Entra aquí:\n${url}\n\n` +
      'Abre el enlace en tu navegador y permite la cámara y el micrófono.',
    invitationBody: (inviter: string) =>
      `${inviter} te invita a una videollamada 📹 Toca «Unirse» y permite la cámara y el micrófono. ` +
      'Si no puedes, responde *no puedo*.',
    callHeader: () => 'Videollamada',
    joinButton: () => 'Unirse',
    joinByVoice: (url: string) =>
      `¿Sin datos o sin cámara? Únete solo con la voz, con una llamada de WhatsApp:\n${url}`,
    undelivered: (invitee: string, reason: UndeliveredReason, forwardUrl: string) =>
      `⚠️ Tu invitación no le llegó a ${invitee}: ${UNDELIVERED_ES[reason]}. ` +
      `Envíasela tú: toca aquí y se abrirá tu chat con la invitación escrita:\n${forwardUrl}`,
  },
  en: {
    help: () =>
      'Hi 👋 To start a video call, write *videocall* and the other person’s number, for example:\n\n' +
      'videocall +1 650 555 1234\n\nYou can also share their contact with me. I’ll send you both a private link.\n\n' +
      'To book it, add the day and time: *videocall +1 650 555 1234 tomorrow 10am*. Later you can write *cancel* or ' +
      '*reschedule* and the new time.',
    missingNumber: () =>
      'The number is missing. Write, for example: *videocall +1 650 555 1234*, or share the contact.',
    invalidNumber: (input: string, international?: InvalidInternationalNumber) =>
      international?.country !== undefined
        ? `"${input}" is not a valid ${countryName(international.country, 'en')} number ` +
          `(+${international.callingCode}). Check the digits, or share the contact instead.`
        : international !== undefined
          ? `No country has the code "${input}" starts with. Check the number, for example: ` +
            '*videocall +1 650 555 1234*.'
          : `"${input}" doesn’t look like a phone number. Write it with the country code, ` +
            'for example: *videocall +1 650 555 1234*.',
    ambiguousNumber: () =>
      'I see more than one number in your message. Write only the number of the person you want to call, ' +
      'for example: *videocall +1 650 555 1234*.',
    selfInvite: () => 'That’s your own number 🙂 Write the number of the person you want to call.',
    contactWithoutNumber: () =>
      'The contact you shared has no phone number. Write *videocall* and the number instead.',
    senderNotAllowed: () => 'Sorry, this bot only creates video calls for numbers the business has allowed.',
    tooManyInvites: (limit: number) =>
      `You already created ${limit} video calls in the last hour, which is the limit. Please try again a bit later.`,
    pairCooldown: (invitee: string) =>
      `You just invited ${invitee}. Use the link I sent you, or wait a couple of minutes to create another call.`,
    languageSet: () => 'OK, I’ll write to you in English.',
    declined: (invitee: string) => `${invitee} can’t join the video call right now.`,
    declineNoted: (inviter: string) => `Got it, I let ${inviter} know.`,
    nothingToDecline: () => 'You have no pending invitation.',
    nudge: (other: string) =>
      `${other} is already in the video call and waiting for you 📹 Open the link I sent you to join.`,
    callReady: (invitee: string) => `Done ✅ Your video call with ${invitee} is ready.`,
    invitationSent: (invitee: string) => `I also sent ${invitee} their own link.`,
    yourLink: (url: string) => `Your link, just for you (please don’t share it):\n${url}`,
    linkIsPrivate: () => 'This link is just for you: please don’t share it.',
    forwardHeader: () => 'Invitation to send',
    forwardExplained: (invitee: string) =>
      `${invitee} hasn’t written to this number yet, so WhatsApp won’t let me send them their link. ` +
      `Send it yourself: tap here 👇 and your chat with ${invitee} opens with the invitation written.`,
    forwardButton: () => 'Send invitation',
    callCancelled: (host: string) => `${host} cancelled the video call. The link I sent you no longer works.`,
    passOnExplained: (invitee: string) =>
      `${invitee} uses a username and hasn’t written to this number yet, so WhatsApp won’t let me send them ` +
      `their link. Forward it to them yourself (it is only for ${invitee}):`,
    invitation: (inviter: string, url: string) =>
      `${inviter} invites you to a video call 📹 Join here:\n${url}\n\n` +
      'Open the link in your browser and allow camera and microphone.',
    invitationBody: (inviter: string) =>
      `${inviter} invites you to a video call 📹 Tap “Join” and allow camera and microphone. ` +
      'If you can’t make it, reply *can’t*.',
    callHeader: () => 'Video call',
    joinButton: () => 'Join',
    joinByVoice: (url: string) => `No data or no camera? Join by voice only, with a WhatsApp call:\n${url}`,
    undelivered: (invitee: string, reason: UndeliveredReason, forwardUrl: string) =>
      `⚠️ Your invitation didn’t reach ${invitee}: ${UNDELIVERED_EN[reason]}. ` +
      `Send it yourself: tap here and your chat opens with the invitation written:\n${forwardUrl}`,
  },
  pt: {
    help: () =>
      'Olá 👋 Para fazer uma videochamada, escreva *videochamada* e o número da outra pessoa, ' +
      'por exemplo:\n\nvideochamada +55 11 91234 5678\n\nVocê também pode me enviar o contato. ' +
      'Vou mandar um link privado para vocês dois.\n\nPara agendar, acrescente o dia e a hora: ' +
      '*videochamada +55 11 91234 5678 amanhã 10:00*. Depois você pode escrever *cancelar* ou *remarcar* e o novo horário.',
    missingNumber: () =>
      'Falta o número. Escreva, por exemplo: *videochamada +55 11 91234 5678*, ou me envie o contato.',
    invalidNumber: (input: string, international?: InvalidInternationalNumber) =>
      international?.country !== undefined
        ? `"${input}" não é um número válido de ${countryName(international.country, 'pt')} ` +
          `(+${international.callingCode}). Confira os dígitos, ou me envie o contato.`
        : international !== undefined
          ? `Nenhum país tem o código com que "${input}" começa. Confira o número, por exemplo: ` +
            '*videochamada +55 11 91234 5678*.'
          : `Não reconheço "${input}" como número de telefone. Escreva com o código do país, ` +
            'por exemplo: *videochamada +55 11 91234 5678*.',
    ambiguousNumber: () =>
      'Vejo mais de um número na sua mensagem. Escreva só o da pessoa para quem você quer ligar, por exemplo: ' +
      '*videochamada +55 11 91234 5678*.',
    selfInvite: () => 'Esse é o seu próprio número 🙂 Escreva o número da pessoa para quem você quer ligar.',
    contactWithoutNumber: () =>
      'O contato que você enviou não tem número de telefone. Escreva *videochamada* e o número.',
    senderNotAllowed: () =>
      'Desculpe, este bot só cria videochamadas para os números autorizados pela empresa.',
    tooManyInvites: (limit: number) =>
      `Você já criou ${limit} videochamadas na última hora, que é o máximo. Tente de novo um pouco mais tarde.`,
    pairCooldown: (invitee: string) =>
      `Você acabou de convidar ${invitee}. Use o link que eu enviei, ou espere alguns minutos para criar outra videochamada.`,
    languageSet: () => 'Pronto, vou escrever para você em português.',
    declined: (invitee: string) => `${invitee} não pode entrar na videochamada agora.`,
    declineNoted: (inviter: string) => `Entendido, avisei ${inviter}.`,
    nothingToDecline: () => 'Você não tem nenhum convite pendente.',
    nudge: (other: string) =>
      `${other} já está na videochamada esperando por você 📹 Abra o link que eu enviei para entrar.`,
    callReady: (invitee: string) => `Pronto ✅ Sua videochamada com ${invitee} está pronta.`,
    invitationSent: (invitee: string) => `Também enviei para ${invitee} o link dele.`,
    yourLink: (url: string) => `Seu link, só para você (não compartilhe):\n${url}`,
    linkIsPrivate: () => 'Este link é só para você: não compartilhe.',
    forwardHeader: () => 'Convite para enviar',
    forwardExplained: (invitee: string) =>
      `${invitee} ainda não escreveu para este número, então o WhatsApp não me deixa enviar o link. ` +
      `Envie você: toque aqui 👇 e vai abrir a sua conversa com ${invitee} com o convite já escrito.`,
    forwardButton: () => 'Enviar convite',
    callCancelled: (host: string) =>
      `${host} cancelou a videochamada. O link que eu enviei não funciona mais.`,
    passOnExplained: (invitee: string) =>
      `${invitee} usa um nome de usuário e ainda não escreveu para este número, então o WhatsApp não me deixa ` +
      `enviar o link. Encaminhe você (é só para ${invitee}):`,
    invitation: (inviter: string, url: string) =>
      `${inviter} convida você para uma videochamada 📹 Entre aqui:\n${url}\n\n` +
      'Abra o link no navegador e permita a câmera e o microfone.',
    invitationBody: (inviter: string) =>
      `${inviter} convida você para uma videochamada 📹 Toque em «Entrar» e permita a câmera e o microfone. ` +
      'Se não puder, responda *não posso*.',
    callHeader: () => 'Videochamada',
    joinButton: () => 'Entrar',
    joinByVoice: (url: string) =>
      `Sem dados ou sem câmera? Entre só com a voz, com uma ligação do WhatsApp:\n${url}`,
    undelivered: (invitee: string, reason: UndeliveredReason, forwardUrl: string) =>
      `⚠️ Seu convite não chegou para ${invitee}: ${UNDELIVERED_PT[reason]}. ` +
      `Envie você: toque aqui e vai abrir a sua conversa com o convite escrito:\n${forwardUrl}`,
  },
} as const satisfies Record<Language, Record<string, (...args: never[]) => string>>;

const UNDELIVERED_ES: Record<UndeliveredReason, string> = {
  window: 'no le ha escrito a este número en las últimas 24 horas, así que WhatsApp no me deja escribirle',
  'not-on-whatsapp':
    'ese número no puede recibir mensajes de WhatsApp (quizá no usa WhatsApp o su app está desactualizada)',
  'not-allowed': 'este número del bot es de pruebas y solo puede escribir a números autorizados',
  other: 'WhatsApp no entregó el mensaje',
};
const UNDELIVERED_EN: Record<UndeliveredReason, string> = {
  window: 'they haven’t written to this number in the last 24 hours, so WhatsApp won’t let me write to them',
  'not-on-whatsapp':
    'that number can’t receive WhatsApp messages (maybe it isn’t on WhatsApp, or its app is out of date)',
  'not-allowed': 'this bot uses a test number that can only write to allowed numbers',
  other: 'WhatsApp didn’t deliver the message',
};

const UNDELIVERED_PT: Record<UndeliveredReason, string> = {
  window:
    'a pessoa não escreveu para este número nas últimas 24 horas, então o WhatsApp não me deixa escrever para ela',
  'not-on-whatsapp':
    'esse número não pode receber mensagens do WhatsApp (talvez não use o WhatsApp ou o app esteja desatualizado)',
  'not-allowed': 'este número do bot é de testes e só pode escrever para números autorizados',
  other: 'o WhatsApp não entregou a mensagem',
};

/** The bot's texts in one language. */
export function textsFor(language: Language): (typeof TEXTS)[Language] {
  return TEXTS[language];
}
