import { isUserId } from '../phone-number.js';
import { isExpired, opensAtMs, type Room, type SeatIndex } from '../rooms/room.js';
import { undeliveredReason } from '../whatsapp/invitations/undelivered-invitations.js';
import type { OutboxEntry } from '../whatsapp/outbox/outbox.js';
import type { CallView } from './api-schemas.js';

// A call as the API shows it, from its room and the messages that invited its people. The status comes from
// what the server records: seats taken (first join of each), cancellation, expiry, invitations sent.

type Invitation = CallView['guest']['invitation'];

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * What an invitation's outbox entry says of it: queued, sent, delivered, read, or failed and why; without an
 * entry, why it was not sent (`notSent`), or that nobody asked for it.
 */
export function invitationOf(entry: OutboxEntry | undefined, notSent: string | undefined): Invitation {
  if (entry === undefined)
    return notSent === undefined ? { state: 'not_requested' } : { state: 'not_sent', reason: notSent };
  const route = { via: entry.content.type === 'template' ? ('template' as const) : ('window' as const) };
  if (entry.state === 'failed' || entry.delivery === 'failed') {
    const code = entry.deliveryError ?? Number(/^(\d+):/.exec(entry.lastError ?? '')?.[1] ?? Number.NaN);
    const known = Number.isFinite(code) ? code : undefined;
    return {
      state: 'failed',
      ...route,
      reason: known === undefined ? 'not delivered' : `${known}: ${undeliveredReason(known)}`,
    };
  }
  if (entry.state !== 'sent') return { state: 'queued', ...route };
  return { state: entry.delivery ?? 'sent', ...route };
}

/** The status a call is in. */
function statusOf(room: Room, nowMs: number, invited: boolean): CallView['status'] {
  if (room.cancelledAtMs !== undefined) return 'cancelled';
  if (isExpired(room, nowMs)) return 'expired';
  const joined = (room.joinedAtMs ?? []).filter((at) => at !== undefined).length;
  if (joined === 2) return 'connected';
  if (joined === 1) return 'joined';
  return invited ? 'invited' : 'created';
}

/** A room as an API call, each side's invitation given by `invitation`. */
export function callView(
  room: Room,
  options: { nowMs: number; invitation: (side: 'host' | 'guest') => Invitation },
): CallView {
  const participant = (seat: SeatIndex, side: 'host' | 'guest') => {
    const { name, waId } = room.seats[seat];
    const joinedAt = room.joinedAtMs?.[seat];
    return {
      ...(name !== undefined && { name }),
      ...(waId !== undefined && (isUserId(waId) ? { userId: waId } : { phone: `+${waId}` })),
      ...(joinedAt !== undefined && { joinedAt: iso(joinedAt) }),
      invitation: options.invitation(side),
    };
  };
  const host = participant(0, 'host');
  const guest = participant(1, 'guest');
  const invited = [host, guest].some((p) => !['not_requested', 'not_sent'].includes(p.invitation.state));
  return {
    id: room.id,
    status: statusOf(room, options.nowMs, invited),
    line: room.line,
    createdAt: iso(room.createdAtMs),
    expiresAt: iso(room.expiresAtMs),
    ...(room.startsAtMs !== undefined && { startsAt: iso(room.startsAtMs), opensAt: iso(opensAtMs(room)) }),
    ...(room.cancelledAtMs !== undefined && { cancelledAt: iso(room.cancelledAtMs) }),
    host,
    guest,
    ...(room.metadata !== undefined && { metadata: { ...room.metadata } }),
  };
}
