import type { SeatIndex } from '../rooms/room.js';

/** One seat of one room: where relayed frames go. */
export interface SeatAddress {
  readonly roomId: string;
  readonly seat: SeatIndex;
}

/** Frames that wait for a seat whose socket is away, at most this many (an offer and its candidates fit). */
export const PENDING_FRAMES_LIMIT = 256;
/** How long frames wait for a seat nobody subscribes to. */
export const PENDING_FRAMES_TTL_MS = 2 * 60_000;

/** The connection that receives a seat's frames. */
export interface SeatSubscriber {
  /** Writes a frame (JSON text, sent as it is) to the socket; false when the socket is not open. */
  deliver(frame: string): boolean;
  /** Another connection subscribed to the seat (a reload taking its seat back): this one no longer holds it. */
  displaced(): void;
}

/**
 * Carries signaling frames to seats, wherever the seat's socket is connected: in this process, or (with a
 * shared bus) in another instance. A seat has at most one subscriber; a new one displaces the previous.
 */
export interface SignalBus {
  /**
   * Sends a frame to the seat's subscriber. A `keep` frame that reaches no open socket waits for the seat's
   * next subscriber (at most PENDING_FRAMES_LIMIT, the oldest dropped first, for PENDING_FRAMES_TTL_MS);
   * other frames (presence notices) matter only to a socket that is there now.
   */
  publish(to: SeatAddress, frame: string, keep: boolean): void;
  /**
   * Makes `subscriber` the seat's receiver, displacing any previous one, and delivers the frames that waited,
   * in order. Returns the unsubscribe, which does nothing once another subscriber took over.
   */
  subscribe(to: SeatAddress, subscriber: SeatSubscriber): () => void;
  /** Drops the frames waiting for the seat (they were meant for a page load that is gone). */
  discard(to: SeatAddress): void;
  /** Resolves once every frame published so far has been delivered or kept (a shared bus works in the background). */
  flush(): Promise<void>;
  close(): Promise<void>;
}
