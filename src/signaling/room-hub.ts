import { ERRORS } from '../errors.js';
import type { LeaveReason, ServerMessage } from '../protocol/signaling-messages.js';
import { otherSeat, type SeatIndex } from '../rooms/room.js';

/** The hub's view of one open signaling socket. */
export interface SignalingConnection {
  /** Random per browser tab (sessionStorage): a reload keeps it, another tab or device does not. */
  readonly clientId: string;
  /** Random per page load: it names the RTCPeerConnection the page negotiates with. */
  readonly sessionId: string;
  send(message: ServerMessage): void;
  close(code: number, reason: string): void;
}

/** Messages that wait for a seat whose socket is away, at most this many (an offer and its candidates fit). */
const PENDING_LIMIT = 256;
/** How long a room with nobody connected keeps its waiting messages and last sessions. */
const IDLE_ROOM_TTL_MS = 2 * 60_000;

interface LiveSeat {
  connection: SignalingConnection | undefined;
  /** The last page load seen in this seat; a different one means the old peer connection is gone. */
  sessionId: string | undefined;
  /** Relayed messages waiting for this seat's socket. */
  pending: ServerMessage[];
}

interface LiveRoom {
  readonly seats: readonly [LiveSeat, LiveSeat];
  idleTimer: NodeJS.Timeout | undefined;
}

/** Whether a seat can be taken by a tab: it is free, held by that same tab (a reload), or held by another. */
export type Admission = 'free' | 'takeover' | 'taken';

/**
 * The live side of rooms in this process: who is connected to which seat, relaying between the two, and
 * holding messages for a seat whose socket is reconnecting.
 */
export class RoomHub {
  readonly #rooms = new Map<string, LiveRoom>();

  /** Decided before the WebSocket exists: two tabs never share a seat; a reloaded tab takes its seat back. */
  admission(roomId: string, seat: SeatIndex, clientId: string): Admission {
    const current = this.#rooms.get(roomId)?.seats[seat].connection;
    if (current === undefined) return 'free';
    return current.clientId === clientId ? 'takeover' : 'taken';
  }

  /** Whether someone is connected to the seat now. */
  isConnected(roomId: string, seat: SeatIndex): boolean {
    return this.#rooms.get(roomId)?.seats[seat].connection !== undefined;
  }

  /**
   * Seats a connection. `welcome` builds the first message it gets, from the other person's session. Waiting
   * messages follow it, unless this is a new page load, whose peer connection they were not meant for.
   */
  join(
    roomId: string,
    seat: SeatIndex,
    connection: SignalingConnection,
    welcome: (peerSessionId: string | null) => ServerMessage,
  ): void {
    const room = this.#room(roomId);
    clearTimeout(room.idleTimer);
    const mine = room.seats[seat];
    const theirs = room.seats[otherSeat(seat)];

    const previous = mine.connection;
    mine.connection = connection;
    if (previous !== undefined && previous !== connection) {
      previous.send({ type: 'error', code: 'SEAT_REPLACED', message: ERRORS.SEAT_REPLACED.message });
      previous.close(ERRORS.SEAT_REPLACED.closeCode, 'SEAT_REPLACED');
    }
    if (mine.sessionId !== undefined && mine.sessionId !== connection.sessionId) {
      // A new page load: what waited for the old one, and what the old one sent, belong to a dead connection.
      mine.pending = [];
      theirs.pending = [];
    }
    mine.sessionId = connection.sessionId;

    connection.send(welcome(theirs.connection?.sessionId ?? null));
    for (const message of mine.pending.splice(0)) connection.send(message);
    theirs.connection?.send({ type: 'peer-joined', sessionId: connection.sessionId });
  }

  /**
   * Passes a message to the other seat, or keeps it until that seat's socket is back. Only the socket that
   * holds the seat speaks for it: a replaced socket's last messages are dropped.
   */
  relay(roomId: string, from: SeatIndex, sender: SignalingConnection, message: ServerMessage): void {
    const room = this.#rooms.get(roomId);
    if (room?.seats[from].connection !== sender) return;
    const theirs = room.seats[otherSeat(from)];
    if (theirs.connection !== undefined) {
      theirs.connection.send(message);
      return;
    }
    theirs.pending.push(message);
    if (theirs.pending.length > PENDING_LIMIT) theirs.pending.shift();
  }

  /**
   * Frees the seat if `connection` still holds it and tells the other person. After a hang-up nothing waits
   * any more; after a lost socket the messages wait for the same page to reconnect.
   */
  leave(roomId: string, seat: SeatIndex, connection: SignalingConnection, reason: LeaveReason): void {
    const room = this.#rooms.get(roomId);
    const mine = room?.seats[seat];
    if (room === undefined || mine?.connection !== connection) return;
    const theirs = room.seats[otherSeat(seat)];
    mine.connection = undefined;
    if (reason === 'hangup') {
      mine.pending = [];
      mine.sessionId = undefined;
      theirs.pending = [];
    }
    theirs.connection?.send({ type: 'peer-left', reason });
    if (theirs.connection === undefined) {
      room.idleTimer = setTimeout(() => this.#rooms.delete(roomId), IDLE_ROOM_TTL_MS);
      room.idleTimer.unref();
    }
  }

  #room(roomId: string): LiveRoom {
    let room = this.#rooms.get(roomId);
    if (room === undefined) {
      const seat = (): LiveSeat => ({ connection: undefined, sessionId: undefined, pending: [] });
      room = { seats: [seat(), seat()], idleTimer: undefined };
      this.#rooms.set(roomId, room);
    }
    return room;
  }
}
