import type { ErrorCode } from '../src/errors.js';
import { preferredLanguage, type PageLanguage } from '../src/protocol/language.js';

const TEXTS = {
  es: {
    title: 'Videollamada',
    intro: 'Videollamada privada entre dos personas. Toca «Unirme» y permite la cámara y el micrófono.',
    join: 'Unirme',
    hangUp: 'Colgar',
    mute: 'Silenciar',
    cameraOff: 'Apagar cámara',
    switchCamera: 'Cambiar cámara',
    chat: 'Chat',
    send: 'Enviar',
    mutedRemote: '🔇 La otra persona silenció su micrófono',
    cameraOffRemote: 'La otra persona apagó su cámara',
    inAppTitle: 'Abre el enlace en tu navegador',
    inAppText:
      'Esta app no deja usar la cámara ni el micrófono. Abre el enlace en Chrome o Safari: copia el enlace y pégalo allí.',
    openInChrome: 'Abrir en Chrome',
    copyLink: 'Copiar el enlace',
    copied: 'Enlace copiado. Pégalo en tu navegador.',
    rejoin: 'Volver a entrar',
    checking: 'Comprobando el enlace…',
    peerWaiting: 'La otra persona ya está en la sala.',
    peerNotHere: 'La otra persona aún no ha entrado.',
    waiting: 'Esperando a la otra persona…',
    connecting: 'Conectando…',
    connected: 'Conectado',
    reconnecting: 'Reconectando…',
    peerLost: 'La otra persona perdió la conexión. Esperando a que vuelva…',
    peerLeft: 'La otra persona salió de la llamada.',
    noRoute: 'No se pudo conectar la llamada: el servidor de retransmisión no respondió. Inténtalo de nuevo.',
    ended: 'Saliste de la llamada.',
    noMedia: 'No pudimos usar tu cámara ni tu micrófono. Entraste solo para ver y escuchar.',
    denied:
      'No diste permiso para la cámara y el micrófono, así que entraste solo para ver y escuchar. Para que te vean y ' +
      'te oigan: toca el candado 🔒 junto a la dirección, permite la cámara y el micrófono, y recarga la página.',
    deniedIos:
      'No diste permiso para la cámara y el micrófono, así que entraste solo para ver y escuchar. Para que te vean y ' +
      'te oigan: toca «aA» junto a la dirección → Configuración del sitio web → permite Cámara y Micrófono, y recarga.',
    reload: 'Recargar la página',
    tapToPlay: 'Toca para activar el sonido',
    localLabel: 'Tú',
    remoteLabel: 'La otra persona',
    errors: {
      BAD_REQUEST: 'El enlace está incompleto.',
      NOT_FOUND: 'Esta videollamada no existe.',
      PAYLOAD_TOO_LARGE: 'Algo salió mal. Recarga la página.',
      WEBHOOK_SIGNATURE_MISSING: 'Algo salió mal. Recarga la página.',
      WEBHOOK_SIGNATURE_INVALID: 'Algo salió mal. Recarga la página.',
      WEBHOOK_PAYLOAD_INVALID: 'Algo salió mal. Recarga la página.',
      WEBHOOK_VERIFICATION_FAILED: 'Algo salió mal. Recarga la página.',
      ROOM_NOT_FOUND: 'Esta videollamada no existe. Revisa que abriste el enlace completo.',
      ROOM_EXPIRED: 'Esta videollamada ha caducado. Pide un enlace nuevo al bot.',
      SEAT_KEY_INVALID:
        'Este enlace no es válido para esta videollamada. Ábrelo tal como te llegó por WhatsApp.',
      SEAT_TAKEN:
        'Este enlace ya está abierto en otro dispositivo o pestaña. Ciérralo allí e inténtalo de nuevo.',
      SEAT_REPLACED: 'Abriste este enlace en otra pestaña o dispositivo; la llamada sigue allí.',
      MESSAGE_INVALID: 'Algo salió mal. Recarga la página.',
      MESSAGE_TOO_LARGE: 'Algo salió mal. Recarga la página.',
      SERVER_RESTARTING: 'El servidor se está reiniciando. Reconectando…',
      METRICS_UNAUTHORIZED: 'Algo salió mal. Recarga la página.',
      NOT_READY: 'El servicio no está disponible ahora. Inténtalo en un momento.',
      OUTBOX_STUCK: 'El servicio no está disponible ahora. Inténtalo en un momento.',
      INTERNAL: 'Algo salió mal en el servidor. Inténtalo en un momento.',
    },
  },
  en: {
    title: 'Video call',
    intro: 'A private video call between two people. Tap “Join” and allow camera and microphone.',
    join: 'Join',
    hangUp: 'Hang up',
    mute: 'Mute',
    cameraOff: 'Camera off',
    switchCamera: 'Switch camera',
    chat: 'Chat',
    send: 'Send',
    mutedRemote: '🔇 The other person muted their microphone',
    cameraOffRemote: 'The other person turned their camera off',
    inAppTitle: 'Open the link in your browser',
    inAppText:
      'This app does not allow the camera or microphone. Open the link in Chrome or Safari: copy the link and paste it there.',
    openInChrome: 'Open in Chrome',
    copyLink: 'Copy the link',
    copied: 'Link copied. Paste it in your browser.',
    rejoin: 'Join again',
    checking: 'Checking the link…',
    peerWaiting: 'The other person is already in the room.',
    peerNotHere: 'The other person has not joined yet.',
    waiting: 'Waiting for the other person…',
    connecting: 'Connecting…',
    connected: 'Connected',
    reconnecting: 'Reconnecting…',
    peerLost: 'The other person lost their connection. Waiting for them to come back…',
    peerLeft: 'The other person left the call.',
    noRoute: 'The call could not connect: the relay server did not answer. Please try again.',
    ended: 'You left the call.',
    noMedia: 'We could not use your camera or microphone. You joined to watch and listen only.',
    denied:
      'You did not allow the camera and microphone, so you joined to watch and listen only. To be seen and heard: ' +
      'tap the lock 🔒 next to the address, allow camera and microphone, and reload the page.',
    deniedIos:
      'You did not allow the camera and microphone, so you joined to watch and listen only. To be seen and heard: ' +
      'tap “aA” next to the address → Website Settings → allow Camera and Microphone, and reload.',
    reload: 'Reload the page',
    tapToPlay: 'Tap to turn the sound on',
    localLabel: 'You',
    remoteLabel: 'The other person',
    errors: {
      BAD_REQUEST: 'The link is incomplete.',
      NOT_FOUND: 'This call does not exist.',
      PAYLOAD_TOO_LARGE: 'Something went wrong. Reload the page.',
      WEBHOOK_SIGNATURE_MISSING: 'Something went wrong. Reload the page.',
      WEBHOOK_SIGNATURE_INVALID: 'Something went wrong. Reload the page.',
      WEBHOOK_PAYLOAD_INVALID: 'Something went wrong. Reload the page.',
      WEBHOOK_VERIFICATION_FAILED: 'Something went wrong. Reload the page.',
      ROOM_NOT_FOUND: 'This call does not exist. Check that you opened the whole link.',
      ROOM_EXPIRED: 'This call has expired. Ask the bot for a new link.',
      SEAT_KEY_INVALID: 'This link is not valid for this call. Open it exactly as you got it on WhatsApp.',
      SEAT_TAKEN: 'This link is already open on another device or tab. Close it there and try again.',
      SEAT_REPLACED: 'You opened this link in another tab or device; the call continues there.',
      MESSAGE_INVALID: 'Something went wrong. Reload the page.',
      MESSAGE_TOO_LARGE: 'Something went wrong. Reload the page.',
      SERVER_RESTARTING: 'The server is restarting. Reconnecting…',
      METRICS_UNAUTHORIZED: 'Something went wrong. Reload the page.',
      NOT_READY: 'The service is not available right now. Try again in a moment.',
      OUTBOX_STUCK: 'The service is not available right now. Try again in a moment.',
      INTERNAL: 'Something went wrong on the server. Try again in a moment.',
    },
  },
} as const satisfies Record<PageLanguage, { errors: Record<ErrorCode, string> } & Record<string, unknown>>;

export type PageTexts = (typeof TEXTS)[PageLanguage];
export type TextKey = Exclude<keyof PageTexts, 'errors'>;

/** The page's texts in the language the browser prefers (Spanish unless English comes first). */
export function pageTexts(languages: readonly string[]): { language: PageLanguage; texts: PageTexts } {
  const language = preferredLanguage(languages);
  return { language, texts: TEXTS[language] };
}
