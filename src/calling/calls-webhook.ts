import { z } from 'zod';

// The `calls` field of WhatsApp's webhooks (Calling API): a person's call to the business (`connect` with their
// SDP offer), its end (`terminate`), and the progress of calls the business places. Only what the bridge reads.

const sessionSchema = z.object({
  sdp_type: z.enum(['offer', 'answer']),
  sdp: z.string().min(1).max(65_536),
});

export const callItemSchema = z.object({
  id: z.string().min(1).max(512),
  from: z.string().max(64).optional(),
  to: z.string().max(64).optional(),
  event: z.string().min(1).max(64),
  direction: z.string().max(64).optional(),
  timestamp: z.string().optional(),
  session: sessionSchema.optional(),
  /** The payload of the voice-call button the person tapped. */
  cta_payload: z.string().max(512).optional(),
  /** The payload of the wa.me/call link the person opened. */
  deeplink_payload: z.string().max(512).optional(),
  status: z.string().max(64).optional(),
  duration: z.number().optional(),
});
export type CallItem = z.infer<typeof callItemSchema>;

/** What a `calls` change carries for one of our numbers. */
export interface CallNotification {
  readonly phoneNumberId: string | undefined;
  readonly call: CallItem;
}

/** Reads the `calls` items of a change's value; a malformed one is reported with why, never dropped silently. */
export function readCalls(
  value: { calls?: unknown[] | undefined },
  phoneNumberId: string | undefined,
): { calls: CallNotification[]; rejected: string[] } {
  const calls: CallNotification[] = [];
  const rejected: string[] = [];
  for (const raw of value.calls ?? []) {
    const parsed = callItemSchema.safeParse(raw);
    if (parsed.success) calls.push({ phoneNumberId, call: parsed.data });
    else rejected.push(z.prettifyError(parsed.error));
  }
  return { calls, rejected };
}

/** The payload naming the room, from a button or a deep link. */
export function callPayload(call: CallItem): string | undefined {
  return call.cta_payload ?? call.deeplink_payload;
}
