import type { Language } from '../protocol/language.js';
import { MAX_DAYS_AHEAD } from './when.js';

// What the bot says about booked calls, in each language. `when` is a time in words (whenInWords).

const ES = {
  needsTime: () =>
    '¿A qué hora? Escribe la fecha con la hora, por ejemplo: *videollamada +57 300 123 4567 mañana 10:00*.',
  ambiguousHour: (hour: number) =>
    `¿A las ${hour} de la mañana o de la tarde? Escríbelo así: *${hour} pm* o *${hour + 12}:00*.`,
  ambiguousTime: () =>
    'Veo más de una fecha u hora en tu mensaje. Escribe solo una, por ejemplo: *mañana 10:00*.',
  past: (when: string) => `Esa hora ya pasó (${when}). ¿Para cuándo es? Por ejemplo: *mañana 10:00*.`,
  tooFar: () =>
    `Puedo agendar videollamadas hasta ${MAX_DAYS_AHEAD} días adelante. Escribe una fecha más cercana.`,
  bookedReady: (invitee: string, when: string) =>
    `Listo ✅ Tu videollamada con ${invitee} quedó para el ${when}.`,
  opensEarly: () => 'El enlace abre 15 minutos antes; les recordaré a los dos un poco antes de la hora.',
  calendar: (url: string) => `Agrégala a tu calendario:\n${url}`,
  bookedInvitationBody: (inviter: string, when: string) =>
    `${inviter} te invita a una videollamada el ${when} 📹 A esa hora toca «Unirse» y permite la cámara y el ` +
    'micrófono. Si no puedes, responde *no puedo*.',
  bookedInvitation: (inviter: string, when: string, url: string) =>
    `${inviter} te invita a una videollamada el ${when} 📹 A esa hora entra aquí:\n${url}`,
  reminder: (other: string, time: string, url: string) =>
    `⏰ Tu videollamada con ${other} es hoy a las ${time}. Entra aquí:\n${url}`,
  nothingBooked: () =>
    'No tienes videollamadas agendadas. Para agendar una: *videollamada +57 300 123 4567 mañana 10:00*.',
  whichCall: (calls: string[]) =>
    `Tienes varias videollamadas agendadas:\n${calls.map((c) => `• ${c}`).join('\n')}\n` +
    'Escribe también el número de la persona, por ejemplo: *cancelar +57 300 123 4567*.',
  bookedWith: (other: string, when: string) => `con ${other}, el ${when}`,
  cancelledByYou: (invitee: string, when: string) =>
    `Listo, cancelé tu videollamada con ${invitee} del ${when}. Le avisé.`,
  cancelledForInvitee: (inviter: string, when: string) =>
    `${inviter} canceló la videollamada del ${when}. El enlace que te envié ya no funciona.`,
  rescheduledByYou: (invitee: string, when: string) =>
    `Listo ✅ Tu videollamada con ${invitee} ahora es el ${when}. Le avisé; tus enlaces siguen sirviendo.`,
  rescheduledForInvitee: (inviter: string, when: string) =>
    `${inviter} cambió la videollamada para el ${when}. El enlace que te envié sigue sirviendo.`,
  rescheduleNeedsTime: () => 'Escribe la nueva fecha y hora, por ejemplo: *cambiar mañana 16:00*.',
  movedNotice: (other: string, when: string) =>
    `Tu videollamada con ${other} cambió: ahora es el ${when}. El enlace que te envié sigue sirviendo.`,
  notOpenYet: () => 'Esta videollamada todavía no empieza.',
  summaryHeld: (other: string, when: string, lasted: string) =>
    `📋 Tu videollamada con ${other} del ${when} duró ${lasted}.`,
  summaryNoShow: (other: string, when: string) =>
    `📋 ${other} no entró a la videollamada del ${when}. Para invitarle otra vez: *videollamada* y su número.`,
  calendarTitle: () => 'Videollamada (WhatsApp)',
  calendarDescription: () =>
    'Abre el enlace que te llegó por WhatsApp a esta hora. La sala abre 15 minutos antes.',
  couldNotTell: (other: string) =>
    `WhatsApp no me deja escribirle a ${other} ahora (no le ha escrito a este número en 24 horas): avísale tú.`,
};

