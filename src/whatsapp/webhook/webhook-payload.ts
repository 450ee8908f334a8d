import { z } from 'zod';
import { readCalls, type CallNotification } from '../../calling/calls-webhook.js';
import {
  inboundMessageSchema,
  personNameSchema,
  type ReceivedMessage,
} from '../invitations/inbound-message.js';

// Only the fields the bot reads; everything else in Meta's payloads is ignored, so new fields never break us.

/** A delivery report for a message the bot sent. */
export const messageStatusSchema = z.object({
  id: z.string().min(1),
  status: z.string(),
  timestamp: z.string().optional(),
  recipient_id: z.string().optional(),
  /** Instead of recipient_id for a message sent to a user id (BSUID). */
  recipient_user_id: z.string().optional(),
  biz_opaque_callback_data: z.string().optional(),
  errors: z
    .array(
      z.object({
        code: z.number(),
        title: z.string().optional(),
        error_data: z.object({ details: z.string().optional() }).optional(),
      }),
    )
    .optional(),
});
export type MessageStatus = z.infer<typeof messageStatusSchema>;

const profileSchema = z.object({
  profile: z.object({ name: personNameSchema.optional() }).optional(),
  wa_id: z.string().optional(),
  user_id: z.string().optional(),
});

/**
 * The notification envelope. Messages and statuses stay unparsed here so that one malformed item is reported
 * on its own instead of costing the whole batch (Meta would retry the batch for days).
 */
export const webhookPayloadSchema = z.object({
  object: z.literal('whatsapp_business_account'),
  entry: z.array(
    z.object({
      id: z.string().optional(),
      changes: z.array(
        z.object({
          field: z.string(),
          value: z.object({
            metadata: z.object({ phone_number_id: z.string().optional() }).optional(),
            contacts: z.array(profileSchema).optional(),
            messages: z.array(z.unknown()).optional(),
            statuses: z.array(z.unknown()).optional(),
            calls: z.array(z.unknown()).optional(),
            errors: z.array(z.unknown()).optional(),
          }),
        }),
      ),
    }),
  ),
});
export type WebhookPayload = z.infer<typeof webhookPayloadSchema>;

/** An error Meta reports about the number or the app, outside any message or status (`value.errors`). */
export const valueErrorSchema = z.object({
  code: z.number(),
  title: z.string().optional(),
  message: z.string().optional(),
  error_data: z.object({ details: z.string().optional() }).optional(),
});
export type ValueError = z.infer<typeof valueErrorSchema>;

/** What a webhook notification carries, flattened across every entry and change. */
export interface WebhookContents {
  readonly messages: ReceivedMessage[];
  readonly statuses: MessageStatus[];
  /** WhatsApp voice calls to a business number (the `calls` field). */
  readonly calls: CallNotification[];
  /** Errors Meta reported outside a message or a status. */
  readonly errors: ValueError[];
  /**
   * Changes for a business number this service does not serve (another number of the same Meta app): counted
   * and acknowledged, never answered.
   */
  readonly otherNumbers: { phoneNumberId: string; messages: number; statuses: number }[];
  /** Items that did not match their schema, with why; reported, never silently dropped. */
  readonly rejected: { kind: 'message' | 'status' | 'error' | 'call'; reason: string }[];
}

/**
 * Walks every entry, change, message and status of a parsed notification. With `serves`, only changes for the
 * business numbers it accepts are read (each message keeps the number it was sent to); the others are listed
 * in `otherNumbers`.
 */
export function readWebhookContents(
  payload: WebhookPayload,
  options: { serves?: (phoneNumberId: string) => boolean } = {},
): WebhookContents {
  const contents: WebhookContents = {
    messages: [],
    statuses: [],
    calls: [],
    errors: [],
    otherNumbers: [],
    rejected: [],
  };
  for (const entry of payload.entry) {
    for (const change of entry.changes) {
      if (change.field !== 'messages' && change.field !== 'calls') continue;
      const { value } = change;
      const to = value.metadata?.phone_number_id;
      if (options.serves !== undefined && to !== undefined && !options.serves(to)) {
        contents.otherNumbers.push({
          phoneNumberId: to,
          messages: value.messages?.length ?? 0,
          statuses: value.statuses?.length ?? 0,
        });
        continue;
      }
      if (change.field === 'calls') {
        const { calls, rejected } = readCalls(value, to);
        contents.calls.push(...calls);
        for (const reason of rejected) contents.rejected.push({ kind: 'call', reason });
        continue;
      }
      for (const raw of value.errors ?? []) {
        const parsed = valueErrorSchema.safeParse(raw);
        if (parsed.success) contents.errors.push(parsed.data);
        else contents.rejected.push({ kind: 'error', reason: z.prettifyError(parsed.error) });
      }
      for (const raw of value.messages ?? []) {
        const parsed = inboundMessageSchema.safeParse(raw);
        if (!parsed.success) {
          contents.rejected.push({ kind: 'message', reason: z.prettifyError(parsed.error) });
          continue;
        }
        const message = parsed.data;
        if (message.from === undefined && message.from_user_id === undefined) {
          // Nobody to answer, and nobody whose window or limits it would count for.
          contents.rejected.push({ kind: 'message', reason: 'neither from nor from_user_id' });
          continue;
        }
        const profile = value.contacts?.find(
          (c) =>
            (message.from !== undefined && c.wa_id === message.from) ||
            (message.from_user_id !== undefined && c.user_id === message.from_user_id),
        );
        // A batch with a single profile belongs to its only sender even when the ids are not repeated.
        const only = value.contacts?.length === 1 ? value.contacts[0] : undefined;
        contents.messages.push({
          message,
          senderName: (profile ?? only)?.profile?.name,
          phoneNumberId: to,
        });
      }
      for (const raw of value.statuses ?? []) {
        const parsed = messageStatusSchema.safeParse(raw);
        if (parsed.success) contents.statuses.push(parsed.data);
        else contents.rejected.push({ kind: 'status', reason: z.prettifyError(parsed.error) });
      }
    }
  }
  return contents;
}
