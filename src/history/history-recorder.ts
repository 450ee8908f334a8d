import type { CallHistoryStore, HistoryEvent } from './call-history.js';

export interface HistoryRecorderOptions {
  /** Changes written at the same time; the rest wait in this queue, not in the database pool's. */
  readonly concurrency: number;
  /** Tries per change before it is given up (and logged). */
  readonly tries: number;
  /** Changes waiting at most; past that a new one is given up at once (and logged). */
  readonly maxWaiting: number;
  readonly log: { error(details: object, message: string): void };
  /** Waits before a new try (the n-th retry, from 1); injected by tests. */
  readonly backoff?: ((retry: number) => Promise<void>) | undefined;
}

const defaultBackoff = (retry: number) =>
  new Promise<void>((resolve) => setTimeout(resolve, Math.min(200 * 2 ** (retry - 1), 5_000)).unref());

/**
 * Writes what sockets report of a call (joins, connections, hang-ups) in the background. Nobody retries these for
 * us (a status webhook is retried by Meta; a socket's join is not), so a burst of them, such as an instance's
 * sockets all reconnecting to this one, waits here and is written a few at a time instead of timing out in the
 * database pool's own queue; one the database could not take (restarting, busy) is tried again.
 */
export class HistoryRecorder {
  // A queue read from `head`, compacted now and then: shift() on a long array moves every element each time.
  private waiting: HistoryEvent[] = [];
  private head = 0;
  private running = 0;
  private idle: (() => void)[] = [];

  constructor(
    private readonly history: Pick<CallHistoryStore, 'record'>,
    private readonly options: HistoryRecorderOptions,
  ) {}

  /** Queues one change; it is written once (a repeated id changes nothing, so a retry is safe). */
  record(event: HistoryEvent): void {
    if (this.waitingCount() >= this.options.maxWaiting) {
      this.options.log.error(
        { roomId: event.roomId, waiting: this.waitingCount() },
        'history: too many changes waiting, one given up',
      );
      return;
    }
    this.waiting.push(event);
    this.pump();
  }

  /** Resolves once every queued change is written or given up (before the storage closes). */
  drain(): Promise<void> {
    if (this.running === 0 && this.waitingCount() === 0) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  private pump(): void {
    while (this.running < this.options.concurrency && this.waitingCount() > 0) {
      const event = this.waiting[this.head++] as HistoryEvent;
      if (this.head > 1024 && this.head * 2 > this.waiting.length) {
        this.waiting = this.waiting.slice(this.head);
        this.head = 0;
      }
      this.running++;
      void this.write(event).finally(() => {
        this.running--;
        this.pump();
        if (this.running === 0 && this.waitingCount() === 0)
          for (const resolve of this.idle.splice(0)) resolve();
      });
    }
  }

  private waitingCount(): number {
    return this.waiting.length - this.head;
  }

  private async write(event: HistoryEvent): Promise<void> {
    const backoff = this.options.backoff ?? defaultBackoff;
    for (let attempt = 1; ; attempt++) {
      try {
        await this.history.record(event);
        return;
      } catch (error) {
        if (attempt >= this.options.tries) {
          this.options.log.error(
            { err: error, roomId: event.roomId, tries: attempt },
            'history: a change given up',
          );
          return;
        }
        await backoff(attempt);
      }
    }
  }
}
