import type { ErrorCode } from '../src/errors.js';
import type { ClientMessage } from '../src/protocol/signaling-messages.js';
import type { PeerLink, PeerLinkOptions } from './peer-link.js';
import type { PeerMessage } from './peer-messages.js';
import type { SignalingClientOptions } from './signaling-client.js';

// What a CallSession (call-session.ts) is given and what it tells the page.

/** The status line a session asks for. */
export type SessionStatus = 'connecting' | 'waiting' | 'connected' | 'peerLost' | 'noRoute';

/** What the session tells the page. */
export interface CallSessionEvents {
  status(status: SessionStatus): void;
  /** The media connection or the server connection changed: the "reconnecting" banner may change. */
  connectivity(): void;
  /** A new peer connection replaces the old one: it starts from the camera (a shared screen stops). */
  newLink(): void;
  remoteStream(stream: MediaStream): void;
  /** The media connection is up (the first time, or again after a restart). */
  connected(): void;
  /** The data channel opened: the other page wants our media state. */
  channelOpen(): void;
  /** The other person is in the call by WhatsApp voice: no video will come, and no page to chat with. */
  peerVia(via: 'whatsapp-voice'): void;
  /** The other person came while this page waited alone (not a reload of theirs): worth a chime. */
  peerArrived(): void;
  /** The other page's media state or a chat line. */
  peerMessage(message: Exclude<PeerMessage, { t: 'bye' }>): void;
  /** The peer connection is gone (hang-up, end): the remote video and quality figures go with it. */
  linkDropped(): void;
  /** The other person hung up, told by the server or straight over the data channel. */
  peerHungUp(): void;
  /** The server ended this session for good; `code` says why. */
  ended(code: ErrorCode): void;
}

/** The signaling client as the session uses it. */
export interface SessionSignaling {
  connect(): void;
  send(message: ClientMessage): void;
  leave(): void;
  stop(): void;
}

/** The peer connection as the session uses it. */
export type SessionLink = Pick<
  PeerLink,
  | 'peerSessionId'
  | 'handleDescription'
  | 'handleCandidate'
  | 'restart'
  | 'close'
  | 'sendPeer'
  | 'replaceTrack'
  | 'path'
  | 'capVideoBitrate'
  | 'pc'
>;

export interface CallSessionOptions {
  /** The signaling WebSocket's URL, with this tab's client id and this page load's session id. */
  readonly url: string;
  readonly seatKey: string;
  readonly iceTransportPolicy: RTCIceTransportPolicy;
  /** Our camera and microphone as they are when a connection starts. */
  readonly localStream: () => MediaStream | undefined;
  /** Whether the link is still good, and why not: asked before reconnecting after an unexplained failure. */
  readonly checkRoom: () => Promise<{ ok: true } | { ok: false; code: ErrorCode }>;
  readonly events: CallSessionEvents;
  readonly createSignaling: (options: SignalingClientOptions) => SessionSignaling;
  readonly createLink: (options: PeerLinkOptions) => SessionLink;
  readonly now?: () => number;
  /** setTimeout and clearTimeout, or a test's. */
  readonly timers?: Timers;
}

/** The timer functions a session uses. */
export interface Timers {
  set(run: () => void, ms: number): ReturnType<typeof setTimeout>;
  clear(handle: ReturnType<typeof setTimeout> | undefined): void;
}
