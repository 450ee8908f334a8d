import type { RoomStore } from '../rooms/room-store.js';
import { undeliveredReason } from '../whatsapp/invitations/undelivered-invitations.js';
import type { DeliveryStatus, OutboxEntry } from '../whatsapp/outbox/outbox.js';
import type { CallEvents } from './call-events.js';

/** Meta's reasons in words, for the systems that hear of a failed invitation. */
const REASONS = {
  window: 'the person has not written to this number in the last 24 hours',
  'not-on-whatsapp': 'the number cannot receive WhatsApp messages',
  'not-allowed': 'a test number may write only to allowed numbers',
  other: 'WhatsApp did not deliver it',
} as const;

/**
 * `invitation.sent|delivered|read|failed` for an invitation message, once per state; nothing for other
 * messages. True when an event was queued.
 */
export async function invitationEvent(
  events: CallEvents,
  rooms: RoomStore,
  entry: OutboxEntry,
  state: DeliveryStatus,
  errorCode: number | undefined,
  nowMs: number,
): Promise<boolean> {
  if (!events.enabled || entry.kind !== 'invitation' || entry.roomId === undefined) return false;
  const room = await rooms.get(entry.roomId);
  if (room === undefined) return false;
  const participant = room.seats[1].waId === entry.to ? 'guest' : 'host';
  const failure = state === 'failed' ? { errorCode, reason: REASONS[undeliveredReason(errorCode)] } : {};
  return events.emit(`${entry.id}:${state}`, `invitation.${state}`, room, { participant, ...failure }, nowMs);
}
