import { voiceCallLink, voicePayload } from '../../calling/voice-payload.js';
import type { Room } from '../../rooms/room.js';
import type { textsFor } from './texts.js';

/**
 * The invitation's line that offers joining by WhatsApp voice (a wa.me/call link with the invitee's seat
 * payload), or nothing when calls are not bridged on the line. It rides in the same message as the Join link.
 */
export function joinByVoiceLine(
  texts: ReturnType<typeof textsFor>,
  voiceCallNumber: string | undefined,
  room: Room,
): string {
  if (voiceCallNumber === undefined) return '';
  const link = voiceCallLink(voiceCallNumber, voicePayload(room.id, 1, room.seats[1].keyHash));
  return `\n\n${texts.joinByVoice(link)}`;
}
