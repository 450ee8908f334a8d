import type { CountryCode } from 'libphonenumber-js';
import { createRoom, roomLink } from '../rooms/room.js';
import { parseCommand } from './commands.js';
import type { MessageEffects } from './message-ledger.js';
import type { MessageContent, OutgoingMessage } from './outbox.js';
import { languageForWaId, personLabel, textsFor } from './texts.js';
import type { ReceivedMessage } from './webhook-payload.js';

/** What planning a reply needs to know about the deployment. */
export interface InvitationSettings {
  readonly publicBaseUrl: string;
  readonly roomTtlSeconds: number;
  readonly defaultCountry: CountryCode | undefined;
}

/** A plain text message; WhatsApp shows a preview of the first link in it. */
function textMessage(body: string): MessageContent {
  return { type: 'text', text: { body, preview_url: true } };
}

/**
 * Decides everything the bot does about one incoming message: the room it creates, if any, and the messages
 * it sends. Nothing is written or sent here; MessageLedger.commit makes it happen exactly once.
 */
export function planReply(
  received: ReceivedMessage,
  settings: InvitationSettings,
  nowMs: number,
): MessageEffects {
  const { message, senderName } = received;
  // People who use a WhatsApp username have no number; the Cloud API reaches them by their user id.
  const replyTo = message.from ?? message.from_user_id;
  const none: MessageEffects = { rooms: [], messages: [] };
  if (replyTo === undefined) return none;

  const { command, language } = parseCommand(message, settings);
  const texts = textsFor(language ?? languageForWaId(message.from));
  const reply = (body: string): MessageEffects => ({
    rooms: [],
    messages: [{ id: `${message.id}:reply`, to: replyTo, content: textMessage(body) }],
  });

  switch (command.kind) {
    case 'ignore':
      return none;
    case 'help':
      return reply(texts.help());
    case 'missing-number':
      return reply(texts.missingNumber());
    case 'invalid-number':
      return reply(texts.invalidNumber(command.input));
    case 'self-invite':
      return reply(texts.selfInvite());
    case 'contact-without-number':
      return reply(texts.contactWithoutNumber());
    case 'invite': {
      const { room, seatKeys } = createRoom({
        nowMs,
        ttlSeconds: settings.roomTtlSeconds,
        owners: [
          { waId: message.from, name: senderName },
          { waId: command.invitee, name: command.inviteeName },
        ],
      });
      const link = (seat: 0 | 1) => roomLink(settings.publicBaseUrl, room.id, seatKeys[seat]);
      const inviteeTexts = textsFor(languageForWaId(command.invitee));
      const messages: OutgoingMessage[] = [
        {
          id: `${message.id}:inviter`,
          to: replyTo,
          roomId: room.id,
          content: textMessage(texts.inviterLink(personLabel(command.inviteeName, command.invitee), link(0))),
        },
        {
          id: `${message.id}:invitee`,
          to: command.invitee,
          roomId: room.id,
          content: textMessage(inviteeTexts.inviteeLink(personLabel(senderName, message.from), link(1))),
        },
      ];
      return { rooms: [room], messages };
    }
  }
}
