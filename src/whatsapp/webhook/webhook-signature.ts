import { createHmac, timingSafeEqual } from 'node:crypto';

const PREFIX = 'sha256=';

/** The X-Hub-Signature-256 value Meta sends for `body`: HMAC-SHA256 with the app secret, lowercase hex. */
export function signWebhookBody(body: Buffer | string, appSecret: string): string {
  return PREFIX + createHmac('sha256', appSecret).update(body).digest('hex');
}

/**
 * Checks X-Hub-Signature-256 over the raw body bytes, in constant time. Meta signs the bytes it sent (with
 * escaped unicode and slashes), so the body must never be re-serialised before this check.
 */
export function checkWebhookSignature(
  rawBody: Buffer,
  header: string | undefined,
  appSecret: string,
): 'valid' | 'missing' | 'invalid' {
  if (header === undefined || header === '') return 'missing';
  const expected = Buffer.from(signWebhookBody(rawBody, appSecret));
  const given = Buffer.from(header.trim().toLowerCase());
  return given.length === expected.length && timingSafeEqual(given, expected) ? 'valid' : 'invalid';
}
