import type { Room } from '../rooms/room.js';
import type { GuardedWrite, LimitReason } from './create-call.js';
import type { OutgoingMessage } from '../whatsapp/outbox/outbox.js';
import type { Language } from '../protocol/language.js';
import type { HistoryEvent } from '../history/call-history.js';

/** Everything handling one incoming WhatsApp message (or one API request) changes. */
export interface MessageEffects {
  /** An API request with an Idempotency-Key, recorded with the call it made. */
  readonly apiRequest?: IdempotentRequest | undefined;
  readonly rooms: readonly Room[];
  readonly messages: readonly OutgoingMessage[];
  /** What happened to existing calls, for their history (each event once). */
  readonly history?: readonly HistoryEvent[] | undefined;
  /**
   * The person who wrote, to which line, and when (it opens their 24-hour window there); and the language they
   * asked for, if they did.
   */
  readonly inbound?:
    | {
        /** Their user id when Meta gave one, else their number. */
        readonly person: string;
        /** Their number, when Meta gave it beside the user id: the two are linked, one person. */
        readonly number?: string | undefined;
        readonly line: string;
        readonly atMs: number;
        readonly language?: Language | undefined;
      }
    | undefined;
}

/** An API request made with an Idempotency-Key: what was asked (a hash) and what was answered. */
export interface IdempotentRequest {
  readonly keyId: string;
  readonly idempotencyKey: string;
  readonly bodyHash: string;
  readonly answer: unknown;
}

/** A new call and what to write instead if a limit refuses it. */
export type GuardedCall = GuardedWrite<MessageEffects>;

/** What committing a call did. */
export type CallCommit = 'created' | 'duplicate' | LimitReason;

/**
 * The record of handled incoming messages. Meta delivers webhooks at least once, sometimes twice at the same
 * moment; committing the message id together with its effects, atomically, makes handling exactly-once.
 */
export interface MessageLedger {
  /**
   * Records message `messageId` as handled and writes its effects, all or nothing. Returns false, writing
   * nothing, when the message was handled before.
   */
  commit(messageId: string, effects: MessageEffects, nowMs: number): Promise<boolean>;
  /**
   * Records message `messageId` as handled together with a new call, checking the call's limits inside the
   * same transaction: the call's effects are written if they allow it, the refusal's effects if not, nothing
   * if the message was handled before. Says which.
   */
  commitCall(messageId: string, call: GuardedCall, nowMs: number): Promise<CallCommit>;
  /** Forgets ids handled before `beforeMs` (Meta stops retrying after 7 days). Returns how many. */
  pruneBefore(beforeMs: number): Promise<number>;
}
