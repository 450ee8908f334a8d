import { randomBytes } from 'node:crypto';
import { ERRORS } from '../errors.js';
import type { LeaveReason, ServerMessage } from '../protocol/signaling-messages.js';
import { otherSeat } from '../rooms/room.js';
import type { SeatAddress, SeatSubscriber, SignalBus } from './signal-bus.js';
import type { SeatHolder, SignalingHub } from './signaling-hub.js';

/** The socket behind a seat session, as the session uses it. */
export interface SessionSocket {
  /** Writes a frame; false when the socket is not open (closing, closed), so nothing was sent. */
  send(frame: string): boolean;
  close(code: number, reason: string): void;
}

const REPLACED_FRAME = JSON.stringify({
  type: 'error',
  code: 'SEAT_REPLACED',
  message: ERRORS.SEAT_REPLACED.message,
});

/**
 * One socket seated in a room: it relays to the other seat through the bus, receives what the bus brings for
 * its seat, and leaves once. Only the session that holds the seat speaks for it: a displaced one is silent.
 */
export class SeatSession implements SeatSubscriber {
  // Made in one piece: randomUUID's string is a chain of small concatenations, ~0.5 KB kept per socket.
  readonly connectionId = randomBytes(16).toString('base64url');
  /** `{"sessionId":"<id>",`: spliced in front of a relayed message's own fields (ids are URL-safe). */
  readonly relayPrefix: string;
  readonly #peer: SeatAddress;
  #holds = true;
  #left = false;
  #unsubscribe: () => void = () => undefined;

  constructor(
    readonly address: SeatAddress,
    readonly clientId: string,
    readonly sessionId: string,
    private readonly socket: SessionSocket,
    private readonly hub: SignalingHub,
    private readonly bus: SignalBus,
    /** Hears of each leave under way, so that closing waits for it. */
    private readonly track: (leaving: Promise<void>) => void = () => undefined,
  ) {
    this.relayPrefix = `{"sessionId":"${sessionId}",`;
    this.#peer = { roomId: address.roomId, seat: otherSeat(address.seat) };
  }

  get holder(): SeatHolder {
    return { connectionId: this.connectionId, clientId: this.clientId, sessionId: this.sessionId };
  }

  /** Whether this session still holds its seat (not displaced, not left). */
  get holdsSeat(): boolean {
    return this.#holds;
  }

  /** Sends a message of the server's own to this socket. */
  send(message: ServerMessage): boolean {
    return this.socket.send(JSON.stringify(message));
  }

  /** Passes a frame, already carrying this session's id, to the other seat; it waits there if needed. */
  relay(frame: string): void {
    if (this.#holds) this.bus.publish(this.#peer, frame, true);
  }

  deliver(frame: string): boolean {
    return this.socket.send(frame);
  }

  displaced(): void {
    this.#holds = false;
    this.socket.send(REPLACED_FRAME);
    this.socket.close(ERRORS.SEAT_REPLACED.closeCode, 'SEAT_REPLACED');
  }

  /** Starts receiving the seat's frames (after the welcome, so that waiting frames follow it). */
  subscribe(): void {
    this.#unsubscribe = this.bus.subscribe(this.address, this);
  }

  /**
   * Frees the seat, once, and tells the other person if this session still held it. After a hang-up nothing
   * waits any more; after a lost socket the frames wait for the same page to reconnect. True when this session
   * still held the seat (a page load displaced by a newer one did not).
   */
  leave(reason: LeaveReason): Promise<boolean> {
    if (this.#left) return Promise.resolve(false);
    this.#left = true;
    this.#holds = false;
    this.#unsubscribe();
    const leaving = this.#free(reason);
    this.track(leaving.then(() => undefined));
    return leaving;
  }

  async #free(reason: LeaveReason): Promise<boolean> {
    if (!(await this.hub.release(this.address, this.connectionId, reason))) return false;
    if (reason === 'hangup') {
      this.bus.discard(this.address);
      this.bus.discard(this.#peer);
    }
    this.bus.publish(this.#peer, JSON.stringify({ type: 'peer-left', reason }), false);
    return true;
  }
}

/** Seating sockets in rooms over the two live-state ports: seat presence (hub) and frames (bus). */
export class RoomSignaling {
  readonly #leaving = new Set<Promise<void>>();

  constructor(
    readonly hub: SignalingHub,
    readonly bus: SignalBus,
  ) {}

  /**
   * Seats a socket. `welcome` builds its first message from the other person's page load; the frames that
   * waited for the seat follow, unless this is a new page load, whose peer connection they were not meant for.
   * The socket that held the seat before (a reload, the same link elsewhere) is told and closed.
   */
  async join(
    address: SeatAddress,
    ids: { clientId: string; sessionId: string },
    socket: SessionSocket,
    welcome: (peerSessionId: string | null) => ServerMessage,
  ): Promise<SeatSession> {
    const session = new SeatSession(
      address,
      ids.clientId,
      ids.sessionId,
      socket,
      this.hub,
      this.bus,
      (leaving) => {
        this.#leaving.add(leaving);
        void leaving.finally(() => this.#leaving.delete(leaving)).catch(() => undefined);
      },
    );
    const claim = await this.hub.claim(address, session.holder);
    const peer = { roomId: address.roomId, seat: otherSeat(address.seat) };
    if (claim.newPageLoad) {
      this.bus.discard(address);
      this.bus.discard(peer);
    }
    session.send(welcome(claim.peerSessionId));
    session.subscribe();
    this.bus.publish(peer, JSON.stringify({ type: 'peer-joined', sessionId: ids.sessionId }), false);
    return session;
  }

  /**
   * Closes the live state, after the leaves under way (the sockets closed on shutdown free their seats and
   * tell the other side first, while the bus is still there).
   */
  async close(): Promise<void> {
    await Promise.allSettled([...this.#leaving]);
    await this.bus.close();
    await this.hub.close();
  }
}
