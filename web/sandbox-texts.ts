import type { Language } from '../src/protocol/language.js';

/** The sandbox page's words, in every language the service speaks. */
export const SANDBOX_TEXTS = {
  es: {
    title: 'Sandbox de WhatsApp',
    intro: 'Nada sale a WhatsApp: escribe al bot como cualquier número y mira sus respuestas a cada persona.',
    number: 'Tu número',
    name: 'Tu nombre',
    send: 'Enviar',
    placeholder: 'videollamada +57 300 444 5566',
    failed: 'No se pudo enviar',
    badInput: 'Revisa tu número (con el código de país) y que el mensaje no pase de 4.096 caracteres.',
    why:
      'Si la persona invitada no le ha escrito al bot en las últimas 24 horas, WhatsApp no deja que el bot le ' +
      'escriba: quien invita recibe un enlace para enviarle la invitación desde su propio chat.',
    forwardLink: 'Enviar la invitación 📨',
    forwardTo: 'Para',
    forwardGone: 'Esta invitación ya no se puede enviar: la videollamada caducó.',
    forwardSend: 'Enviar',
    from: 'De',
    line: 'Número del bot',
  },
  en: {
    title: 'WhatsApp sandbox',
    intro: 'Nothing goes to WhatsApp: write to the bot as any number and see its replies to each person.',
    number: 'Your number',
    name: 'Your name',
    send: 'Send',
    placeholder: 'videocall +57 300 444 5566',
    failed: 'Could not send',
    badInput: 'Check your number (with its country code), and that the message is at most 4,096 characters.',
    why:
      'If the invitee has not written to the bot in the last 24 hours, WhatsApp does not let the bot write to ' +
      'them: the inviter gets a link to send the invitation from their own chat.',
    forwardLink: 'Send the invitation 📨',
    forwardTo: 'To',
    forwardGone: 'This invitation can no longer be sent: the call has expired.',
    forwardSend: 'Send',
    from: 'From',
    line: 'Bot’s number',
  },
  pt: {
    title: 'Sandbox do WhatsApp',
    intro:
      'Nada vai para o WhatsApp: escreva ao bot como qualquer número e veja as respostas para cada pessoa.',
    number: 'Seu número',
    name: 'Seu nome',
    send: 'Enviar',
    placeholder: 'videochamada +55 11 91234 5678',
    failed: 'Não foi possível enviar',
    badInput: 'Confira seu número (com o código do país) e que a mensagem não passe de 4.096 caracteres.',
    why:
      'Se a pessoa convidada não escreveu ao bot nas últimas 24 horas, o WhatsApp não deixa o bot escrever para ' +
      'ela: quem convida recebe um link para enviar o convite pela sua própria conversa.',
    forwardLink: 'Enviar o convite 📨',
    forwardTo: 'Para',
    forwardGone: 'Este convite não pode mais ser enviado: a videochamada expirou.',
    forwardSend: 'Enviar',
    from: 'De',
    line: 'Número do bot',
  },
} as const satisfies Record<Language, Record<string, string>>;
