import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { CountryCode } from 'libphonenumber-js';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { AppError } from '../errors.js';
import { parsePhoneNumber } from '../phone-number.js';
import { deliverSigned } from './sandbox-webhook.js';
import type { SandboxChat } from './sandbox-chat.js';
import type { Line } from '../config.js';

export interface SandboxOptions {
  readonly chat: SandboxChat;
  readonly appSecret: string;
  /** The lines the sandbox simulates: a person writes to one of them (the first when they do not say). */
  readonly lines: readonly [Line, ...Line[]];
  readonly webRoot: string;
  readonly defaultCountry: CountryCode | undefined;
  readonly now: () => number;
}

const incomingSchema = z.object({
  from: z.string().min(1).max(40),
  line: z.string().max(32).optional(),
  name: z.string().trim().max(60).optional(),
  text: z.string().min(1).max(4096).optional(),
  contact: z.object({ name: z.string().trim().max(60), phone: z.string().min(1).max(40) }).optional(),
});
const forwardSchema = z.object({
  from: z.string().min(1).max(40),
  to: z.string().min(1).max(40),
  text: z.string().min(1).max(4096),
});
const eventsQuerySchema = z.object({ after: z.coerce.number().int().min(0).default(0) });

/** A Cloud API notification as Meta would send it for one message from `from` to `line`. */
function notification(
  line: Line,
  from: string,
  name: string,
  id: string,
  nowMs: number,
  body: { text: string } | { contact: { name: string; phone: string } },
): object {
  const message =
    'text' in body
      ? { type: 'text', text: { body: body.text } }
      : {
          type: 'contacts',
          contacts: [
            {
              name: { formatted_name: body.contact.name },
              phones: [{ phone: body.contact.phone, type: 'CELL' }],
            },
          ],
        };
  return {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: 'sandbox',
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: {
                display_phone_number: line.botNumber ?? '15550000000',
                phone_number_id: line.phoneNumberId,
              },
              contacts: [{ profile: { name }, wa_id: from }],
              messages: [{ from, id, timestamp: String(Math.floor(nowMs / 1000)), ...message }],
            },
          },
        ],
      },
    ],
  };
}

/**
 * `GET /sandbox`: a chat page to try the bot without a Meta account. What a simulated person writes is signed
 * with the app secret and posted to /webhook, the same code path as real traffic; the bot's replies come back
 * through SandboxChat. Registered only when no WhatsApp token is configured.
 */
export function sandboxRoute(app: FastifyInstance, options: SandboxOptions): Promise<void> {
  const page = readFileSync(path.join(options.webRoot, 'sandbox.html'), 'utf8');

  app.get('/sandbox', (_request, reply) =>
    reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(page),
  );

  app.get('/sandbox/lines', () => ({
    lines: options.lines.map((line) => ({ id: line.id, name: line.displayName ?? line.id })),
  }));

  app.get('/sandbox/events', (request) => {
    const { after } = eventsQuerySchema.parse(request.query);
    return { events: options.chat.eventsAfter(after) };
  });

  app.post('/sandbox/messages', async (request, reply) => {
    const input = incomingSchema.safeParse(request.body);
    if (!input.success || (input.data.text === undefined) === (input.data.contact === undefined)) {
      throw new AppError('BAD_REQUEST', 'Send {"from", "text"} or {"from", "contact": {"name", "phone"}}.');
    }
    const from = parsePhoneNumber(input.data.from, options.defaultCountry);
    if (from === undefined)
      throw new AppError('BAD_REQUEST', 'from must be a phone number with its country code.');
    const line =
      input.data.line === undefined
        ? options.lines[0]
        : options.lines.find((candidate) => candidate.id === input.data.line);
    if (line === undefined) {
      const known = options.lines.map((candidate) => candidate.id).join(', ');
      throw new AppError('BAD_REQUEST', `line must be one of the sandbox's lines: ${known}.`);
    }

    const id = `wamid.sandbox.in.${randomBytes(9).toString('base64url')}`;
    const nowMs = options.now();
    const { text, contact } = input.data;
    const body = JSON.stringify(
      notification(
        line,
        from,
        input.data.name ?? `+${from}`,
        id,
        nowMs,
        contact ? { contact } : { text: text as string },
      ),
    );
    options.chat.recordIncoming(
      line.id,
      from,
      contact ? `📇 ${contact.name} ${contact.phone}` : (text as string),
      id,
    );

    const delivered = await deliverSigned(app, body, options.appSecret);
    return reply.code(delivered.statusCode).type('application/json').send(delivered.body);
  });

  // What a wa.me link does on a phone: the inviter sends the invitation to the invitee from their own chat.
  // Person to person, so the bot never sees it.
  app.post('/sandbox/forward', (request) => {
    const input = forwardSchema.safeParse(request.body);
    if (!input.success) throw new AppError('BAD_REQUEST', 'Send {"from", "to", "text"}.');
    const from = parsePhoneNumber(input.data.from, options.defaultCountry);
    const to = parsePhoneNumber(input.data.to, options.defaultCountry);
    if (from === undefined || to === undefined) {
      throw new AppError('BAD_REQUEST', 'from and to must be phone numbers with their country code.');
    }
    options.chat.recordForwarded(from, to, input.data.text);
    return { forwarded: true };
  });
  return Promise.resolve();
}
