import type { WaId } from './phone-number.js';

/** A Cloud API message body, less `messaging_product` and the recipient, which the client adds. */
export type MessageContent = Readonly<Record<string, unknown>> & { readonly type: string };

/** A message the bot has decided to send. Its id is derived from what caused it, so a retry cannot add another. */
export interface OutgoingMessage {
  readonly id: string;
  readonly to: WaId;
  readonly content: MessageContent;
  readonly roomId?: string | undefined;
}

export type OutboxState = 'pending' | 'sending' | 'sent' | 'failed';

/** An outgoing message with its delivery record. */
export interface OutboxEntry extends OutgoingMessage {
  readonly state: OutboxState;
  readonly attempts: number;
  readonly nextAttemptAtMs: number;
  readonly wamid?: string | undefined;
  readonly lastError?: string | undefined;
}

/**
 * The persistent queue of outgoing messages. Messages enter through MessageLedger.commit; the outbox worker
 * moves them through pending → sending → sent | failed.
 */
export interface Outbox {
  /** Marks up to `limit` due pending messages as sending (one more attempt each) and returns them. */
  claimDue(nowMs: number, limit: number): Promise<OutboxEntry[]>;
  /** The earliest time a pending message is due, if any. */
  nextDueAtMs(): Promise<number | undefined>;
  markSent(id: string, wamid: string, nowMs: number): Promise<void>;
  /** Back to pending, to be tried again at `atMs`. */
  reschedule(id: string, atMs: number, error: string, nowMs: number): Promise<void>;
  markFailed(id: string, error: string, nowMs: number): Promise<void>;
  /** Messages left in `sending` by a process that died; they are due again. Returns how many. */
  recoverInterrupted(nowMs: number): Promise<number>;
  get(id: string): Promise<OutboxEntry | undefined>;
}
