import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { CountryCode } from 'libphonenumber-js';
import { z } from 'zod';
import type { CallAction, CallingActions } from '../calling/calling-actions.js';
import type { Line } from '../config.js';
import { AppError } from '../errors.js';
import { parsePhoneNumber } from '../phone-number.js';
import { deliverSigned } from './sandbox-webhook.js';
import type { SandboxChat } from './sandbox-chat.js';

// WhatsApp voice calls in the sandbox: the sandbox page is the person's phone (its microphone, a browser peer
// connection), the service's own bridge answers it. The call's webhooks are signed and posted to /webhook like
// Meta's, and what the service does with the call (pre_accept, accept, reject, terminate) comes back here.

/** The business number the sandbox's invitations call when a line has none of its own. */
export const SANDBOX_BUSINESS_NUMBER = '15550000000';

type Answer = { readonly sdp: string } | { readonly rejected: true };

/** The Graph API's calling actions, as the sandbox plays them. */
export class SandboxCalling implements CallingActions {
  readonly #waiting = new Map<string, (answer: Answer) => void>();

  constructor(private readonly chat: SandboxChat) {}

  run(_line: unknown, action: CallAction): Promise<void> {
    if (action.action === 'pre_accept') this.#waiting.get(action.callId)?.({ sdp: action.sdp });
    else if (action.action === 'reject') this.#waiting.get(action.callId)?.({ rejected: true });
    else if (action.action === 'terminate') this.chat.recordCallEnded(action.callId);
    return Promise.resolve();
  }

  /** The service's answer to a call, once it gives one (its SDP, or a refusal); `undefined` after `timeoutMs`. */
  answer(callId: string, timeoutMs: number): Promise<Answer | undefined> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => finish(undefined), timeoutMs);
      const finish = (answer: Answer | undefined) => {
        clearTimeout(timer);
        this.#waiting.delete(callId);
        resolve(answer);
      };
      this.#waiting.set(callId, finish);
    });
  }
}

const callSchema = z.object({
  from: z.string().min(1).max(40),
  line: z.string().max(32).optional(),
  payload: z.string().min(1).max(512),
  sdp: z.string().min(1).max(65_536),
});
const callIdSchema = z.object({ id: z.string().regex(/^wacid\.sandbox\.[\w-]{12}$/) });

/** A `calls` notification as Meta sends it, for one event of the call. */
function callsNotification(line: Line, from: string, call: Record<string, unknown>, nowMs: number): string {
  return JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [
      {
        id: 'sandbox',
        changes: [
          {
            field: 'calls',
            value: {
              messaging_product: 'whatsapp',
              metadata: {
                display_phone_number: line.botNumber ?? SANDBOX_BUSINESS_NUMBER,
                phone_number_id: line.phoneNumberId,
              },
              contacts: [{ profile: { name: `+${from}` }, wa_id: from }],
              calls: [
                {
                  from,
                  to: line.botNumber ?? SANDBOX_BUSINESS_NUMBER,
                  timestamp: String(Math.floor(nowMs / 1000)),
                  direction: 'USER_INITIATED',
                  ...call,
                },
              ],
            },
          },
        ],
      },
    ],
  });
}

/**
 * `POST /sandbox/calls`: the sandbox page calls the business from a person's chat (their `wa.me/call` link) with
 * its SDP offer, and gets the service's answer back; `POST /sandbox/calls/:id/hangup` ends it from the phone.
 */
export function sandboxCallsRoute(
  app: FastifyInstance,
  options: {
    readonly calling: SandboxCalling;
    readonly appSecret: string;
    readonly lines: readonly [Line, ...Line[]];
    readonly defaultCountry: CountryCode | undefined;
    readonly now: () => number;
  },
): Promise<void> {
  const deliver = (body: string) => deliverSigned(app, body, options.appSecret);
  const calls = new Map<string, { line: Line; from: string }>();

  app.post('/sandbox/calls', async (request) => {
    const input = callSchema.safeParse(request.body);
    if (!input.success) throw new AppError('BAD_REQUEST', 'Send {"from", "payload", "sdp"} (and "line").');
    const from = parsePhoneNumber(input.data.from, options.defaultCountry);
    const line = options.lines.find((candidate) => candidate.id === input.data.line) ?? options.lines[0];
    if (from === undefined)
      throw new AppError('BAD_REQUEST', 'from must be a phone number with its country code.');
    const callId = `wacid.sandbox.${randomBytes(9).toString('base64url')}`;
    const answered = options.calling.answer(callId, 20_000);
    calls.set(callId, { line, from });
    await deliver(
      callsNotification(
        line,
        from,
        {
          id: callId,
          event: 'connect',
          session: { sdp_type: 'offer', sdp: input.data.sdp },
          deeplink_payload: input.data.payload,
        },
        options.now(),
      ),
    );
    const answer = await answered;
    if (answer === undefined || 'rejected' in answer) {
      calls.delete(callId);
      return { callId, rejected: true };
    }
    return { callId, sdp: answer.sdp };
  });

  app.post('/sandbox/calls/:id/hangup', async (request) => {
    const { id } = callIdSchema.parse(request.params);
    const call = calls.get(id);
    if (call === undefined) return { ended: false };
    calls.delete(id);
    await deliver(
      callsNotification(call.line, call.from, { id, event: 'terminate', status: 'COMPLETED' }, options.now()),
    );
    return { ended: true };
  });
  return Promise.resolve();
}
