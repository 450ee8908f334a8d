import type { ErrorCode } from '../src/errors.js';
import { FINAL_CLOSE_CODES } from '../src/protocol/signaling-constants.js';
import type { IceServerConfig, ServerMessage } from '../src/protocol/signaling-messages.js';
import type { CallSessionOptions, SessionLink, SessionSignaling, Timers } from './call-session-ports.js';
import type { Kind } from './local-media.js';
import type { PeerMessage } from './peer-messages.js';

// One person's side of a call, with no DOM: the signaling client, the peer connection to the other person's
// current page load, and what the server's messages mean for them. The page (call-page.ts) draws what this
// tells it.

/** Timers longer than this overflow setTimeout: a link valid for longer is checked again later. */
const MAX_TIMER_MS = 2 ** 31 - 1;

const realTimers: Timers = {
  set: (run, ms) => setTimeout(run, ms),
  clear: (handle) => clearTimeout(handle),
};

export type { CallSessionEvents, SessionLink, SessionStatus } from './call-session-ports.js';

export class CallSession {
  #signaling: SessionSignaling | undefined;
  #link: SessionLink | undefined;
  #polite = false;
  #iceServers: readonly IceServerConfig[] = [];
  #lastError: ErrorCode | undefined;
  #joinTappedAt = 0;
  #firstLink = true;
  #signalingDown = false;
  readonly #reported = new WeakSet<SessionLink>();
  readonly #now: () => number;
  #expiryTimer: ReturnType<typeof setTimeout> | undefined;
  readonly #timers: Timers;
  #over = false;

  constructor(private readonly options: CallSessionOptions) {
    this.#now = options.now ?? Date.now;
    this.#timers = options.timers ?? realTimers;
  }

  /** The current peer connection, for the page's quality figures. */
  get link(): SessionLink | undefined {
    return this.#link;
  }

  /**
   * Whether the call is down for now: the media connection is lost, or the server is away and no media
   * connection carries the call. A call that flows peer to peer does not need the server to go on.
   */
  get reconnecting(): boolean {
    const state = this.#link?.pc.connectionState;
    return state === 'disconnected' || state === 'failed' || (this.#signalingDown && state !== 'connected');
  }

  /** Whether the signaling server is away (the client is reconnecting). */
  get serverAway(): boolean {
    return this.#signalingDown;
  }

  /** Joins the room: the Join tap at `tappedAt` starts the clock of the first connection's setup time. */
  join(tappedAt: number): void {
    this.#joinTappedAt = tappedAt;
    const { events } = this.options;
    this.#signaling = this.options.createSignaling({
      url: this.options.url,
      seatKey: this.options.seatKey,
      canRetry: async () => {
        const check = await this.options.checkRoom();
        if (!check.ok) this.#lastError = check.code;
        return check.ok;
      },
      events: {
        message: (message) => {
          this.#setSignalingDown(false);
          this.handle(message);
        },
        reconnecting: () => this.#setSignalingDown(true),
        closed: (code) => {
          this.#dropLink();
          const final = FINAL_CLOSE_CODES[code as keyof typeof FINAL_CLOSE_CODES] as ErrorCode | undefined;
          events.ended(final ?? this.#lastError ?? 'INTERNAL');
        },
      },
    });
    this.#signaling.connect();
  }

