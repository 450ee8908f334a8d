import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { MAIN_LINE_ID } from '../config-lines.js';

/** 128 bits from the CSPRNG, base64url: 22 characters. */
const ID_BYTES = 16;

/** Room ids and seat keys as they appear in URLs. */
export const roomIdSchema = z.string().regex(/^[A-Za-z0-9_-]{22}$/);
export const seatKeySchema = z.string().regex(/^[A-Za-z0-9_-]{22}$/);

/** Each room has exactly two seats: 0 for the person who asked for the call, 1 for the invited one. */
export type SeatIndex = 0 | 1;

/** Who sits in a seat, and the hash of the key that opens it (the key itself only travels in the link). */
export const seatSchema = z.object({
  keyHash: z.string(),
  waId: z.string().optional(),
  name: z.string().optional(),
});
export type Seat = z.infer<typeof seatSchema>;

/** A private 1:1 call. */
export interface Room {
  readonly id: string;
  readonly createdAtMs: number;
  readonly expiresAtMs: number;
  readonly seats: readonly [Seat, Seat];
  /** The line (business number) the call was asked on: its messages leave from there. */
  readonly line: string;
  /** The API key that created it; none for calls asked for on WhatsApp. */
  readonly apiKeyId?: string | undefined;
  /** What the API caller gave: free metadata, echoed back. */
  readonly metadata?: Readonly<Record<string, unknown>> | undefined;
  /** For an API call: whose invitation was asked for but could not be sent, and why. */
  readonly notSent?: Readonly<Partial<Record<'host' | 'guest', string>>> | undefined;
  /** When it was cancelled: its links open nothing since. */
  readonly cancelledAtMs?: number | undefined;
  /** When each seat was first taken. */
  readonly joinedAtMs?: readonly [number | undefined, number | undefined] | undefined;
  /** When someone first hung up. */
  readonly endedAtMs?: number | undefined;
  /** For a booked call: when it starts (the room opens OPENS_BEFORE_MS earlier). */
  readonly startsAtMs?: number | undefined;
  /**
   * For a new booked call: its two links, stored for the reminders that carry them. Written with the room, never
   * read back into it (RoomStore.remindersDue hands them out).
   */
  readonly links?: readonly [string, string] | undefined;
}

/** A booked call's room opens this long before its time: people come a little early. */
export const OPENS_BEFORE_MS = 15 * 60_000;

/** When a room can first be joined: at once, or a little before a booked call's time. */
export function opensAtMs(room: Pick<Room, 'createdAtMs' | 'startsAtMs'>): number {
  return room.startsAtMs === undefined ? room.createdAtMs : room.startsAtMs - OPENS_BEFORE_MS;
}

/** The person behind a seat, as far as the bot knows them. */
export interface SeatOwner {
  readonly waId?: string | undefined;
  readonly name?: string | undefined;
}

function randomToken(): string {
  return randomBytes(ID_BYTES).toString('base64url');
}

/** SHA-256 of a seat key, base64url: what the store keeps. */
export function hashSeatKey(seatKey: string): string {
  return createHash('sha256').update(seatKey).digest('base64url');
}

/** A new room with a fresh id and two fresh seat keys; the keys are returned once, for the links. */
export function createRoom(options: {
  nowMs: number;
  ttlSeconds: number;
  owners: readonly [SeatOwner, SeatOwner];
  line?: string;
  apiKeyId?: string | undefined;
  metadata?: Readonly<Record<string, unknown>> | undefined;
  /** A booked call's time: the room lives `ttlSeconds` after it, rather than after its creation. */
  startsAtMs?: number | undefined;
}): { room: Room; seatKeys: readonly [string, string] } {
  const seatKeys = [randomToken(), randomToken()] as const;
  const seat = (index: SeatIndex): Seat => {
    const owner = options.owners[index];
    return {
      keyHash: hashSeatKey(seatKeys[index]),
      ...(owner.waId !== undefined && { waId: owner.waId }),
      ...(owner.name !== undefined && { name: owner.name }),
    };
  };
  return {
    room: {
      id: randomToken(),
      createdAtMs: options.nowMs,
      expiresAtMs: Math.max(options.nowMs, options.startsAtMs ?? options.nowMs) + options.ttlSeconds * 1000,
      seats: [seat(0), seat(1)],
      line: options.line ?? MAIN_LINE_ID,
      ...(options.apiKeyId !== undefined && { apiKeyId: options.apiKeyId }),
      ...(options.metadata !== undefined && { metadata: options.metadata }),
      ...(options.startsAtMs !== undefined && { startsAtMs: options.startsAtMs }),
    },
    seatKeys,
  };
}

/** The seat a key opens, compared in constant time; undefined for a wrong key. */
export function seatForKey(room: Room, seatKey: string): SeatIndex | undefined {
  const candidate = Buffer.from(hashSeatKey(seatKey));
  let found: SeatIndex | undefined;
  for (const index of [0, 1] as const) {
    const stored = Buffer.from(room.seats[index].keyHash);
    if (stored.length === candidate.length && timingSafeEqual(stored, candidate)) found = index;
  }
  return found;
}

/** A room can be joined until it expires. */
export function isExpired(room: Room, nowMs: number): boolean {
  return nowMs >= room.expiresAtMs;
}

/** The other seat. */
export function otherSeat(seat: SeatIndex): SeatIndex {
  return seat === 0 ? 1 : 0;
}

/**
 * The polite peer of perfect negotiation rolls back its own offer on a collision. Tying the role to the seat,
 * not to who connected first, keeps it stable across reconnects and reloads.
 */
export function isPolite(seat: SeatIndex): boolean {
  return seat === 1;
}

/** The link a person opens: the seat key rides in the fragment, which browsers never send to servers. */
export function roomLink(publicBaseUrl: string, roomId: string, seatKey: string): string {
  return `${publicBaseUrl}/room/${roomId}#k=${seatKey}`;
}
