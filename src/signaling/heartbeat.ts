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

  constructor(private readonly intervalMs: number = HEARTBEAT_INTERVAL_MS) {}

  track(socket: WebSocket): void {
    this.#alive.set(socket, true);
    socket.on('pong', () => this.#alive.set(socket, true));
    socket.on('close', () => this.#alive.delete(socket));
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
