import type { LeaveReason } from '../protocol/signaling-messages.js';
import type { SeatAddress } from './signal-bus.js';

/** Whether a seat can be taken by a tab: it is free, held by that same tab (a reload), or held by another. */
export type Admission = 'free' | 'takeover' | 'taken';

/** Who holds a seat: one socket of one page load of one tab. */
export interface SeatHolder {
  /** Unique per socket. */
  readonly connectionId: string;
  /** Random per browser tab (sessionStorage): a reload keeps it, another tab or device does not. */
  readonly clientId: string;
  /** Random per page load: it names the RTCPeerConnection the page negotiates with. */
  readonly sessionId: string;
}

/** What taking a seat found. */
export interface SeatClaim {
  /** The other seat's page load, while someone holds it. */
  readonly peerSessionId: string | null;
  /** The seat was last held by another page load: frames kept for it, or sent by it, belong to a dead connection. */
  readonly newPageLoad: boolean;
}

/**
 * The client id prefix of a seat held by a WhatsApp voice call (the bridge): the person's own page may take the
 * seat over from it, to switch from voice to video, as a reloaded tab takes its own seat back.
 */
export const VOICE_BRIDGE_CLIENT_PREFIX = 'whatsapp-';

/** How long a room nobody holds remembers its seats' last page loads. */
export const IDLE_ROOM_TTL_MS = 2 * 60_000;

/**
 * Seat presence, shared by every instance that serves the room: who holds each seat, and which page load held
 * it last. Admission is decided before the WebSocket exists: two tabs never share a seat; a reloaded tab takes
 * its own seat back.
 */
export interface SignalingHub {
  admission(roomId: string, seat: SeatAddress['seat'], clientId: string): Promise<Admission>;
  /** Whether someone holds the seat now. */
  isConnected(roomId: string, seat: SeatAddress['seat']): Promise<boolean>;
  /** Gives the seat to `holder`, whoever held it before. */
  claim(address: SeatAddress, holder: SeatHolder): Promise<SeatClaim>;
  /**
   * Frees the seat if `connectionId` still holds it, and says whether it did. After a hang-up the seat's page
   * load is forgotten too; after a lost socket it is kept, for the same page to reconnect.
   */
  release(address: SeatAddress, connectionId: string, reason: LeaveReason): Promise<boolean>;
  close(): Promise<void>;
}
