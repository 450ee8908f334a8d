import { createHmac, timingSafeEqual } from 'node:crypto';

const PREFIX = 'sha256=';

/** The X-Hub-Signature-256 value Meta sends for `body`: HMAC-SHA256 with the app secret, lowercase hex. */
export function signWebhookBody(body: Buffer | string, appSecret: string): string {
  return PREFIX + createHmac('sha256', appSecret).update(body).digest('hex');
}

/**
 * Checks X-Hub-Signature-256 over the raw body bytes, in constant time. Meta signs the bytes it sent (with
 * escaped unicode and slashes), so the body must never be re-serialised before this check. With several Meta
 * apps (lines of different apps), a signature by any of their secrets is valid; every secret is compared, so
 * the time taken says nothing of which one matched.
 */
export function checkWebhookSignature(
  rawBody: Buffer,
  header: string | undefined,
  appSecrets: string | readonly string[],
): 'valid' | 'missing' | 'invalid' {
  if (header === undefined || header === '') return 'missing';
  const given = Buffer.from(header.trim().toLowerCase());
  let valid = false;
  for (const secret of typeof appSecrets === 'string' ? [appSecrets] : appSecrets) {
    const expected = Buffer.from(signWebhookBody(rawBody, secret));
    if (given.length === expected.length && timingSafeEqual(given, expected)) valid = true;
  }
  return valid ? 'valid' : 'invalid';
}
