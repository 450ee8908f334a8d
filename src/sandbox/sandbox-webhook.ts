import type { FastifyInstance } from 'fastify';
import { signWebhookBody } from '../whatsapp/webhook/webhook-signature.js';

/** Posts a notification to /webhook signed with the app secret, as Meta does: the same path as real traffic. */
export function deliverSigned(app: FastifyInstance, body: string, appSecret: string) {
  return app.inject({
    method: 'POST',
    url: '/webhook',
    headers: { 'content-type': 'application/json', 'x-hub-signature-256': signWebhookBody(body, appSecret) },
    payload: body,
  });
}
