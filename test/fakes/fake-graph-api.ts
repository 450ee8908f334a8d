import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request the fake received. */
export interface RecordedSend {
  readonly path: string;
  readonly authorization: string | undefined;
  readonly body: Record<string, unknown> & { to?: string; recipient?: string; type?: string };
}

/** How the fake answers one send: like Meta, with a status and a JSON body, or by never answering. */
export type ScriptedAnswer =
  { readonly status: number; readonly body: unknown; readonly delayMs?: number } | { readonly hang: true };

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
  readonly sends: RecordedSend[] = [];
  readonly #scripts = new Map<string, ScriptedAnswer[]>();
  readonly #server: Server;
  readonly #hanging = new Set<() => void>();
  #wamid = 0;

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

  /** Lets every send that was scripted to hang answer (with a 504). */
  releaseHanging(): void {
    for (const release of this.#hanging) release();
    this.#hanging.clear();
  }

  async close(): Promise<void> {
    this.releaseHanging();
    this.#server.closeAllConnections();
    this.#server.close();
    await once(this.#server, 'close');
  }

  async #handle(request: IncomingMessage): Promise<{ status: number; body: unknown }> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as RecordedSend['body'];
    this.sends.push({ path: request.url ?? '', authorization: request.headers.authorization, body });
    const to = body.to ?? body.recipient ?? '';
    const answer = this.#scripts.get(to)?.shift();
    if (answer !== undefined && 'hang' in answer) {
      await new Promise<void>((resolve) => this.#hanging.add(resolve));
      return { status: 504, body: {} };
    }
    if (answer !== undefined) {
      if (answer.delayMs) await new Promise((resolve) => setTimeout(resolve, answer.delayMs));
      return { status: answer.status, body: answer.body };
    }
    if (this.options.delayMs) await new Promise((resolve) => setTimeout(resolve, this.options.delayMs));
    const wamid = `wamid.fake.${++this.#wamid}`;
    return {
      status: 200,
      body: {
        messaging_product: 'whatsapp',
        contacts: [{ input: to, wa_id: to }],
        messages: [{ id: wamid, message_status: 'accepted' }],
      },
    };
  }
}
