import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyBaseLogger } from 'fastify';
import { maskPhoneNumber } from '../../phone-number.js';
import type { Outbox, OutboxEntry } from './outbox.js';
import { SendError, type WhatsAppClient } from './whatsapp-client.js';
import { LocalSendBudget, type SendBudget } from './send-budget.js';

/** How the worker paces itself. Every interval is injected so tests never wait on real time. */
export interface OutboxWorkerSettings {
  readonly maxInFlight: number;
  /** First retry delay; it doubles per attempt, with jitter, up to `retryMaxDelayMs`. */
  readonly retryBaseDelayMs: number;
  readonly retryMaxDelayMs: number;
  readonly maxAttempts: number;
  /** How often to look for due messages when nothing woke the worker (other processes may enqueue too). */
  readonly pollIntervalMs: number;
  /**
   * After a crash, how long a message that may have reached Meta waits for a status webhook to confirm it
   * before it is sent again. The Cloud API has no idempotency key: this wait is what keeps a crash from
   * turning into a duplicate.
   */
  readonly unconfirmedWaitMs: number;
  /** Sends per second at most: Meta's throughput limit per business number is 80 by default. */
  readonly maxSendsPerSecond: number;
  /** First wait after 131056 (too many messages to one person); it grows 4× per attempt. */
  readonly pairRateBaseDelayMs: number;
  /**
   * With an outbox shared by several instances: how often to take over the sends of instances that died (the
   * outbox knows which). Unset for one process, whose only interrupted sends are those found at start.
   */
  readonly recoverEveryMs?: number | undefined;
  /** The line whose messages this worker sends (one worker per line, each with its client and cap); all when unset. */
  readonly line?: string | undefined;
}

export const DEFAULT_OUTBOX_WORKER_SETTINGS: OutboxWorkerSettings = {
  maxInFlight: 32,
  retryBaseDelayMs: 1_000,
  retryMaxDelayMs: 60_000,
  maxAttempts: 15,
  pollIntervalMs: 1_000,
  unconfirmedWaitMs: 60_000,
  maxSendsPerSecond: 80,
  pairRateBaseDelayMs: 4_000,
};

/**
 * Sends started in one turn of the event loop. Starting a request costs CPU; a burst of dozens at once kept
 * webhook answers waiting, so the worker starts a few and lets the event loop breathe.
 */
const CLAIM_BATCH = 8;

/** Retrying a record of a send while storage is away: from 50 ms, doubling, up to 2 s; 3 tries when stopping. */
const RECORD_RETRY_BASE_MS = 50;
const RECORD_RETRY_MAX_MS = 2_000;
const RECORD_TRIES_WHEN_STOPPING = 3;

/** Too many messages to the same person in a short time: Meta wants a much longer pause. */
const PAIR_RATE_LIMIT_CODE = 131056;

/** What the worker tells its owner, for metrics and follow-ups; `code` is the Graph API error code, if any. */
export interface OutboxEvents {
  sent?(entry: OutboxEntry): void;
  retrying?(entry: OutboxEntry, failure: SendError): void;
  /** Awaited before the next message: a failed invitation becomes a notice to the inviter here. */
  failedForGood?(entry: OutboxEntry, failure: SendError): Promise<unknown>;
}

/** Sends what the outbox holds, retrying what can succeed later. */
export class OutboxWorker {
  readonly #inFlight = new Set<Promise<void>>();
  #timer: NodeJS.Timeout | undefined;
  #draining = false;
  #drainAgain = false;
  #stopped = true;
  /** The drain under way: stopping waits for it, as it may be claiming messages. */
  #drainRun: Promise<void> = Promise.resolve();
  #recovery: NodeJS.Timeout | undefined;

  constructor(
    private readonly outbox: Outbox,
    private readonly client: WhatsAppClient,
    private readonly log: FastifyBaseLogger,
    private readonly settings: OutboxWorkerSettings = DEFAULT_OUTBOX_WORKER_SETTINGS,
    private readonly now: () => number = Date.now,
    private readonly events: OutboxEvents = {},
    /** Meta's throughput limit, shared by every instance sending for the number. */
    private readonly budget: SendBudget = new LocalSendBudget(settings.maxSendsPerSecond, now),
  ) {}

