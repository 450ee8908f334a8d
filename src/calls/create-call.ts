import { createRoom, roomLink, type Room, type SeatOwner } from '../rooms/room.js';

// Creating a call between two people, whatever asked for it (a WhatsApp command today, an API tomorrow): the
// room, one private link per person, and the limits, which the ledger checks inside the commit that writes
// the room (two requests at the same moment cannot both pass).

/** How many calls one person may create per hour, and how soon they may call the same person again. */
export interface CallLimits {
  readonly perCreatorPerHour: number;
  readonly pairCooldownSeconds: number;
}

/** Why a limit refused a call. */
export type LimitReason = 'too-many' | 'pair-cooldown';

const HOUR_MS = 3_600_000;

/** The limits as the ledger checks them, against the calls already stored, at the moment of the commit. */
export interface CallGuard {
  /** Who creates the call, on which line: their calls there since `sinceMs` count against `maxCalls`. */
  readonly creator: string;
  /** The creator's other identity (their number, or their user id), whose calls count too: one person. */
  readonly aliases: readonly string[];
  readonly line: string;
  readonly sinceMs: number;
  readonly maxCalls: number;
  /** Whom they call: a call of the same pair after `pairSinceMs` refuses this one. */
  readonly invitee: string;
  readonly pairSinceMs: number;
}

/** What the ledger is asked to do for a new call: its effects, or, if a limit says no, what is written instead. */
export interface GuardedWrite<Effects> {
  readonly guard: CallGuard;
  readonly effects: Effects;
  readonly refusals: Readonly<Record<LimitReason, Effects>>;
}

/** A call, before it is stored: its room and each person's link (the seat keys exist only in the links). */
export interface NewCall {
  readonly room: Room;
  readonly links: readonly [host: string, guest: string];
  /** The guest's seat key alone, for a link built elsewhere (a template's URL button). */
  readonly guestSeatKey: string;
  /** Present when the host is a known person, whose calls the limits count. */
  readonly guard: CallGuard | undefined;
}

/** Creates a call between `host` (seat 0, the one who asked) and `guest` (seat 1). Nothing is stored here. */
export function createCall(request: {
  readonly host: SeatOwner & { readonly aliases?: readonly string[] | undefined };
  readonly guest: SeatOwner;
  /** The line it is asked on. */
  readonly line: string;
  readonly ttlSeconds: number;
  readonly publicBaseUrl: string;
  readonly limits: CallLimits;
  readonly nowMs: number;
  /** A booked call's time; none for a call now. */
  readonly startsAtMs?: number | undefined;
}): NewCall {
  const { nowMs, limits } = request;
  const { room, seatKeys } = createRoom({
    nowMs,
    ttlSeconds: request.ttlSeconds,
    owners: [{ waId: request.host.waId, name: request.host.name }, request.guest],
    line: request.line,
    startsAtMs: request.startsAtMs,
  });
  const creator = request.host.waId;
  return {
    room,
    links: [
      roomLink(request.publicBaseUrl, room.id, seatKeys[0]),
      roomLink(request.publicBaseUrl, room.id, seatKeys[1]),
    ],
    guestSeatKey: seatKeys[1],
    guard:
      creator === undefined
        ? undefined
        : {
            creator,
            aliases: (request.host.aliases ?? []).filter((alias) => alias !== creator),
            line: request.line,
            sinceMs: nowMs - HOUR_MS,
            maxCalls: limits.perCreatorPerHour,
            invitee: request.guest.waId ?? '',
            pairSinceMs: nowMs - limits.pairCooldownSeconds * 1000,
          },
  };
}

/** The limit `guard` hits, given how many calls its creator made and when they last called the invitee. */
export function limitHit(
  guard: CallGuard,
  state: { readonly callsSince: number; readonly lastPairAtMs: number | undefined },
): LimitReason | undefined {
  if (state.callsSince >= guard.maxCalls) return 'too-many';
  if (state.lastPairAtMs !== undefined && state.lastPairAtMs > guard.pairSinceMs) return 'pair-cooldown';
  return undefined;
}