  /** What a server message means for this side of the call. */
  handle(message: ServerMessage): void {
    switch (message.type) {
      case 'joined':
        this.#polite = message.polite;
        this.#iceServers = message.iceServers;
        this.#expireAt(message.expiresAt);
        if (message.peerSessionId !== null) this.#linkTo(message.peerSessionId);
        else if (this.#link === undefined) this.options.events.status('waiting');
        this.#showCallState();
        break;
      case 'peer-joined':
        if (this.#link === undefined) this.options.events.peerArrived();
        this.#linkTo(message.sessionId);
        this.#showCallState();
        break;
      case 'peer-via':
        if (this.#link?.peerSessionId === message.sessionId) this.options.events.peerVia(message.via);
        break;
      case 'peer-left':
        if (message.reason === 'hangup') this.#peerHungUp();
        else if (this.#link?.pc.connectionState !== 'connected') this.options.events.status('peerLost');
        break;
      case 'description':
        // Only for the connection with the page load it came from: an older one's are stale.
        if (this.#link?.peerSessionId === message.sessionId) {
          this.#link.handleDescription(message.description).catch(warn);
        }
        break;
      case 'candidate':
        if (this.#link?.peerSessionId === message.sessionId) {
          this.#link.handleCandidate(message.candidate).catch(warn);
        }
        break;
      case 'ice-servers':
        this.#iceServers = message.iceServers;
        this.#link?.restart(message.iceServers);
        break;
      case 'error':
        console.warn('signaling error', message.code, message.message);
        break;
      case 'pong':
        break;
    }
  }

  /** Sends to the other page over the data channel. */
  sendPeer(message: PeerMessage): void {
    this.#link?.sendPeer(message);
  }

  /** Puts a new track on the connection's sender of that kind (a device switch, a shared screen). */
  async replaceTrack(kind: Kind, track: MediaStreamTrack): Promise<void> {
    await this.#link?.replaceTrack(kind, track);
  }

  /**
   * A new network (Wi-Fi ↔ mobile data): restart ICE now, with fresh servers, rather than wait for the old
   * path to time out. Restarting a healthy connection costs nothing: the current path stays until a new one.
   */
  networkChanged(): void {
    if (this.#link !== undefined) this.#signaling?.send({ type: 'refresh-ice' });
  }

  /** Hangs up: said over the data channel too, so the other side learns at once even without the server. */
  hangUp(): void {
    this.#link?.sendPeer({ t: 'bye' });
    this.#signaling?.leave();
    this.#finish();
  }

  /** Ends this side after the other person hung up: the seat is let go, nothing more is said. */
  end(): void {
    this.#signaling?.stop();
    this.#finish();
  }

  #finish(): void {
    this.#over = true;
    this.#timers.clear(this.#expiryTimer);
    this.#dropLink();
  }

  /**
   * A link expires at `expiresAt`. Someone still waiting alone then is told (the page would otherwise wait
   * forever); a call that is under way goes on.
   */
  #expireAt(expiresAt: number): void {
    this.#timers.clear(this.#expiryTimer);
    const wait = expiresAt - this.#now();
    this.#expiryTimer = this.#timers.set(
      () => {
        if (this.#over) return;
        if (this.#now() < expiresAt) this.#expireAt(expiresAt);
        else if (this.#link?.pc.connectionState !== 'connected') {
          this.#signaling?.stop();
          this.#finish();
          this.options.events.ended('ROOM_EXPIRED');
        }
      },
      Math.min(Math.max(wait, 0), MAX_TIMER_MS),
    );
  }

  /** One peer connection per page load of the other person; a new load of theirs means a new connection. */
  #linkTo(peerSessionId: string): void {
    if (this.#link?.peerSessionId === peerSessionId) return;
    const { events } = this.options;
    this.#link?.close();
    events.newLink();
    events.status('connecting');
    // The first call is timed from the Join tap; a new connection (the other person reloaded) from its start.
    const createdAt = this.#firstLink ? this.#joinTappedAt : this.#now();
    this.#firstLink = false;
    const link = this.options.createLink({
      peerSessionId,
      polite: this.#polite,
      iceServers: this.#iceServers,
      iceTransportPolicy: this.options.iceTransportPolicy,
      onNoRoute: () => events.status('noRoute'),
      onChannelOpen: () => events.channelOpen(),
      onPeerMessage: (message) => {
        if (message.t === 'bye') this.#peerHungUp();
        else events.peerMessage(message);
      },
      onIceFailed: () => {
        events.connectivity();
        this.#signaling?.send({ type: 'refresh-ice' });
      },
      localStream: this.options.localStream(),
      send: (message) => this.#signaling?.send(message),
      onRemoteStream: (stream) => events.remoteStream(stream),
      onStateChange: (state) => {
        events.connectivity();
        if (state !== 'connected') return;
        events.status('connected');
        this.#reportConnected(link, createdAt);
        events.connected();
        link.capVideoBitrate().catch(warn);
      },
    });
    this.#link = link;
  }

  /** Tells the server, once per connection, how long it took and whether it goes through TURN (metrics). */
  #reportConnected(link: SessionLink, startedAt: number): void {
    if (this.#reported.has(link)) return;
    this.#reported.add(link);
    void link
      .path()
      .then((path) => this.#signaling?.send({ type: 'connected', setupMs: this.#now() - startedAt, path }));
  }

  /** Back on the signaling server (after a reconnect): a call that kept flowing says so again. */
  #showCallState(): void {
    if (this.#link?.pc.connectionState === 'connected') this.options.events.status('connected');
    this.options.events.connectivity();
  }

  #setSignalingDown(down: boolean): void {
    if (this.#signalingDown === down) return;
    this.#signalingDown = down;
    this.options.events.connectivity();
  }

  #peerHungUp(): void {
    this.#dropLink();
    this.options.events.peerHungUp();
  }

  #dropLink(): void {
    this.#link?.close();
    this.#link = undefined;
    this.options.events.linkDropped();
  }
}

function warn(error: unknown): void {
  console.warn(error);
}