type BookingTexts = { readonly [K in keyof typeof ES]: (typeof ES)[K] };

const EN: BookingTexts = {
  needsTime: () =>
    'At what time? Write the date with the time, for example: *videocall +44 7911 123456 tomorrow 10am*.',
  ambiguousHour: (hour: number) =>
    `${hour} in the morning or in the afternoon? Write it like this: *${hour}pm* or *${hour + 12}:00*.`,
  ambiguousTime: () =>
    'I see more than one date or time in your message. Write just one, for example: *tomorrow 10am*.',
  past: (when: string) => `That time has passed (${when}). When should it be? For example: *tomorrow 10am*.`,
  tooFar: () => `I can book video calls up to ${MAX_DAYS_AHEAD} days ahead. Write a closer date.`,
  bookedReady: (invitee: string, when: string) =>
    `Done ✅ Your video call with ${invitee} is booked for ${when}.`,
  opensEarly: () => 'The link opens 15 minutes before; I will remind you both shortly before the time.',
  calendar: (url: string) => `Add it to your calendar:\n${url}`,
  bookedInvitationBody: (inviter: string, when: string) =>
    `${inviter} invites you to a video call on ${when} 📹 At that time tap “Join” and allow the camera and ` +
    'microphone. If you can’t make it, reply *can’t make it*.',
  bookedInvitation: (inviter: string, when: string, url: string) =>
    `${inviter} invites you to a video call on ${when} 📹 At that time join here:\n${url}`,
  reminder: (other: string, time: string, url: string) =>
    `⏰ Your video call with ${other} is today at ${time}. Join here:\n${url}`,
  nothingBooked: () =>
    'You have no booked video calls. To book one: *videocall +44 7911 123456 tomorrow 10am*.',
  whichCall: (calls: string[]) =>
    `You have several booked video calls:\n${calls.map((c) => `• ${c}`).join('\n')}\n` +
    'Write the person’s number too, for example: *cancel +44 7911 123456*.',
  bookedWith: (other: string, when: string) => `with ${other}, on ${when}`,
  cancelledByYou: (invitee: string, when: string) =>
    `Done, I cancelled your video call with ${invitee} on ${when}. I let them know.`,
  cancelledForInvitee: (inviter: string, when: string) =>
    `${inviter} cancelled the video call on ${when}. The link I sent you no longer works.`,
  rescheduledByYou: (invitee: string, when: string) =>
    `Done ✅ Your video call with ${invitee} is now on ${when}. I let them know; your links still work.`,
  rescheduledForInvitee: (inviter: string, when: string) =>
    `${inviter} moved the video call to ${when}. The link I sent you still works.`,
  rescheduleNeedsTime: () => 'Write the new date and time, for example: *reschedule tomorrow 4pm*.',
  movedNotice: (other: string, when: string) =>
    `Your video call with ${other} moved: it is now on ${when}. The link I sent you still works.`,
  notOpenYet: () => 'This video call has not started yet.',
  summaryHeld: (other: string, when: string, lasted: string) =>
    `📋 Your video call with ${other} on ${when} lasted ${lasted}.`,
  summaryNoShow: (other: string, when: string) =>
    `📋 ${other} did not join the video call on ${when}. To invite them again: *videocall* and their number.`,
  calendarTitle: () => 'Video call (WhatsApp)',
  calendarDescription: () =>
    'Open the link you got on WhatsApp at this time. The room opens 15 minutes before.',
  couldNotTell: (other: string) =>
    `WhatsApp won’t let me write to ${other} now (they haven’t written to this number in 24 hours): please tell them yourself.`,
};

