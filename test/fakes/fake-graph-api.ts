import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout } from 'node:timers/promises';
import { signWebhookBody } from '../../src/whatsapp/webhook/webhook-signature.js';

/** A request the fake received. */
export interface RecordedSend {
  readonly path: string;
  readonly authorization: string | undefined;
  readonly body: Record<string, unknown> & { to?: string; recipient?: string; type?: string };
}

/**
 * How the fake answers one send: like Meta, with a status and a JSON body; by never answering; or by accepting
 * it (200 and a wamid) and then reporting it `failed` with `failWith` in a status webhook, as Meta does for
 * 131047 and 131026.
 */
export type ScriptedAnswer =
  | { readonly status: number; readonly body: unknown; readonly delayMs?: number }
  | { readonly hang: true }
  | { readonly failWith: number };

/** Meta's error body for a code, as the Graph API sends it. */
export function graphError(code: number, message = `(#${code}) error`, httpStatus = 400): ScriptedAnswer {
  return {
    status: httpStatus,
    body: { error: { message, type: 'OAuthException', code, fbtrace_id: `trace-${code}` } },
  };
}

/**
 * A Graph API server on a free loopback port that answers POST /{version}/{phone-number-id}/messages like
 * Meta. By default every send succeeds with a fresh wamid; `script(to, ...answers)` queues other answers for
 * one recipient, used in order.
 */
export class FakeGraphApi {
  /** Calling actions (POST …/calls), answered or refused. */
  readonly callActions: RecordedSend[] = [];
  readonly sends: RecordedSend[] = [];
  /** The sends answered with success (200 and a wamid). */
  readonly accepted: RecordedSend[] = [];
  /** Requests that marked a received message read (with the typing indicator), once answered. */
  readonly readReceipts: Record<string, unknown>[] = [];
  readonly #scripts = new Map<string, ScriptedAnswer[]>();
  readonly #server: Server;
  readonly #hanging = new Set<() => void>();
  readonly #reports = new Set<Promise<void>>();
  #wamid = 0;
  #statusWebhook: { url: string; appSecret: string; copies: number } | undefined;
  #outageUntilMs = 0;
  #closing = false;

