import { maskPhoneNumber } from '../phone-number.js';
import type { Room } from '../rooms/room.js';
import type { CallSource, Participant, ReachedBy } from '../protocol/dashboard.js';

export type { Participant };

// The call history the operator's dashboard reads: one row per call, kept long after its room is purged, and
// a timeline of what happened to it. Rows hold masked numbers only; nothing in them opens a room.

/** What WhatsApp reported of a message (the outbox's delivery states). */
export type DeliveryState = 'sent' | 'delivered' | 'read' | 'failed';

/** What the history needs of a message a new call sends. */
export interface SentMessage {
  readonly kind: string;
  readonly to: string;
  readonly roomId?: string | undefined;
  readonly content: { readonly type: string };
}

/** What can happen to a call after it is created. */
export type HistoryChange =
  | {
      readonly kind: 'invitation';
      readonly participant: Participant;
      readonly state: DeliveryState;
      readonly errorCode?: number | undefined;
    }
  | {
      readonly kind: 'joined';
      readonly participant: Participant;
      readonly browser: string;
      readonly platform: string;
    }
  | {
      readonly kind: 'connected';
      readonly participant: Participant;
      readonly setupMs: number;
      readonly path: 'direct' | 'relay';
    }
  | { readonly kind: 'left'; readonly participant: Participant; readonly reason: 'hangup' | 'lost' }
  | { readonly kind: 'declined' }
  | { readonly kind: 'cancelled' }
  /** A booked call moved to another time: its links live until `expiresAtMs` now. */
  | { readonly kind: 'moved'; readonly startsAtMs: number; readonly expiresAtMs: number };

/** One change, once: a repeated id changes nothing. */
export interface HistoryEvent {
  readonly id: string;
  readonly roomId: string;
  readonly atMs: number;
  readonly change: HistoryChange;
}

/** A call's row as it is first written, with its room. */
export interface NewCallRecord {
  readonly roomId: string;
  readonly line: string;
  readonly createdAtMs: number;
  readonly expiresAtMs: number;
  readonly source: CallSource;
  readonly host: string | null;
  readonly guest: string | null;
  readonly hostName: string | null;
  readonly guestName: string | null;
  readonly reachedBy: ReachedBy;
}

/** The row of a new call: who (masked), and how the invited person is reached, from the messages it sends. */
export function newCallRecord(room: Room, messages: readonly SentMessage[]): NewCallRecord {
  const [host, guest] = room.seats;
  const toGuest = messages.find(
    (message) => message.roomId === room.id && message.kind === 'invitation' && message.to === guest.waId,
  );
  const reachedBy: ReachedBy =
    toGuest !== undefined
      ? toGuest.content.type === 'template'
        ? 'template'
        : 'button'
      : room.notSent?.guest !== undefined
        ? 'not-sent'
        : 'link';
  return {
    roomId: room.id,
    line: room.line,
    createdAtMs: room.createdAtMs,
    expiresAtMs: room.expiresAtMs,
    source: room.apiKeyId === undefined ? 'whatsapp' : 'api',
    host: host.waId === undefined ? null : maskPhoneNumber(host.waId),
    guest: guest.waId === undefined ? null : maskPhoneNumber(guest.waId),
    hostName: host.name ?? null,
    guestName: guest.name ?? null,
    reachedBy,
  };
}

/** Where the call history lives. */
export interface CallHistoryStore {
  /** Applies a change to its call once; false when the event was recorded before or the call is unknown. */
  record(event: HistoryEvent): Promise<boolean>;
  /** Removes calls created before `beforeMs`, with their timelines; returns how many calls. */
  deleteBefore(beforeMs: number): Promise<number>;
}
