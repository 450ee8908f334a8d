import type { LeaveReason } from '../../protocol/signaling-messages.js';
import { otherSeat, type SeatIndex } from '../../rooms/room.js';
import type { SeatAddress } from '../signal-bus.js';
import {
  IDLE_ROOM_TTL_MS,
  VOICE_BRIDGE_CLIENT_PREFIX,
  type Admission,
  type SeatClaim,
  type SeatHolder,
  type SignalingHub,
} from '../signaling-hub.js';

interface SeatState {
  holder: SeatHolder | undefined;
  /** The last page load seen in this seat. */
  sessionId: string | undefined;
}

interface LiveRoom {
  readonly seats: readonly [SeatState, SeatState];
  idleTimer: NodeJS.Timeout | undefined;
}

/** Seat presence for a single process, in memory. */
export class InProcessSignalingHub implements SignalingHub {
  readonly #rooms = new Map<string, LiveRoom>();

  constructor(private readonly idleRoomTtlMs: number = IDLE_ROOM_TTL_MS) {}

  admission(roomId: string, seat: SeatIndex, clientId: string): Promise<Admission> {
    const holder = this.#rooms.get(roomId)?.seats[seat].holder;
    if (holder === undefined) return Promise.resolve('free');
    const yields = holder.clientId === clientId || holder.clientId.startsWith(VOICE_BRIDGE_CLIENT_PREFIX);
    return Promise.resolve(yields ? 'takeover' : 'taken');
  }

  isConnected(roomId: string, seat: SeatIndex): Promise<boolean> {
    return Promise.resolve(this.#rooms.get(roomId)?.seats[seat].holder !== undefined);
  }

  claim({ roomId, seat }: SeatAddress, holder: SeatHolder): Promise<SeatClaim> {
    let room = this.#rooms.get(roomId);
    if (room === undefined) {
      const free = (): SeatState => ({ holder: undefined, sessionId: undefined });
      room = { seats: [free(), free()], idleTimer: undefined };
      this.#rooms.set(roomId, room);
    }
    clearTimeout(room.idleTimer);
    room.idleTimer = undefined;
    const mine = room.seats[seat];
    const newPageLoad = mine.sessionId !== undefined && mine.sessionId !== holder.sessionId;
    mine.holder = holder;
    mine.sessionId = holder.sessionId;
    const peerSessionId = room.seats[otherSeat(seat)].holder?.sessionId ?? null;
    return Promise.resolve({ peerSessionId, newPageLoad });
  }

  release({ roomId, seat }: SeatAddress, connectionId: string, reason: LeaveReason): Promise<boolean> {
    const room = this.#rooms.get(roomId);
    const mine = room?.seats[seat];
    if (room === undefined || mine?.holder?.connectionId !== connectionId) return Promise.resolve(false);
    mine.holder = undefined;
    if (reason === 'hangup') mine.sessionId = undefined;
    if (room.seats[otherSeat(seat)].holder === undefined) {
      room.idleTimer = setTimeout(() => this.#rooms.delete(roomId), this.idleRoomTtlMs);
      room.idleTimer.unref();
    }
    return Promise.resolve(true);
  }

  close(): Promise<void> {
    for (const room of this.#rooms.values()) clearTimeout(room.idleTimer);
    this.#rooms.clear();
    return Promise.resolve();
  }
}
