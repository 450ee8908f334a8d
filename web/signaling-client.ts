import {
  FINAL_CLOSE_CODES,
  SEAT_KEY_SUBPROTOCOL_PREFIX,
  SIGNALING_SUBPROTOCOL,
} from '../src/protocol/signaling-constants.js';
import type { ClientMessage, ServerMessage } from '../src/protocol/signaling-messages.js';
import { parseServerMessage } from './server-messages.js';
const PING_INTERVAL_MS = 10_000;
/** No answer for this long and the socket is taken for dead, even if the browser has not noticed. */
const PONG_TIMEOUT_MS = 25_000;
const RECONNECT_BASE_MS = 500;
const RECONNECT_MAX_MS = 10_000;

/** What the client tells its owner. */
export interface SignalingEvents {
  message(message: ServerMessage): void;
  /** The socket is down and the client will try again by itself. */
  reconnecting(attempt: number): void;
  /** The server refused or ended the session for good (close code 4xxx), or it could not be opened. */
  closed(code: number): void;
}

export interface SignalingClientOptions {
  readonly url: string;
  readonly seatKey: string;
  readonly events: SignalingEvents;
  /** Whether a failed connection may be retried: asked before each reconnect, after an unexplained failure. */
  readonly canRetry: () => Promise<boolean>;
  readonly createSocket?: (url: string, protocols: string[]) => WebSocket;
  readonly random?: () => number;
}

/**
 * The signaling protocol over one WebSocket, with no DOM: it connects with the seat key as a subprotocol,
 * keeps the socket alive with pings, and reconnects with jittered backoff to the same seat and session.
 */
export class SignalingClient {
  #socket: WebSocket | undefined;
  #attempt = 0;
  #stopped = false;
  #pingTimer: ReturnType<typeof setInterval> | undefined;
  #lastHeardAt = 0;
  #reconnectTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly options: SignalingClientOptions) {}

  connect(): void {
    this.#stopped = false;
    const protocols = [SIGNALING_SUBPROTOCOL, SEAT_KEY_SUBPROTOCOL_PREFIX + this.options.seatKey];
    const socket =
      this.options.createSocket?.(this.options.url, protocols) ?? new WebSocket(this.options.url, protocols);
    this.#socket = socket;
    socket.onopen = () => {
      this.#attempt = 0;
      this.#lastHeardAt = Date.now();
      this.#startPinging();
    };
    socket.onmessage = (event: MessageEvent) => {
      this.#lastHeardAt = Date.now();
      const message = parseServerMessage(event.data);
      if (message !== undefined && message.type !== 'pong') this.options.events.message(message);
    };
    socket.onclose = (event: CloseEvent) => {
      if (this.#socket !== socket) return;
      this.#stopPinging();
      this.#socket = undefined;
      if (this.#stopped) return;
      if (Object.hasOwn(FINAL_CLOSE_CODES, event.code)) this.options.events.closed(event.code);
      else this.#scheduleReconnect();
    };
  }

  send(message: ClientMessage): void {
    const socket = this.#socket;
    if (socket !== undefined && socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
  }

  /** Tells the server this person hung up, and stops for good. */
  leave(): void {
    this.send({ type: 'leave' });
    this.stop();
  }

  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#reconnectTimer);
    this.#stopPinging();
    this.#socket?.close(1000);
    this.#socket = undefined;
  }

  #scheduleReconnect(): void {
    this.#attempt++;
    this.options.events.reconnecting(this.#attempt);
    const ceiling = Math.min(RECONNECT_MAX_MS, RECONNECT_BASE_MS * 2 ** (this.#attempt - 1));
    const delay = ceiling / 2 + ((this.options.random ?? Math.random)() * ceiling) / 2;
    this.#reconnectTimer = setTimeout(() => {
      // A refused upgrade looks like any dropped connection (1006); the room API says whether to go on.
      void this.options.canRetry().then(
        (retry) => {
          if (this.#stopped) return;
          if (retry) this.connect();
          else this.options.events.closed(1006);
        },
        () => {
          if (!this.#stopped) this.#scheduleReconnect();
        },
      );
    }, delay);
  }

  #startPinging(): void {
    this.#stopPinging();
    this.#pingTimer = setInterval(() => {
      if (Date.now() - this.#lastHeardAt > PONG_TIMEOUT_MS) {
        this.#dropDeadSocket();
        return;
      }
      this.send({ type: 'ping' });
    }, PING_INTERVAL_MS);
  }

  #stopPinging(): void {
    clearInterval(this.#pingTimer);
  }

  /**
   * A socket that stopped answering (the network went away under it): closing it waits for a handshake that
   * will not come, so it is let go at once and a new one is started.
   */
  #dropDeadSocket(): void {
    const socket = this.#socket;
    this.#socket = undefined;
    this.#stopPinging();
    socket?.close(4000, 'no pong');
    this.#scheduleReconnect();
  }
}