  private constructor(private readonly options: { readonly delayMs?: number }) {
    this.#server = createServer((request, response) => {
      void this.#handle(request).then(({ status, body }) => {
        response.writeHead(status, { 'content-type': 'application/json' });
        response.end(JSON.stringify(body));
      });
    });
  }

  /** `delayMs`: how long every default (successful) answer takes, like a real Graph API round trip. */
  static async start(options: { delayMs?: number } = {}): Promise<FakeGraphApi> {
    const fake = new FakeGraphApi(options);
    fake.#server.listen(0, '127.0.0.1');
    await once(fake.#server, 'listening');
    return fake;
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  script(to: string, ...answers: ScriptedAnswer[]): void {
    this.#scripts.set(to, [...(this.#scripts.get(to) ?? []), ...answers]);
  }

  /** Sends to one recipient, in order. */
  sendsTo(to: string): RecordedSend[] {
    return this.sends.filter((send) => (send.body.to ?? send.body.recipient) === to);
  }

  /**
   * From now on, reports on every accepted send with signed status webhooks to `url`, like Meta: `sent`, or
   * `failed` for scripted failures; `copies` > 1 repeats each report, out of order with a `delivered`.
   */
  reportStatusesTo(url: string, appSecret: string, copies = 1): void {
    this.#statusWebhook = { url, appSecret, copies };
  }

  /** Resolves when every status webhook posted so far was answered. */
  async statusesDelivered(): Promise<void> {
    while (this.#reports.size > 0) await Promise.all(this.#reports);
  }

  /** Until `untilMs`, answers every send with a 500 or a 429 throughput error (130429), alternately. */
  outage(untilMs: number): void {
    this.#outageUntilMs = untilMs;
  }

  /** Lets every send that was scripted to hang answer (with a 504). */
  releaseHanging(): void {
    for (const release of this.#hanging) release();
    this.#hanging.clear();
  }

  async close(): Promise<void> {
    this.releaseHanging();
    // Reports still retrying would wait for a service that is gone: stop them.
    this.#closing = true;
    await this.statusesDelivered();
    this.#server.closeAllConnections();
    this.#server.close();
    await once(this.#server, 'close');
  }

  async #handle(request: IncomingMessage): Promise<{ status: number; body: unknown }> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as RecordedSend['body'] & {
      biz_opaque_callback_data?: string;
    };
    const record: RecordedSend = {
      path: request.url ?? '',
      authorization: request.headers.authorization,
      body,
    };
    if (record.path.endsWith('/calls')) return this.#callAction(record);
    if ((body as { status?: unknown }).status === 'read') {
      // Mark read (and typing): not a message, so neither a send nor a status webhook. Recorded once answered.
      if (this.options.delayMs) await setTimeout(this.options.delayMs);
      this.readReceipts.push(body);
      return { status: 200, body: { success: true } };
    }
    this.sends.push(record);
    const to = body.to ?? body.recipient ?? '';
    const problem = templateProblem(body);
    if (problem !== undefined)
      return { status: 400, body: { error: { message: problem, type: 'OAuthException', code: 131009 } } };
    if (Date.now() < this.#outageUntilMs) {
      return this.sends.length % 2 === 0
        ? { status: 500, body: { error: { message: 'Internal error', code: 2 } } }
        : { status: 429, body: { error: { message: '(#130429) Rate limit hit', code: 130429 } } };
    }
    const answer = this.#scripts.get(to)?.shift();
    const failWith = answer !== undefined && 'failWith' in answer ? answer.failWith : undefined;
    if (answer !== undefined && 'hang' in answer) {
      await new Promise<void>((resolve) => this.#hanging.add(resolve));
      return { status: 504, body: {} };
    }
    if (answer !== undefined && 'status' in answer) {
      if (answer.delayMs) await setTimeout(answer.delayMs);
      return { status: answer.status, body: answer.body };
    }
    if (this.options.delayMs) await setTimeout(this.options.delayMs);
    const wamid = `wamid.fake.${++this.#wamid}`;
    this.accepted.push(record);
    this.#report(wamid, to, body.biz_opaque_callback_data, failWith);
    return {
      status: 200,
      body: {
        messaging_product: 'whatsapp',
        contacts: [{ input: to, wa_id: to }],
        messages: [{ id: wamid, message_status: 'accepted' }],
      },
    };
  }

  /**
   * A calling action, checked as Meta checks it (its documented errors): an answer needs exactly one sha-256
   * fingerprint, the active DTLS role, Opus and at least one candidate; `accept` carries the same SDP as
   * `pre_accept`.
   */
  #callAction(record: RecordedSend): { status: number; body: unknown } {
    this.callActions.push(record);
    const body = record.body as {
      action?: string;
      call_id?: string;
      session?: { sdp_type?: string; sdp?: string };
    };
    const refuse = (message: string) => ({ status: 400, body: { error: { message, code: 100 } } });
    if (typeof body.call_id !== 'string') return refuse('call_id is required');
    if (body.action === 'pre_accept' || body.action === 'accept') {
      const sdp = body.session?.sdp ?? '';
      if (body.session?.sdp_type !== 'answer') return refuse('session.sdp_type must be answer');
      const fingerprints = sdp.match(/^a=fingerprint:(\S+) /gm) ?? [];
      if (fingerprints.length !== 1 || !fingerprints[0]?.includes('sha-256'))
        return refuse('Fingerprint algo is not SHA256');
      if (!/^a=setup:active\r?$/m.test(sdp)) return refuse('DTLS role must be active');
      if (!/^a=rtpmap:\d+ opus\/48000\/2\r?$/m.test(sdp)) return refuse('Opus is required');
      if (!/^a=candidate:/m.test(sdp)) return refuse('No ICE candidates in the SDP');
      const earlier = this.callActions.find(
        (other) =>
          other !== record &&
          (other.body as typeof body).call_id === body.call_id &&
          (other.body as typeof body).action === 'pre_accept',
      );
      if (
        body.action === 'accept' &&
        earlier !== undefined &&
        (earlier.body as typeof body).session?.sdp !== sdp
      )
        return refuse('accept must carry the pre_accept SDP');
    } else if (body.action !== 'reject' && body.action !== 'terminate') {
      return refuse(`unknown action ${String(body.action)}`);
    }
    return { status: 200, body: { messaging_product: 'whatsapp', success: true } };
  }

  #report(wamid: string, to: string, correlationId: string | undefined, failWith: number | undefined): void {
    const target = this.#statusWebhook;
    if (target === undefined) return;
    const status = (name: string, extra: object = {}) => ({
      id: wamid,
      status: name,
      timestamp: String(Math.floor(Date.now() / 1000)),
      // Meta names a user-id recipient in recipient_user_id, and leaves recipient_id out.
      ...(/^\d+$/.test(to) ? { recipient_id: to } : { recipient_user_id: to }),
      ...(correlationId !== undefined && { biz_opaque_callback_data: correlationId }),
      ...extra,
    });
    const final =
      failWith === undefined
        ? status('sent')
        : status('failed', {
            errors: [{ code: failWith, title: `error ${failWith}`, error_data: { details: 'x' } }],
          });
    // Duplicates arrive out of order: the final report, a late `delivered`, then the final one again.
    const statuses =
      target.copies > 1 ? [final, status('delivered'), ...Array(target.copies - 1).fill(final)] : [final];
    const body = JSON.stringify({
      object: 'whatsapp_business_account',
      entry: [
        { id: 'waba', changes: [{ field: 'messages', value: { messaging_product: 'whatsapp', statuses } }] },
      ],
    });
    // Like Meta, a report that is not answered 200 is delivered again later.
    const deliver = async (): Promise<void> => {
      for (let attempt = 0; attempt < 200 && !this.#closing; attempt++) {
        await setTimeout(attempt === 0 ? 10 : 100);
        const ok = await fetch(target.url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'x-hub-signature-256': signWebhookBody(body, target.appSecret),
          },
          body,
        }).then(
          async (response) => {
            await response.arrayBuffer();
            return response.ok;
          },
          () => false,
        );
        if (ok) return;
      }
    };
    const report: Promise<void> = deliver().finally(() => this.#reports.delete(report));
    this.#reports.add(report);
  }
}

/**
 * What Meta refuses in a template's voice-call button (131009, parameter value not valid): only `ttl_minutes`
 * (1 to 43,200) and `payload` (at most 512 characters) parameters.
 */
function templateProblem(body: Record<string, unknown>): string | undefined {
  if (body.type !== 'template') return undefined;
  const components =
    (body.template as { components?: Record<string, unknown>[] } | undefined)?.components ?? [];
  for (const component of components.filter((c) => c.sub_type === 'voice_call')) {
    for (const parameter of (component.parameters ?? []) as Record<string, unknown>[]) {
      if (parameter.type === 'ttl_minutes') {
        const minutes = parameter.ttl_minutes;
        if (!Number.isInteger(minutes) || (minutes as number) < 1 || (minutes as number) > 43_200)
          return 'ttl_minutes must be an integer from 1 to 43200';
      } else if (parameter.type === 'payload') {
        if (typeof parameter.payload !== 'string' || parameter.payload.length > 512)
          return 'payload must be a string of at most 512 characters';
      } else {
        return `voice_call button parameter type ${String(parameter.type)} is not valid`;
      }
    }
  }
  return undefined;
}