const PT: BookingTexts = {
  needsTime: () =>
    'A que horas? Escreva a data com a hora, por exemplo: *videochamada +55 11 91234 5678 amanhã 10:00*.',
  ambiguousHour: (hour: number) =>
    `Às ${hour} da manhã ou da tarde? Escreva assim: *${hour} pm* ou *${hour + 12}:00*.`,
  ambiguousTime: () =>
    'Vejo mais de uma data ou hora na sua mensagem. Escreva só uma, por exemplo: *amanhã 10:00*.',
  past: (when: string) => `Esse horário já passou (${when}). Para quando é? Por exemplo: *amanhã 10:00*.`,
  tooFar: () =>
    `Posso agendar videochamadas até ${MAX_DAYS_AHEAD} dias à frente. Escreva uma data mais próxima.`,
  bookedReady: (invitee: string, when: string) =>
    `Pronto ✅ Sua videochamada com ${invitee} ficou para ${when}.`,
  opensEarly: () => 'O link abre 15 minutos antes; vou lembrar vocês dois um pouco antes do horário.',
  calendar: (url: string) => `Adicione à sua agenda:\n${url}`,
  bookedInvitationBody: (inviter: string, when: string) =>
    `${inviter} convida você para uma videochamada em ${when} 📹 Nesse horário toque em «Entrar» e permita a ` +
    'câmera e o microfone. Se não puder, responda *não posso*.',
  bookedInvitation: (inviter: string, when: string, url: string) =>
    `${inviter} convida você para uma videochamada em ${when} 📹 Nesse horário entre aqui:\n${url}`,
  reminder: (other: string, time: string, url: string) =>
    `⏰ Sua videochamada com ${other} é hoje às ${time}. Entre aqui:\n${url}`,
  nothingBooked: () =>
    'Você não tem videochamadas agendadas. Para agendar: *videochamada +55 11 91234 5678 amanhã 10:00*.',
  whichCall: (calls: string[]) =>
    `Você tem várias videochamadas agendadas:\n${calls.map((c) => `• ${c}`).join('\n')}\n` +
    'Escreva também o número da pessoa, por exemplo: *cancelar +55 11 91234 5678*.',
  bookedWith: (other: string, when: string) => `com ${other}, em ${when}`,
  cancelledByYou: (invitee: string, when: string) =>
    `Pronto, cancelei sua videochamada com ${invitee} de ${when}. Avisei a pessoa.`,
  cancelledForInvitee: (inviter: string, when: string) =>
    `${inviter} cancelou a videochamada de ${when}. O link que enviei não funciona mais.`,
  rescheduledByYou: (invitee: string, when: string) =>
    `Pronto ✅ Sua videochamada com ${invitee} agora é em ${when}. Avisei a pessoa; seus links continuam valendo.`,
  rescheduledForInvitee: (inviter: string, when: string) =>
    `${inviter} mudou a videochamada para ${when}. O link que enviei continua valendo.`,
  rescheduleNeedsTime: () => 'Escreva a nova data e hora, por exemplo: *remarcar amanhã 16:00*.',
  movedNotice: (other: string, when: string) =>
    `Sua videochamada com ${other} mudou: agora é em ${when}. O link que enviei continua valendo.`,
  notOpenYet: () => 'Esta videochamada ainda não começou.',
  summaryHeld: (other: string, when: string, lasted: string) =>
    `📋 Sua videochamada com ${other} de ${when} durou ${lasted}.`,
  summaryNoShow: (other: string, when: string) =>
    `📋 ${other} não entrou na videochamada de ${when}. Para convidar de novo: *videochamada* e o número.`,
  calendarTitle: () => 'Videochamada (WhatsApp)',
  calendarDescription: () =>
    'Abra o link que você recebeu pelo WhatsApp nesse horário. A sala abre 15 minutos antes.',
  couldNotTell: (other: string) =>
    `O WhatsApp não me deixa escrever para ${other} agora (não escreveu para este número em 24 horas): avise você.`,
};

const TEXTS: Readonly<Record<Language, BookingTexts>> = { es: ES, en: EN, pt: PT };

/** What the bot says about booked calls, in `language`. */
export function bookingTexts(language: Language): BookingTexts {
  return TEXTS[language];
}