  /** Takes back messages a previous process left half-sent, then starts sending. */
  async start(): Promise<void> {
    this.#stopped = false;
    await this.#recover();
    const every = this.settings.recoverEveryMs;
    if (every !== undefined) {
      this.#recovery = setInterval(() => {
        this.#recover().catch((error: unknown) => this.log.error({ err: error }, 'outbox: recovery failed'));
      }, every);
      this.#recovery.unref();
    }
    this.kick();
  }

  async #recover(): Promise<void> {
    const nowMs = this.now();
    const recovered = await this.outbox.recoverInterrupted(nowMs + this.settings.unconfirmedWaitMs, nowMs);
    if (recovered > 0) {
      this.log.warn(
        { recovered, waitMs: this.settings.unconfirmedWaitMs },
        'outbox: sends interrupted by a crash wait for a status webhook before they are sent again',
      );
      this.kick();
    }
  }

  /** Looks for due messages now (after new ones were committed). */
  kick(): void {
    if (this.#stopped) return;
    if (this.#draining) {
      this.#drainAgain = true;
      return;
    }
    this.#draining = true;
    this.#drainRun = this.#drain()
      .catch((error: unknown) => {
        // Storage away (a database restart): look again after the poll interval, not only at the next kick.
        this.log.error({ err: error }, 'outbox: drain failed');
        clearTimeout(this.#timer);
        if (!this.#stopped) this.#timer = setTimeout(() => this.kick(), this.settings.pollIntervalMs);
      })
      .finally(() => {
        this.#draining = false;
        if (this.#drainAgain) {
          this.#drainAgain = false;
          this.kick();
        }
      });
  }

  /** Stops taking new messages and waits for the sends already under way. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    clearInterval(this.#recovery);
    await this.#drainRun;
    await Promise.all(this.#inFlight);
  }

  async #drain(): Promise<void> {
    clearTimeout(this.#timer);
    const room = Math.min(this.settings.maxInFlight - this.#inFlight.size, CLAIM_BATCH);
    let budgetWaitMs = 0;
    if (room > 0) {
      const { granted, retryInMs } = await this.budget.take(room);
      budgetWaitMs = retryInMs;
      const claimed = granted > 0 ? await this.outbox.claimDue(this.now(), granted, this.settings.line) : [];
      await this.budget.giveBack(granted - claimed.length);
      // Read ticks and "typing…" for the messages these answer first, so that the indicator ends with the answer
      // instead of outliving it; the batch's messages then leave in their order (an inviter's link before the
      // message to forward).
      const marked = this.#markAnswered(claimed);
      for (const entry of claimed) {
        const sending = marked
          .then(() => this.#send(entry))
          .finally(() => {
            this.#inFlight.delete(sending);
            this.kick();
          });
        this.#inFlight.add(sending);
      }
      if (claimed.length === CLAIM_BATCH) {
        // More may be due: come back after the webhooks waiting in the event loop have had their turn.
        setImmediate(() => this.kick());
        return;
      }
    }
    if (this.#stopped) return;
    const due = await this.outbox.nextDueAtMs(this.settings.line);
    const wait = Math.max(
      due === undefined ? this.settings.pollIntervalMs : Math.max(0, due - this.now()),
      budgetWaitMs,
    );
    this.#timer = setTimeout(() => this.kick(), Math.min(wait, this.settings.pollIntervalMs));
    this.#timer.unref();
  }

  /** Marks read, with the typing indicator, the received messages these answer (first attempts only). Never fails. */
  async #markAnswered(entries: readonly OutboxEntry[]): Promise<void> {
    const markReadTyping = this.client.markReadTyping?.bind(this.client);
    if (markReadTyping === undefined) return;
    const answered = new Set(entries.filter((e) => e.attempts === 1).flatMap((e) => e.answers ?? []));
    await Promise.all(
      [...answered].map((messageId) =>
        markReadTyping(messageId).catch((error: unknown) =>
          this.log.warn({ err: error, messageId }, 'outbox: could not mark the answered message read'),
        ),
      ),
    );
  }

  async #send(entry: OutboxEntry): Promise<void> {
    const log = this.log.child({
      outboxId: entry.id,
      line: entry.line,
      roomId: entry.roomId,
      to: maskPhoneNumber(entry.to),
    });
    let wamid: string;
    try {
      ({ wamid } = await this.client.send({
        line: entry.line,
        to: entry.to,
        content: entry.content,
        correlationId: entry.id,
      }));
    } catch (error) {
      await this.#record(log, () => this.#failed(entry, error, log));
      return;
    }
    await this.#record(log, () => this.outbox.markSent(entry.id, wamid, this.now()));
    this.events.sent?.(entry);
    log.info({ wamid, attempts: entry.attempts }, 'outbox: sent');
  }

  async #failed(entry: OutboxEntry, error: unknown, log: FastifyBaseLogger): Promise<void> {
    const failure =
      error instanceof SendError ? error : new SendError(String(error), { kind: 'api', httpStatus: 500 });
    const details = { code: failure.details.code, httpStatus: failure.details.httpStatus };
    const summary = `${failure.details.code ?? failure.details.httpStatus ?? 'network'}: ${failure.message}`;
    if (failure.retryable && entry.attempts < this.settings.maxAttempts) {
      const delay = this.#retryDelayMs(entry.attempts, failure.details.code);
      await this.outbox.reschedule(entry.id, this.now() + delay, summary, this.now());
      this.events.retrying?.(entry, failure);
      log.warn({ ...details, attempts: entry.attempts, retryInMs: delay }, 'outbox: send failed, will retry');
    } else {
      await this.outbox.markFailed(entry.id, summary, this.now());
      log.error(
        { ...details, fbtraceId: failure.details.fbtraceId, attempts: entry.attempts, err: failure.message },
        'outbox: send failed for good',
      );
      await this.events.failedForGood?.(entry, failure);
    }
  }

  /**
   * Records what a send did. Storage may be away (a database restart): the record is tried again, since a send
   * left unrecorded would otherwise look unsent. Once the worker is stopping it gives up after a few tries: the
   * message stays `sending`, and the next start holds it until a status webhook confirms it.
   */
  async #record(log: FastifyBaseLogger, write: () => Promise<void>): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await write();
        return;
      } catch (error) {
        if (this.#stopped && attempt >= RECORD_TRIES_WHEN_STOPPING) {
          log.error({ err: error }, 'outbox: could not record a send; it waits for its status webhook');
          return;
        }
        log.warn({ err: error, attempt }, 'outbox: storage unavailable, recording the send again');
        await sleep(Math.min(RECORD_RETRY_MAX_MS, RECORD_RETRY_BASE_MS * 2 ** (attempt - 1)));
      }
    }
  }

  /**
   * Exponential backoff with "equal jitter": half fixed, half random, so retries of a burst spread out. The
   * pair rate limit (131056) grows 4× per attempt and is not capped by retryMaxDelayMs.
   */
  #retryDelayMs(attempts: number, code: number | undefined): number {
    const ceiling =
      code === PAIR_RATE_LIMIT_CODE
        ? this.settings.pairRateBaseDelayMs * 4 ** (attempts - 1)
        : Math.min(this.settings.retryMaxDelayMs, this.settings.retryBaseDelayMs * 2 ** (attempts - 1));
    return Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
  }
}
