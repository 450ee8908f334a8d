import type { ErrorCode } from '../errors.js';
import type { Language } from './language.js';

// What a person is told when a call link cannot open, on the server's status page and on the call page alike:
// one layout (a title, a sentence, one way forward), so that every dead end looks the same and offers the step
// that can help. The codes are many; the situations a person can act on are few.

/** A situation a person can understand. */
export type Problem =
  | 'not-found'
  | 'early'
  | 'expired'
  | 'cancelled'
  | 'invalid-link'
  | 'open-elsewhere'
  | 'moved'
  | 'slow'
  | 'unavailable'
  | 'broken'
  | 'insecure';

/** The one thing offered: load again, ask the bot for a new link, or nothing. */
export type ProblemAction = 'retry' | 'new-link' | 'none';

/** The situation behind an error code. */
export function problemOf(code: ErrorCode): Problem {
  switch (code) {
    case 'ROOM_NOT_FOUND':
    case 'NOT_FOUND':
    case 'BAD_REQUEST':
      return 'not-found';
    case 'ROOM_EXPIRED':
      return 'expired';
    case 'ROOM_NOT_OPEN':
      return 'early';
    case 'ROOM_CANCELLED':
      return 'cancelled';
    case 'SEAT_KEY_INVALID':
    case 'HEADERS_TOO_LARGE':
      return 'invalid-link';
    case 'SEAT_TAKEN':
      return 'open-elsewhere';
    case 'SEAT_REPLACED':
      return 'moved';
    case 'REQUEST_TIMEOUT':
      return 'slow';
    case 'NOT_READY':
    case 'OUTBOX_STUCK':
    case 'SERVER_RESTARTING':
      return 'unavailable';
    default:
      return 'broken';
  }
}

const ACTIONS: Record<Problem, ProblemAction> = {
  'not-found': 'new-link',
  // The room opens at its time: loading again then is all it takes.
  early: 'retry',
  expired: 'new-link',
  // Whoever cancelled it decides about a new one.
  cancelled: 'none',
  'invalid-link': 'new-link',
  'open-elsewhere': 'retry',
  // Two tabs never share a seat: the call goes on in the newer one, and this one has nothing to offer.
  moved: 'none',
  slow: 'retry',
  unavailable: 'retry',
  broken: 'retry',
  insecure: 'none',
};

/** Every situation. */
export const PROBLEMS = Object.keys(ACTIONS) as readonly Problem[];

/** What a situation offers. */
export function actionFor(problem: Problem): ProblemAction {
  return ACTIONS[problem];
}

type Words = Readonly<{ title: string; text: string }>;

