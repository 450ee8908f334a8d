import type { RoomStore } from '../rooms/room-store.js';
import { undeliveredReason } from '../whatsapp/invitations/undelivered-invitations.js';
import type { DeliveryStatus, OutboxEntry } from '../whatsapp/outbox/outbox.js';
import type { CallEvents } from './call-events.js';
import type { CallHistoryStore } from '../history/call-history.js';

/** Meta's reasons in words, for the systems that hear of a failed invitation. */
const REASONS = {
  window: 'the person has not written to this number in the last 24 hours',
  'not-on-whatsapp': 'the number cannot receive WhatsApp messages',
  'not-allowed': 'a test number may write only to allowed numbers',
  other: 'WhatsApp did not deliver it',
} as const;

/** Where an invitation's states go: the systems' events and the call history. */
export interface InvitationFollowers {
  readonly events: CallEvents;
  readonly history: Pick<CallHistoryStore, 'record'>;
  readonly rooms: RoomStore;
}

/**
 * A new state of a message that carries someone's link: in the call's history, and as
 * `invitation.sent|delivered|read|failed` for the invited person's message, once per state; nothing for other
 * messages. True when an event was queued.
 */
export async function invitationEvent(
  { events, history, rooms }: InvitationFollowers,
  entry: OutboxEntry,
  state: DeliveryStatus,
  errorCode: number | undefined,
  nowMs: number,
): Promise<boolean> {
  if ((entry.kind !== 'invitation' && entry.kind !== 'inviter-link') || entry.roomId === undefined)
    return false;
  const room = await rooms.get(entry.roomId);
  if (room === undefined) return false;
  const participant = room.seats[1].waId === entry.to ? 'guest' : 'host';
  await history.record({
    id: `${entry.id}:${state}`,
    roomId: room.id,
    atMs: nowMs,
    change: { kind: 'invitation', participant, state, errorCode },
  });
  if (!events.enabled || entry.kind !== 'invitation') return false;
  const failure = state === 'failed' ? { errorCode, reason: REASONS[undeliveredReason(errorCode)] } : {};
  return events.emit(`${entry.id}:${state}`, `invitation.${state}`, room, { participant, ...failure }, nowMs);
}
