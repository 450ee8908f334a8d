import { z } from 'zod';

// The REST API's bodies and answers, as zod schemas: they check every request and answer, and the OpenAPI
// document is generated from them (openapi.ts).

const BSUID = /^[A-Z]{2}\.[A-Za-z0-9.]{1,160}$/;

const nameSchema = z
  .string()
  .trim()
  .min(1)
  .max(60)
  .meta({ description: 'Shown on the call page and in messages' });
const phoneSchema = z.string().trim().min(4).max(40).meta({
  description: 'A WhatsApp number with its country code (or in the line’s country)',
  example: '+573001234567',
});
const userIdSchema = z
  .string()
  .regex(BSUID, 'must be a WhatsApp user id such as CO.13491208655302741918')
  .meta({ description: 'A WhatsApp business-scoped user id, for people who use a username' });

const hostSchema = z.strictObject({
  name: nameSchema,
  phone: phoneSchema.optional(),
  userId: userIdSchema.optional(),
  invite: z
    .boolean()
    .optional()
    .meta({ description: 'Send the host their link on WhatsApp (default false)' }),
});

const guestSchema = z
  .strictObject({
    name: nameSchema.optional(),
    phone: phoneSchema.optional(),
    userId: userIdSchema.optional(),
    invite: z
      .boolean()
      .optional()
      .meta({ description: 'Send the guest their link on WhatsApp (default true)' }),
  })
  .refine((guest) => guest.phone !== undefined || guest.userId !== undefined, {
    message: 'needs a phone or a userId',
    path: ['phone'],
  });

/** `POST /api/v1/calls`. */
export const createCallBodySchema = z
  .strictObject({
    host: hostSchema,
    guest: guestSchema,
    line: z
      .string()
      .max(32)
      .optional()
      .meta({ description: 'The line (business number) it belongs to; the first line by default' }),
    expiresIn: z
      .number()
      .int()
      .min(60)
      .max(30 * 24 * 3600)
      .optional()
      .meta({
        description: 'Seconds the links stay valid (after startsAt for a booked call); ROOM_TTL by default',
      }),
    startsAt: z.iso.datetime({ offset: true }).optional().meta({
      description:
        'A booked call: when it starts (ISO 8601, with its offset), at most 90 days ahead. Its room opens 15 minutes before; both people are told the time in their own zone and reminded before it (REMINDER_BEFORE).',
      example: '2026-12-04T15:30:00-05:00',
    }),
    metadata: z
      .record(z.string(), z.unknown())
      .refine((value) => JSON.stringify(value).length <= 4096, 'must be at most 4 KB of JSON')
      .optional()
      .meta({ description: 'Anything of yours, up to 4 KB, echoed in answers' }),
  })
  .meta({
    id: 'CreateCall',
    example: { host: { name: 'Clínica Norte' }, guest: { phone: '+573001234567', name: 'Luis' } },
  });
export type CreateCallBody = z.infer<typeof createCallBodySchema>;

const invitationSchema = z
  .object({
    state: z
      .enum(['not_requested', 'not_sent', 'queued', 'sent', 'delivered', 'read', 'failed'])
      .meta({ description: 'Where the WhatsApp message with this person’s link is' }),
    via: z
      .enum(['window', 'template'])
      .optional()
      .meta({ description: 'Free-form inside their 24 h window, or the template' }),
    reason: z
      .string()
      .optional()
      .meta({ description: 'Why it was not sent, or why it failed (Meta’s code and the reason in words)' }),
    forwardLink: z.string().optional().meta({
      description: 'wa.me link that opens a chat with the guest, the invitation written (when not sent)',
    }),
  })
  .meta({ id: 'Invitation' });

const participantSchema = z
  .object({
    name: z.string().optional(),
    phone: z.string().optional(),
    userId: z.string().optional(),
    joinedAt: z.iso.datetime().optional().meta({ description: 'When they first took their seat' }),
    invitation: invitationSchema,
  })
  .meta({ id: 'Participant' });

export const CALL_STATUSES = ['created', 'invited', 'joined', 'connected', 'expired', 'cancelled'] as const;

/** A call as `GET /api/v1/calls/{id}` shows it. */
export const callSchema = z
  .object({
    id: z.string(),
    status: z.enum(CALL_STATUSES).meta({
      description:
        'created; invited (a message went out); joined (one person in); connected (both took their seats); expired; cancelled',
    }),
    line: z.string(),
    createdAt: z.iso.datetime(),
    expiresAt: z.iso.datetime(),
    startsAt: z.iso.datetime().optional().meta({ description: 'A booked call: when it starts' }),
    opensAt: z.iso.datetime().optional().meta({ description: 'A booked call: when its room opens' }),
    cancelledAt: z.iso.datetime().optional(),
    host: participantSchema,
    guest: participantSchema,
    metadata: z.record(z.string(), z.unknown()).optional(),
  })
  .meta({ id: 'Call' });
export type CallView = z.infer<typeof callSchema>;

/** The answer to `POST /api/v1/calls`: the call, with each person's link (given only here). */
export const createdCallSchema = callSchema
  .extend({
    links: z.object({ host: z.string(), guest: z.string() }).meta({
      description:
        'Each person’s private link; shown only in this answer (and to a retry with the same Idempotency-Key)',
    }),
  })
  .meta({ id: 'CreatedCall' });
export type CreatedCall = z.infer<typeof createdCallSchema>;

export const callListSchema = z
  .object({
    calls: z.array(callSchema),
    nextCursor: z
      .string()
      .optional()
      .meta({ description: 'Pass as ?cursor= for the next page; absent on the last' }),
  })
  .meta({ id: 'CallList' });

export const listQuerySchema = z.strictObject({
  cursor: z.string().max(200).optional(),
  status: z.enum(CALL_STATUSES).optional(),
  limit: z.coerce.number().int().min(1).max(100).optional(),
});

/** `POST /api/v1/calls/{id}/reschedule`. */
export const rescheduleBodySchema = z
  .strictObject({
    startsAt: z.iso.datetime({ offset: true }).meta({
      description: 'The new time (ISO 8601, with its offset), at most 90 days ahead',
      example: '2026-12-05T09:00:00-05:00',
    }),
  })
  .meta({ id: 'RescheduleCall' });

export const callIdSchema = z.object({ id: z.string().regex(/^[A-Za-z0-9_-]{22}$/) });

export const errorBodySchema = z
  .object({ code: z.string(), message: z.string() })
  .meta({ id: 'Error', description: 'Every error: a stable code (docs/errors.md) and a sentence' });
