import { z } from 'zod';
import { oneLine, wellFormed } from '../../text-from-people.js';

// The incoming message as the invitation rules read it: only the fields the bot uses (the webhook envelope
// around it is in webhook/webhook-payload.ts).

/** Text a person wrote, cleaned where it enters (text-from-people.ts). */
const personTextSchema = z.string().transform(wellFormed);
/** A name a person chose (a profile, a contact card): one clean line. */
export const personNameSchema = z.string().transform((name) => oneLine(name));

const contactCardSchema = z.object({
  name: z
    .object({ formatted_name: personNameSchema.optional(), first_name: personNameSchema.optional() })
    .optional(),
  // A person known by a username may be shared with only their user id.
  phones: z
    .array(
      z.object({
        phone: z.string().optional(),
        wa_id: z.string().optional(),
        user_id: z.string().optional(),
      }),
    )
    .optional(),
});

/** One incoming message. `from` is missing for people who use a WhatsApp username. */
export const inboundMessageSchema = z.object({
  id: z.string().min(1),
  from: z
    .string()
    .regex(/^\d{4,20}$/)
    .optional(),
  from_user_id: z.string().optional(),
  timestamp: z.string().optional(),
  type: z.string(),
  text: z.object({ body: personTextSchema }).optional(),
  contacts: z.array(contactCardSchema).optional(),
  interactive: z
    .object({
      type: z.string(),
      button_reply: z.object({ id: z.string(), title: z.string().optional() }).optional(),
    })
    .optional(),
  button: z.object({ payload: z.string().optional(), text: z.string().optional() }).optional(),
});
export type InboundMessage = z.infer<typeof inboundMessageSchema>;

/** An incoming message with the sender's profile name, when Meta sent one, and the number it was sent to. */
export interface ReceivedMessage {
  readonly message: InboundMessage;
  readonly senderName: string | undefined;
  /** metadata.phone_number_id: which of the business numbers (lines) it reached. */
  readonly phoneNumberId?: string | undefined;
}
