import { voiceCallLink, voicePayload } from '../../calling/voice-payload.js';
import type { Room } from '../../rooms/room.js';
import type { TemplateVoiceButton } from './message-content.js';
import type { textsFor } from './texts.js';

/** Meta's bounds for a call button's lifetime, in minutes. */
const BUTTON_TTL_MINUTES = { min: 1, max: 43_200 };

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

/**
 * What the invitation template's voice-call button carries (the invitee's seat payload, alive as long as the
 * room), or nothing when calls are not bridged on the line.
 */
export function templateVoiceButton(
  voiceCallNumber: string | undefined,
  room: Room,
  nowMs: number,
): TemplateVoiceButton | undefined {
  if (voiceCallNumber === undefined) return undefined;
  const minutesLeft = Math.ceil((room.expiresAtMs - nowMs) / 60_000);
  return {
    payload: voicePayload(room.id, 1, room.seats[1].keyHash),
    ttlMinutes: Math.min(BUTTON_TTL_MINUTES.max, Math.max(BUTTON_TTL_MINUTES.min, minutesLeft)),
  };
}
