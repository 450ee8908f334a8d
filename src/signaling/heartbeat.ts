import type { WebSocket } from 'ws';

/** How often the server pings; a socket that has not answered the previous ping by then is dropped. */
const HEARTBEAT_INTERVAL_MS = 5_000;

/**
 * Server-side liveness (the ws recipe): every interval, terminate sockets that did not answer the last ping,
 * and ping the rest. A phone that vanished is noticed within two intervals, so the other side sees "left".
 */
export class Heartbeat {
  readonly #alive = new Map<WebSocket, boolean>();
  #timer: NodeJS.Timeout | undefined;
  // One pair of listeners for all sockets (an emitter calls its listeners with itself as `this`): a pair of
  // closures per socket is memory that 100,000 idle sockets feel.
  readonly #answered: (this: WebSocket) => void;
  readonly #gone: (this: WebSocket) => void;

  constructor(private readonly intervalMs: number = HEARTBEAT_INTERVAL_MS) {
    const alive = this.#alive;
    this.#answered = function () {
      alive.set(this, true);
    };
    this.#gone = function () {
      alive.delete(this);
    };
  }

  track(socket: WebSocket): void {
    this.#alive.set(socket, true);
    socket.on('pong', this.#answered);
    socket.on('close', this.#gone);
  }

  start(): void {
    this.#timer = setInterval(() => this.tick(), this.intervalMs);
    this.#timer.unref();
  }

  stop(): void {
    clearInterval(this.#timer);
  }

  /** One round: exposed so tests can drive it without waiting. */
  tick(): void {
    for (const [socket, alive] of this.#alive) {
      if (!alive) {
        socket.terminate();
        this.#alive.delete(socket);
        continue;
      }
      this.#alive.set(socket, false);
      socket.ping();
    }
  }
}
