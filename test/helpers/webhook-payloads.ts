import { signWebhookBody } from '../../src/whatsapp/webhook/webhook-signature.js';

/** The app secret every test app is configured with. */
export const TEST_APP_SECRET = 'test_app_secret';
/** The business number the payloads are addressed to (metadata.phone_number_id). */
export const TEST_PHONE_NUMBER_ID = '106540352242922';
export const TEST_VERIFY_TOKEN = 'test-verify-token';

let counter = 0;

/** A unique WhatsApp message id. */
export function messageId(): string {
  return `wamid.TEST.${Date.now().toString(36)}.${++counter}`;
}

/** One incoming message as it sits in `value.messages[]`. */
export function textMessage(from: string, body: string, id = messageId()): Record<string, unknown> {
  return { from, id, timestamp: String(Math.floor(Date.now() / 1000)), type: 'text', text: { body } };
}

/** A notification envelope with the given messages (and statuses) in one change. */
export function notification(
  messages: Record<string, unknown>[],
  options: {
    statuses?: Record<string, unknown>[];
    name?: string;
    phoneNumberId?: string;
    /** The senders' profiles, when not the first sender's number and `name`. */
    contacts?: Record<string, unknown>[];
  } = {},
): Record<string, unknown> {
  const from = messages[0]?.from;
  return {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: '102290129340398',
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: {
                display_phone_number: '15550783881',
                phone_number_id: options.phoneNumberId ?? TEST_PHONE_NUMBER_ID,
              },
              ...(typeof from === 'string' && {
                contacts: [{ profile: { name: options.name ?? 'Ana' }, wa_id: from }],
              }),
              ...(options.contacts && { contacts: options.contacts }),
              ...(messages.length > 0 && { messages }),
              ...(options.statuses && { statuses: options.statuses }),
            },
          },
        ],
      },
    ],
  };
}

/** Headers and body of a delivery signed like Meta signs it. */
export function signed(
  payload: unknown,
  secret = TEST_APP_SECRET,
): { headers: Record<string, string>; payload: string } {
  const body = typeof payload === 'string' ? payload : JSON.stringify(payload);
  return {
    headers: { 'content-type': 'application/json', 'x-hub-signature-256': signWebhookBody(body, secret) },
    payload: body,
  };
}
