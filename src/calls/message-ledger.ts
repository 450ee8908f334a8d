import type { Room } from '../rooms/room.js';
import type { OutgoingMessage } from '../whatsapp/outbox/outbox.js';

/** Everything handling one incoming WhatsApp message changes. */
export interface MessageEffects {
  readonly rooms: readonly Room[];
  readonly messages: readonly OutgoingMessage[];
  /** The person who wrote, and when (it opens their 24-hour window); and the language they asked for, if they did. */
  readonly inbound?:
    | { readonly person: string; readonly atMs: number; readonly language?: 'es' | 'en' | undefined }
    | undefined;
}

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
  /** Forgets ids handled before `beforeMs` (Meta stops retrying after 7 days). Returns how many. */
  pruneBefore(beforeMs: number): Promise<number>;
}
