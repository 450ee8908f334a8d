import { z } from 'zod';

// Where call events go: EVENT_WEBHOOKS_JSON, a list of endpoints, each with its URL, its Standard Webhooks
// secret (whsec_ and base64, at least 24 bytes), and optionally the events and lines it wants.

export const EVENT_TYPES = [
  'call.created',
  'invitation.sent',
  'invitation.delivered',
  'invitation.read',
  'invitation.failed',
  'call.declined',
  'participant.joined',
  'participant.left',
  'call.connected',
  'call.ended',
  'call.cancelled',
  'call.rescheduled',
  'call.expired',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** One receiver of events. */
export interface EventEndpoint {
  readonly id: string;
  readonly url: string;
  readonly secret: string;
  /** The events it wants; all when undefined. */
  readonly events: readonly EventType[] | undefined;
  /** The lines whose calls it hears of; all when undefined. */
  readonly lines: readonly string[] | undefined;
}

const secretSchema = z
  .string()
  .regex(/^whsec_[A-Za-z0-9+/]+={0,2}$/, 'must be whsec_ followed by base64 (Standard Webhooks)')
  .refine((secret) => Buffer.from(secret.slice(6), 'base64').length >= 24, 'must hold at least 24 bytes');

const endpointSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,31}$/, 'must be up to 32 lowercase letters, digits, - or _'),
  url: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }),
  secret: secretSchema,
  events: z.array(z.enum(EVENT_TYPES)).min(1).optional(),
  lines: z.array(z.string()).min(1).optional(),
});

/** The endpoints EVENT_WEBHOOKS_JSON declares; problems are named by their place. */
export function parseEventEndpoints(json: string | undefined, problems: string[]): EventEndpoint[] {
  if (json === undefined) return [];
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    problems.push('EVENT_WEBHOOKS_JSON: is not valid JSON');
    return [];
  }
  const parsed = z.array(endpointSchema).safeParse(raw);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const where = issue.path.map((part) => (typeof part === 'number' ? `[${part}]` : `.${String(part)}`));
      problems.push(`EVENT_WEBHOOKS_JSON${where.join('')}: ${issue.message}`);
    }
    return [];
  }
  return parsed.data.map((endpoint) => ({
    id: endpoint.id,
    url: endpoint.url,
    secret: endpoint.secret,
    events: endpoint.events,
    lines: endpoint.lines,
  }));
}
