import { createHmac, timingSafeEqual } from 'node:crypto';
import type { SeatIndex } from '../rooms/room.js';

// The payload of a "call by WhatsApp voice" button names a room's seat without carrying its seat key: an HMAC
// keyed with the seat key's stored hash. Only the service (which holds the hashes) can make or check one; the
// payload opens nothing on the web, and a leaked one only lets its holder call in for that seat while the room
// lives, which is what the button is for.

const PREFIX = 'wwbv1';

function mac(roomId: string, seat: SeatIndex, seatKeyHash: string): string {
  return createHmac('sha256', seatKeyHash).update(`voice:${roomId}:${seat}`).digest('base64url').slice(0, 22);
}

/** The payload for a seat's voice-call button or link. */
export function voicePayload(roomId: string, seat: SeatIndex, seatKeyHash: string): string {
  return `${PREFIX}.${roomId}.${seat}.${mac(roomId, seat, seatKeyHash)}`;
}

/** The room and seat a payload names, before its signature is checked (the room's hashes are needed for that). */
export function readVoicePayload(
  payload: string,
): { roomId: string; seat: SeatIndex; tag: string } | undefined {
  const match = /^wwbv1\.([A-Za-z0-9_-]{8,64})\.([01])\.([A-Za-z0-9_-]{22})$/.exec(payload);
  if (match === null) return undefined;
  return { roomId: match[1] as string, seat: Number(match[2]) as SeatIndex, tag: match[3] as string };
}

/** Whether the payload's signature is the one this seat's key hash makes. */
export function voicePayloadValid(
  read: { roomId: string; seat: SeatIndex; tag: string },
  seatKeyHash: string,
): boolean {
  const expected = Buffer.from(mac(read.roomId, read.seat, seatKeyHash));
  const given = Buffer.from(read.tag);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/** The wa.me link that calls the business number by WhatsApp voice, carrying the payload (biz_payload). */
export function voiceCallLink(businessNumber: string, payload: string): string {
  return `https://wa.me/call/${businessNumber}?biz_payload=${encodeURIComponent(payload)}`;
}
