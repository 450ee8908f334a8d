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
}

/** WhatsAppClient over the Cloud API's POST /{version}/{phone-number-id}/messages. */
export class CloudApiClient implements WhatsAppClient {
  readonly #url: string;
  constructor(private readonly settings: CloudApiSettings) {
    this.#url = `${settings.graphApiBaseUrl}/${settings.graphApiVersion}/${settings.phoneNumberId}/messages`;
  }

  async send(request: SendRequest): Promise<{ wamid: string }> {
    const body = {
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      ...recipientField(request.to),
      ...request.content,
      biz_opaque_callback_data: request.correlationId,
    };
    let response: Response;
    let text: string;
    try {
      response = await fetch(this.#url, {
        method: 'POST',
        headers: { authorization: `Bearer ${this.settings.token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(this.settings.timeoutMs),
      });
      text = await response.text();
    } catch (error) {
      const reason = error instanceof Error ? error.name + ': ' + error.message : String(error);
      throw new SendError(`Graph API unreachable (${reason})`, { kind: 'network' });
    }

    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    if (response.ok) {
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
