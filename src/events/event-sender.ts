import { Webhook } from 'standardwebhooks';
import type { EventEndpoint } from '../config-events.js';
import { SendError, type SendRequest, type WhatsAppClient } from '../whatsapp/outbox/whatsapp-client.js';

const TIMEOUT_MS = 10_000;

/**
 * Sends stored events to one endpoint, signed the Standard Webhooks way (`webhook-id`, `webhook-timestamp`,
 * `webhook-signature`: HMAC-SHA256 over id.timestamp.body), by the outbox worker of its own "line". Network
 * errors, 429 and 5xx are tried again; any other answer but 2xx is final. The id is the stored event's, the
 * same on every attempt, so that receivers drop what they have seen.
 */
export class EventSender implements WhatsAppClient {
  readonly #webhook: Webhook;

  constructor(
    private readonly endpoint: EventEndpoint,
    private readonly now: () => number = Date.now,
  ) {
    this.#webhook = new Webhook(endpoint.secret);
  }

  async send(request: SendRequest): Promise<{ wamid: string }> {
    const id = request.correlationId;
    const body = JSON.stringify((request.content as { event?: unknown }).event);
    const at = new Date(this.now());
    let response: Response;
    try {
      response = await fetch(this.endpoint.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'webhook-id': id,
          'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
          'webhook-signature': this.#webhook.sign(id, at, body),
        },
        body,
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      await response.arrayBuffer();
    } catch (error) {
      const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      throw new SendError(`event endpoint ${this.endpoint.id} unreachable (${reason})`, { kind: 'network' });
    }
    if (response.status >= 200 && response.status < 300) return { wamid: id };
    throw new SendError(`event endpoint ${this.endpoint.id} answered HTTP ${response.status}`, {
      kind: 'api',
      httpStatus: response.status,
    });
  }
}
