import type { MessageEffects } from '../../calls/message-ledger.js';
import type { OutgoingMessage } from '../outbox/outbox.js';
import type { InvitationSettings, InvitationState } from './call-invitations.js';
import { textContent } from './message-content.js';
import { isWindowOpen } from './people.js';
import { languageForWaId, personLabel, textsFor } from './texts.js';

/**
 * The invitee can't make it: the inviter is told once (the notice's id is derived from the room), if WhatsApp
 * still lets the bot write to them; the invitee gets a word back. Both on the line the invitee wrote to, which
 * invited them: only a call of that line is declined.
 */
export async function planDecline(
  request: {
    messageId: string;
    replyTo: string;
    senderName: string | undefined;
    roomId: string | undefined;
    texts: ReturnType<typeof textsFor>;
    inbound: NonNullable<MessageEffects['inbound']>;
    settings: Pick<InvitationSettings, 'line' | 'language' | 'events'>;
  },
  state: InvitationState,
  nowMs: number,
): Promise<MessageEffects> {
  const { messageId, replyTo, texts, inbound } = request;
  const { line } = request.settings;
  const found =
    request.roomId === undefined
      ? await state.rooms.latestInvitationFor(replyTo, nowMs, line)
      : await state.rooms.get(request.roomId);
  const room = found?.line === line ? found : undefined;
  const answer = (body: string): OutgoingMessage => ({
    id: `${messageId}:reply`,
    kind: 'reply',
    line,
    to: replyTo,
    content: textContent(body),
  });
  const [inviterSeat, inviteeSeat] = room?.seats ?? [];
  if (room === undefined || inviteeSeat?.waId !== replyTo || inviterSeat?.waId === undefined) {
    return { rooms: [], messages: [answer(texts.nothingToDecline())], inbound };
  }
  const inviter = await state.people.get(inviterSeat.waId, line);
  const inviterTexts = textsFor(
    inviter?.language ?? languageForWaId(inviterSeat.waId, request.settings.language),
  );
  const messages = [answer(texts.declineNoted(personLabel(inviterSeat.name, inviterSeat.waId)))];
  if (isWindowOpen(inviter?.lastInboundAtMs, nowMs)) {
    messages.push({
      id: `${room.id}:declined`,
      kind: 'reply',
      line,
      to: inviterSeat.waId,
      roomId: room.id,
      content: textContent(
        inviterTexts.declined(personLabel(inviteeSeat.name ?? request.senderName, replyTo)),
      ),
    });
  }
  const declined =
    request.settings.events?.messages(`${room.id}:declined`, 'call.declined', room, {}, nowMs) ?? [];
  // A booked call the invitee declined is not reminded, and its inviter was just told how it went. (Moving it
  // afterwards makes its reminders due again: the new time may suit.)
  if (room.startsAtMs !== undefined) {
    await state.rooms.markReminded(room.id, room.startsAtMs, nowMs);
    await state.rooms.markSummarized(room.id, nowMs);
  }
  return {
    rooms: [],
    messages: [...messages, ...declined],
    history: [{ id: `${room.id}:declined`, roomId: room.id, atMs: nowMs, change: { kind: 'declined' } }],
    inbound,
  };
}
