import { z } from 'zod';
import { LANGUAGES } from '../../protocol/language.js';
import type { DeliveryStatus, MessageKind, OutboxEntry, OutboxState, OutgoingMessage } from './outbox.js';

// An outbox row as every SQL backend stores it, and the one way back to an OutboxEntry. JSON columns arrive as
// text (SQLite) or already parsed (PostgreSQL).

const contentSchema = z.looseObject({ type: z.string() });
const contextSchema = z.object({
  inviter: z.string(),
  inviterLanguage: z.enum(LANGUAGES),
  inviteeLabel: z.string(),
  forwardUrl: z.string(),
});

/** A later report never undoes an earlier, further one: delivered after read is ignored. */
export const DELIVERY_RANK: Record<DeliveryStatus, number> = { sent: 1, delivered: 2, read: 3, failed: 4 };

/** The columns of an outbox row. */
export interface OutboxRecord {
  id: string;
  kind: MessageKind;
  line: string;
  room_id: string | null;
  recipient: string;
  payload: unknown;
  context: unknown;
  answers: string | null;
  state: OutboxState;
  attempts: number;
  next_attempt_at: number;
  created_at: number;
  wamid: string | null;
  last_error: string | null;
  delivery: DeliveryStatus | null;
  delivery_error: number | null;
}

const json = (value: unknown): unknown => (typeof value === 'string' ? JSON.parse(value) : value);

/** The entry a row holds, its JSON checked. */
export function outboxEntryOf(row: OutboxRecord): OutboxEntry {
  return {
    id: row.id,
    kind: row.kind,
    line: row.line,
    to: row.recipient,
    content: contentSchema.parse(json(row.payload)),
    roomId: row.room_id ?? undefined,
    context: row.context === null ? undefined : contextSchema.parse(json(row.context)),
    answers: row.answers ?? undefined,
    state: row.state,
    attempts: row.attempts,
    nextAttemptAtMs: row.next_attempt_at,
    wamid: row.wamid ?? undefined,
    lastError: row.last_error ?? undefined,
    delivery: row.delivery ?? undefined,
    deliveryError: row.delivery_error ?? undefined,
  };
}

/**
 * A new message's columns, in the order id, kind, line, room_id, recipient, payload, context (JSON as text),
 * answers.
 */
export function outboxColumnsOf(
  message: OutgoingMessage,
): [string, MessageKind, string, string | null, string, string, string | null, string | null] {
  return [
    message.id,
    message.kind,
    message.line,
    message.roomId ?? null,
    message.to,
    JSON.stringify(message.content),
    message.context === undefined ? null : JSON.stringify(message.context),
    message.answers ?? null,
  ];
}
