import type { WaId } from '../../phone-number.js';
import type { Language } from '../../protocol/language.js';

/** A Cloud API message body, less `messaging_product` and the recipient, which the client adds. */
export type MessageContent = Readonly<Record<string, unknown>> & { readonly type: string };

/** Why a message is sent: it decides what a failure to deliver it leads to. */
export type MessageKind = 'reply' | 'inviter-link' | 'invitation' | 'failure-notice' | 'event';

/** What the bot needs to tell the inviter if an invitation cannot be delivered. */
export interface InvitationContext {
  readonly inviter: string;
  readonly inviterLanguage: Language;
  readonly inviteeLabel: string;
  /** wa.me link that opens the inviter's own chat with the invitee, the invitation filled in. */
  readonly forwardUrl: string;
}

/** A message the bot has decided to send. Its id is derived from what caused it, so a retry cannot add another. */
export interface OutgoingMessage {
  readonly id: string;
  readonly kind: MessageKind;
  /** The line (business number) it leaves from: the one the person wrote to. */
  readonly line: string;
  readonly to: WaId;
  readonly content: MessageContent;
  readonly roomId?: string | undefined;
  readonly context?: InvitationContext | undefined;
  /**
   * The received message this one answers: the worker marks it read, with the typing indicator, just before
   * sending this one (so that the indicator never outlives the reply).
   */
  readonly answers?: string | undefined;
}

/**
 * pending → sending → sent | failed. A message found `sending` after a crash may or may not have reached Meta:
 * it becomes `unconfirmed` until a status webhook confirms it (sent) or a wait passes with none (sent again).
 */
export type OutboxState = 'pending' | 'sending' | 'unconfirmed' | 'sent' | 'failed';

/** What WhatsApp reported last about a sent message; later reports never go back (read beats delivered). */
export type DeliveryStatus = 'sent' | 'delivered' | 'read' | 'failed';

/** An outgoing message with its delivery record. */
export interface OutboxEntry extends OutgoingMessage {
  readonly state: OutboxState;
  readonly attempts: number;
  readonly nextAttemptAtMs: number;
  readonly wamid?: string | undefined;
  readonly lastError?: string | undefined;
  readonly delivery?: DeliveryStatus | undefined;
  readonly deliveryError?: number | undefined;
}

/** A status webhook, reduced to what the outbox records. */
export interface StatusReport {
  readonly wamid: string;
  /** biz_opaque_callback_data: the outbox id the message was sent with. */
  readonly correlationId?: string | undefined;
  readonly status: DeliveryStatus;
  readonly errorCode?: number | undefined;
}

/**
 * The persistent queue of outgoing messages. Messages enter through MessageLedger.commit; the outbox worker
 * sends them; status webhooks confirm them.
 */
export interface Outbox {
  /**
   * Marks up to `limit` due pending or unconfirmed messages as sending (one more attempt each), oldest first;
   * only `line`'s when given.
   */
  claimDue(nowMs: number, limit: number, line?: string): Promise<OutboxEntry[]>;
  /** The earliest time a pending or unconfirmed message (of `line`, when given) is due, if any. */
  nextDueAtMs(line?: string): Promise<number | undefined>;
  markSent(id: string, wamid: string, nowMs: number): Promise<void>;
  /** Back to pending, to be tried again at `atMs`. */
  reschedule(id: string, atMs: number, error: string, nowMs: number): Promise<void>;
  markFailed(id: string, error: string, nowMs: number): Promise<void>;
  /**
   * Messages a dead process left `sending` become `unconfirmed`, due again at `retryAtMs` unless a status
   * webhook confirms them first. Returns how many.
   */
  recoverInterrupted(retryAtMs: number, nowMs: number): Promise<number>;
  /**
   * Records a status webhook against the message it is about (by correlation id, else by wamid). A report
   * confirms an unconfirmed or sending message as sent. Returns the entry and whether its delivery changed;
   * undefined for messages this outbox never sent.
   */
  recordStatus(
    report: StatusReport,
    nowMs: number,
  ): Promise<{ entry: OutboxEntry; changed: boolean } | undefined>;
  get(id: string): Promise<OutboxEntry | undefined>;
}
