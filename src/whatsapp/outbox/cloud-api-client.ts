import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { z } from 'zod';
import { recipientField, SendError, type SendRequest, type WhatsAppClient } from './whatsapp-client.js';

const successSchema = z.object({ messages: z.array(z.object({ id: z.string().min(1) })).min(1) });
const errorSchema = z.object({
  error: z.object({
    code: z.number().optional(),
    message: z.string().optional(),
    fbtrace_id: z.string().optional(),
  }),
});

/** Where and as whom the bot sends. */
export interface CloudApiSettings {
  readonly graphApiBaseUrl: string;
  readonly graphApiVersion: string;
  readonly phoneNumberId: string;
  readonly token: string;
  readonly timeoutMs: number;
  /** Connections to the Graph API at most: as many as the outbox worker has sends under way. */
  readonly maxConnections: number;
}

/**
 * WhatsAppClient over the Cloud API's POST /{version}/{phone-number-id}/messages. Plain node:http(s) with
 * kept-alive connections rather than fetch: under load fetch's streams and signals cost several times the CPU
 * and garbage of the send itself, and that garbage, alive for a Graph API round trip, made the young-generation
 * collections that paused webhook answers.
 */
export class CloudApiClient implements WhatsAppClient {
  readonly #url: URL;
  readonly #agent: HttpAgent;
  readonly #request: typeof httpRequest;
  readonly #headers: Record<string, string>;

  constructor(private readonly settings: CloudApiSettings) {
    this.#url = new URL(
      `${settings.graphApiBaseUrl}/${settings.graphApiVersion}/${settings.phoneNumberId}/messages`,
    );
    const secure = this.#url.protocol === 'https:';
    const agentOptions = { keepAlive: true, maxSockets: settings.maxConnections };
    this.#agent = secure ? new HttpsAgent(agentOptions) : new HttpAgent(agentOptions);
    this.#request = secure ? httpsRequest : httpRequest;
    this.#headers = {
      authorization: `Bearer ${settings.token}`,
      'content-type': 'application/json',
    };
  }

  /** Lets the kept-alive connections go. */
  close(): void {
    this.#agent.destroy();
  }

  /** POSTs `body`; resolves with the status and text of the answer, or rejects on a network error or timeout. */
  #post(body: string): Promise<{ status: number; text: string }> {
    return new Promise((resolve, reject) => {
      const request = this.#request(
        this.#url,
        {
          method: 'POST',
          agent: this.#agent,
          headers: { ...this.#headers, 'content-length': Buffer.byteLength(body) },
        },
        (response: IncomingMessage) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('error', reject);
          response.on('end', () => {
            clearTimeout(timer);
            resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') });
          });
        },
      );
      const timer = setTimeout(() => {
        const timeout = new Error(`no answer within ${this.settings.timeoutMs} ms`);
        timeout.name = 'TimeoutError';
        request.destroy(timeout);
      }, this.settings.timeoutMs);
      request.on('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      request.end(body);
    });
  }

  async markReadTyping(messageId: string): Promise<void> {
    const body = {
      messaging_product: 'whatsapp',
      status: 'read',
      message_id: messageId,
      typing_indicator: { type: 'text' },
    };
    const response = await this.#post(JSON.stringify(body));
    if (response.status < 200 || response.status >= 300) {
      const failed = errorSchema.safeParse(parseJson(response.text));
      throw new SendError(failed.data?.error.message ?? `Graph API answered HTTP ${response.status}`, {
        kind: 'api',
        code: failed.data?.error.code,
        httpStatus: response.status,
      });
    }
  }

  async send(request: SendRequest): Promise<{ wamid: string }> {
    const body = {
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      ...recipientField(request.to),
      ...request.content,
      biz_opaque_callback_data: request.correlationId,
    };
    let response: { status: number; text: string };
    try {
      response = await this.#post(JSON.stringify(body));
    } catch (error) {
      const reason = error instanceof Error ? error.name + ': ' + error.message : String(error);
      throw new SendError(`Graph API unreachable (${reason})`, { kind: 'network' });
    }

    const json = parseJson(response.text);
    if (response.status >= 200 && response.status < 300) {
      const ok = successSchema.safeParse(json);
      if (ok.success) return { wamid: ok.data.messages[0]!.id };
    }
    const failed = errorSchema.safeParse(json);
    const error = failed.success ? failed.data.error : undefined;
    throw new SendError(error?.message ?? `Graph API answered HTTP ${response.status}`, {
      kind: 'api',
      code: error?.code,
      httpStatus: response.status,
      fbtraceId: error?.fbtrace_id,
    });
  }
}

/** The Graph API's answer as JSON, or undefined when it is not (a proxy's HTML error page). */
function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
