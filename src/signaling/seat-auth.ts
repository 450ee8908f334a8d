import { AppError } from '../errors.js';
import { SEAT_KEY_SUBPROTOCOL_PREFIX } from '../protocol/signaling-constants.js';
import {
  isExpired,
  opensAtMs,
  roomIdSchema,
  seatForKey,
  seatKeySchema,
  type Room,
  type SeatIndex,
} from '../rooms/room.js';
import type { RoomStore } from '../rooms/room-store.js';

/** A seat key proven to open a seat of a live room. */
export interface SeatGrant {
  readonly room: Room;
  readonly seat: SeatIndex;
}

/**
 * Checks a room id and seat key: the room exists, has not expired, and the key opens one of its seats.
 * Throws the AppError the caller answers with.
 */
export async function authorizeSeat(
  rooms: RoomStore,
  roomId: string,
  seatKey: string | undefined,
  nowMs: number,
): Promise<SeatGrant> {
  if (!roomIdSchema.safeParse(roomId).success) throw new AppError('ROOM_NOT_FOUND');
  const room = await rooms.get(roomId);
  if (room === undefined) throw new AppError('ROOM_NOT_FOUND');
  if (room.cancelledAtMs !== undefined) throw new AppError('ROOM_CANCELLED');
  if (isExpired(room, nowMs)) throw new AppError('ROOM_EXPIRED');
  if (seatKey === undefined || !seatKeySchema.safeParse(seatKey).success)
    throw new AppError('SEAT_KEY_INVALID');
  const seat = seatForKey(room, seatKey);
  if (seat === undefined) throw new AppError('SEAT_KEY_INVALID');
  return { room, seat };
}

/** Refuses a booked call's room before it opens (the page asks `GET /api/rooms/:id` when, and waits). */
export function refuseBeforeOpening(room: Room, nowMs: number): void {
  if (nowMs < opensAtMs(room)) throw new AppError('ROOM_NOT_OPEN');
}

/** The seat key from `Sec-WebSocket-Protocol: wwb.v1, seat.<key>` (browsers cannot set other headers). */
export function seatKeyFromSubprotocols(header: string | undefined): string | undefined {
  const entry = header
    ?.split(',')
    .map((p) => p.trim())
    .find((p) => p.startsWith(SEAT_KEY_SUBPROTOCOL_PREFIX));
  return entry?.slice(SEAT_KEY_SUBPROTOCOL_PREFIX.length);
}

/** The seat key from `Authorization: Bearer <key>`, for the room API. */
export function seatKeyFromAuthorization(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  return match?.[1];
}
