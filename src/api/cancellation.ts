import type { Line } from '../config-lines.js';
import type { Room } from '../rooms/room.js';
import { textContent } from '../whatsapp/invitations/message-content.js';
import { isWindowOpen, type PeopleStore } from '../whatsapp/invitations/people.js';
import { languageForWaId, personLabel, textsFor } from '../whatsapp/invitations/texts.js';
import type { Outbox, OutgoingMessage } from '../whatsapp/outbox/outbox.js';
import { invitationId } from './api-calls.js';

/**
 * The notices a cancelled call's people get: whoever was sent their link is told it no longer works, inside
 * their 24-hour window only (a notice is not worth a template). Nothing for those never messaged.
 */
export async function planCancellation(
  room: Room,
  storage: { readonly outbox: Outbox; readonly people: PeopleStore },
  lines: readonly Line[],
  nowMs: number,
): Promise<OutgoingMessage[]> {
  const line = lines.find((candidate) => candidate.id === room.line);
  const host = personLabel(room.seats[0].name, undefined);
  const notices: OutgoingMessage[] = [];
  for (const side of ['host', 'guest'] as const) {
    const invitation = await storage.outbox.get(invitationId(room.id, side));
    if (invitation === undefined || invitation.state === 'failed') continue;
    const person = await storage.people.get(invitation.to, room.line);
    if (!isWindowOpen(person?.lastInboundAtMs, nowMs)) continue;
    const texts = textsFor(person?.language ?? languageForWaId(invitation.to, line?.language));
    notices.push({
      id: `api:${room.id}:${side}:cancelled`,
      kind: 'reply',
      line: room.line,
      to: invitation.to,
      roomId: room.id,
      content: textContent(texts.callCancelled(host)),
    });
  }
  return notices;
}
