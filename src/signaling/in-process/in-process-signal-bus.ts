import {
  PENDING_FRAMES_LIMIT,
  PENDING_FRAMES_TTL_MS,
  type SeatAddress,
  type SeatSubscriber,
  type SignalBus,
} from '../signal-bus.js';

interface Mailbox {
  subscriber: SeatSubscriber | undefined;
  pending: string[];
  idleTimer: NodeJS.Timeout | undefined;
}

/** The signal bus of a single process: a mailbox per seat, in memory. */
export class InProcessSignalBus implements SignalBus {
  /** Room id → the two seats' mailboxes, made on first use. */
  readonly #rooms = new Map<string, [Mailbox | undefined, Mailbox | undefined]>();

  constructor(private readonly pendingTtlMs: number = PENDING_FRAMES_TTL_MS) {}

  publish(to: SeatAddress, frame: string, keep: boolean): void {
    const existing = this.#rooms.get(to.roomId)?.[to.seat];
    // A socket that is closing (a bad frame, a dying network) answers false: the frame waits for its return.
    if (existing?.subscriber?.deliver(frame) === true || !keep) return;
    const mailbox = existing ?? this.#open(to);
    mailbox.pending.push(frame);
    if (mailbox.pending.length > PENDING_FRAMES_LIMIT) mailbox.pending.shift();
    if (mailbox.subscriber === undefined && mailbox.idleTimer === undefined) this.#expireLater(to, mailbox);
  }

  subscribe(to: SeatAddress, subscriber: SeatSubscriber): () => void {
    const mailbox = this.#rooms.get(to.roomId)?.[to.seat] ?? this.#open(to);
    clearTimeout(mailbox.idleTimer);
    mailbox.idleTimer = undefined;
    const previous = mailbox.subscriber;
    mailbox.subscriber = subscriber;
    if (previous !== undefined && previous !== subscriber) previous.displaced();
    const waiting = mailbox.pending;
    mailbox.pending = [];
    for (let i = 0; i < waiting.length; i++) {
      if (!subscriber.deliver(waiting[i] as string)) {
        mailbox.pending = waiting.slice(i);
        break;
      }
    }
    return () => {
      if (mailbox.subscriber !== subscriber) return;
      mailbox.subscriber = undefined;
      if (mailbox.pending.length > 0) this.#expireLater(to, mailbox);
      else this.#remove(to, mailbox);
    };
  }

  discard(to: SeatAddress): void {
    const mailbox = this.#rooms.get(to.roomId)?.[to.seat];
    if (mailbox === undefined) return;
    mailbox.pending = [];
    if (mailbox.subscriber === undefined) this.#remove(to, mailbox);
  }

  /** Nothing is ever under way: publish delivers or keeps before it returns. */
  flush(): Promise<void> {
    return Promise.resolve();
  }

  close(): Promise<void> {
    for (const seats of this.#rooms.values()) for (const mailbox of seats) clearTimeout(mailbox?.idleTimer);
    this.#rooms.clear();
    return Promise.resolve();
  }

  #open(to: SeatAddress): Mailbox {
    const mailbox: Mailbox = { subscriber: undefined, pending: [], idleTimer: undefined };
    const seats = this.#rooms.get(to.roomId) ?? [undefined, undefined];
    seats[to.seat] = mailbox;
    this.#rooms.set(to.roomId, seats);
    return mailbox;
  }

  #expireLater(to: SeatAddress, mailbox: Mailbox): void {
    clearTimeout(mailbox.idleTimer);
    mailbox.idleTimer = setTimeout(() => this.#remove(to, mailbox), this.pendingTtlMs);
    mailbox.idleTimer.unref();
  }

  #remove(to: SeatAddress, mailbox: Mailbox): void {
    clearTimeout(mailbox.idleTimer);
    const seats = this.#rooms.get(to.roomId);
    if (seats?.[to.seat] !== mailbox) return;
    seats[to.seat] = undefined;
    if (seats[0] === undefined && seats[1] === undefined) this.#rooms.delete(to.roomId);
  }
}
