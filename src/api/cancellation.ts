import type { Line } from '../config-lines.js';
import type { Room } from '../rooms/room.js';
import { bookingTexts } from '../scheduling/booking-texts.js';
import { bookedTimeFor } from '../whatsapp/invitations/booking.js';
import { textContent } from '../whatsapp/invitations/message-content.js';
import { isWindowOpen, type PeopleStore } from '../whatsapp/invitations/people.js';
import { languageForWaId, personLabel, textsFor } from '../whatsapp/invitations/texts.js';
import type { Outbox, OutgoingMessage } from '../whatsapp/outbox/outbox.js';
import { invitationId } from './api-calls.js';

/**
 * The notices a call's people get when it is cancelled, or moved to another time through the API: whoever was
 * sent their link is told (it no longer works; the new time, in their zone), inside their 24-hour window only (a
 * notice is not worth a template). Nothing for those never messaged.
 */
export async function planNotices(
  change: 'cancelled' | 'moved',
  room: Room,
  storage: { readonly outbox: Outbox; readonly people: PeopleStore },
  lines: readonly Line[],
  nowMs: number,
): Promise<OutgoingMessage[]> {
  const line = lines.find((candidate) => candidate.id === room.line);
  const labels = {
    host: personLabel(room.seats[0].name, undefined),
    guest: personLabel(room.seats[1].name, undefined),
  };
  const notices: OutgoingMessage[] = [];
  for (const side of ['host', 'guest'] as const) {
    const invitation = await storage.outbox.get(invitationId(room.id, side));
    if (invitation === undefined || invitation.state === 'failed') continue;
    const person = await storage.people.get(invitation.to, room.line);
    if (!isWindowOpen(person?.lastInboundAtMs, nowMs)) continue;
    const language = person?.language ?? languageForWaId(invitation.to, line?.language);
    const other = labels[side === 'host' ? 'guest' : 'host'];
    const time = bookedTimeFor(room, { waId: invitation.to, language }, line?.timeZone) ?? '';
    notices.push({
      id: `api:${room.id}:${side}:${change}${change === 'moved' ? `:${room.startsAtMs}` : ''}`,
      kind: 'reply',
      line: room.line,
      to: invitation.to,
      roomId: room.id,
      content: textContent(
        change === 'cancelled'
          ? textsFor(language).callCancelled(labels.host)
          : bookingTexts(language).movedNotice(other, time),
      ),
    });
  }
  return notices;
}