const PROBLEM_TEXTS: Record<Language, Record<Problem, Words>> = {
  es: {
    'not-found': {
      title: 'Esta videollamada no existe',
      text: 'Revisa que abriste el enlace completo que te llegó por WhatsApp, o pide uno nuevo.',
    },
    early: {
      title: 'Todavía es temprano',
      text: 'La sala de esta videollamada abre 15 minutos antes de la hora. Vuelve un poco antes de que empiece.',
    },
    expired: {
      title: 'Esta videollamada caducó',
      text: 'Los enlaces duran un tiempo limitado. Pide uno nuevo al bot: escribe «videollamada» y el número.',
    },
    cancelled: {
      title: 'Esta videollamada se canceló',
      text: 'Quien la organizó la canceló. Si necesitas otra, pídesela.',
    },
    'invalid-link': {
      title: 'Este enlace no es válido',
      text: 'Ábrelo tal como te llegó por WhatsApp, sin cambiarlo, o pide uno nuevo.',
    },
    'open-elsewhere': {
      title: 'Este enlace ya está abierto',
      text: 'Está abierto en otro teléfono o pestaña. Ciérralo allí y vuelve a intentarlo aquí.',
    },
    moved: {
      title: 'La llamada siguió en otra pestaña',
      text: 'Abriste este enlace en otra pestaña o dispositivo, y la llamada sigue allí. Puedes cerrar esta.',
    },
    slow: { title: 'La conexión es muy lenta', text: 'Revisa tu conexión a internet y vuelve a intentarlo.' },
    unavailable: {
      title: 'El servicio no está disponible ahora',
      text: 'Vuelve a intentarlo en un momento.',
    },
    broken: {
      title: 'Algo salió mal',
      text: 'Vuelve a intentarlo en un momento. Si se repite, pide un enlace nuevo.',
    },
    insecure: {
      title: 'Falta una conexión segura',
      text: 'Esta página necesita https para usar la cámara. Abre el enlace tal como te llegó.',
    },
  },
  en: {
    'not-found': {
      title: 'This call does not exist',
      text: 'Check that you opened the whole link you got on WhatsApp, or ask for a new one.',
    },
    early: {
      title: 'It is still early',
      text: 'This call’s room opens 15 minutes before its time. Come back shortly before it starts.',
    },
    expired: {
      title: 'This call has expired',
      text: 'Links last a limited time. Ask the bot for a new one: write “videocall” and the number.',
    },
    cancelled: {
      title: 'This call was cancelled',
      text: 'Whoever set it up cancelled it. If you need another one, ask them.',
    },
    'invalid-link': {
      title: 'This link is not valid',
      text: 'Open it exactly as you got it on WhatsApp, unchanged, or ask for a new one.',
    },
    'open-elsewhere': {
      title: 'This link is already open',
      text: 'It is open on another phone or tab. Close it there and try again here.',
    },
    moved: {
      title: 'The call went on in another tab',
      text: 'You opened this link in another tab or device, and the call goes on there. You can close this one.',
    },
    slow: { title: 'The connection is very slow', text: 'Check your internet connection and try again.' },
    unavailable: { title: 'The service is not available right now', text: 'Try again in a moment.' },
    broken: {
      title: 'Something went wrong',
      text: 'Try again in a moment. If it happens again, ask for a new link.',
    },
    insecure: {
      title: 'A secure connection is missing',
      text: 'This page needs https to use the camera. Open the link exactly as you got it.',
    },
  },
  pt: {
    'not-found': {
      title: 'Esta videochamada não existe',
      text: 'Confira se você abriu o link completo que recebeu pelo WhatsApp, ou peça um novo.',
    },
    early: {
      title: 'Ainda é cedo',
      text: 'A sala desta videochamada abre 15 minutos antes do horário. Volte um pouco antes de começar.',
    },
    expired: {
      title: 'Esta videochamada expirou',
      text: 'Os links duram um tempo limitado. Peça um novo ao bot: escreva «videochamada» e o número.',
    },
    cancelled: {
      title: 'Esta videochamada foi cancelada',
      text: 'Quem a organizou cancelou. Se precisar de outra, peça a essa pessoa.',
    },
    'invalid-link': {
      title: 'Este link não é válido',
      text: 'Abra-o exatamente como chegou pelo WhatsApp, sem alterar, ou peça um novo.',
    },
    'open-elsewhere': {
      title: 'Este link já está aberto',
      text: 'Ele está aberto em outro celular ou aba. Feche lá e tente de novo aqui.',
    },
    moved: {
      title: 'A chamada continuou em outra aba',
      text: 'Você abriu este link em outra aba ou aparelho, e a chamada continua lá. Pode fechar esta.',
    },
    slow: {
      title: 'A conexão está muito lenta',
      text: 'Confira sua conexão com a internet e tente de novo.',
    },
    unavailable: { title: 'O serviço não está disponível agora', text: 'Tente de novo em um momento.' },
    broken: {
      title: 'Algo deu errado',
      text: 'Tente de novo em um momento. Se acontecer de novo, peça um link novo.',
    },
    insecure: {
      title: 'Falta uma conexão segura',
      text: 'Esta página precisa de https para usar a câmera. Abra o link exatamente como chegou.',
    },
  },
};

const ACTION_LABELS: Record<Language, Record<Exclude<ProblemAction, 'none'>, string>> = {
  es: { retry: 'Volver a intentar', 'new-link': 'Pedir un enlace nuevo' },
  en: { retry: 'Try again', 'new-link': 'Ask for a new link' },
  pt: { retry: 'Tentar de novo', 'new-link': 'Pedir um link novo' },
};

/** The title and sentence for a situation. */
export function problemWords(problem: Problem, language: Language): Words {
  return PROBLEM_TEXTS[language][problem];
}

/** The button's label for an action. */
export function actionLabel(action: Exclude<ProblemAction, 'none'>, language: Language): string {
  return ACTION_LABELS[language][action];
}

/**
 * Where "ask for a new link" goes: the bot's chat with «videollamada» written when its number is known, the
 * sandbox in sandbox mode; nothing otherwise (the sentence says what to write).
 */
export const NEW_LINK_META = 'wwb-new-link';
