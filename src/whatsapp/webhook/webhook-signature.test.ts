import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, it } from 'node:test';
import { checkWebhookSignature, signWebhookBody } from './webhook-signature.js';

const SECRET = 'test_app_secret';
// Meta escapes non-ASCII characters and slashes in the bytes it signs.
const ESCAPED_BODY = String.raw`{"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[{"value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550783881","phone_number_id":"106540352242922"},"contacts":[{"profile":{"name":"Jos\u00e9"},"wa_id":"573001112233"}],"messages":[{"from":"573001112233","id":"wamid.TEST2","timestamp":"1764547201","type":"text","text":{"body":"videollamada +573004445566 \u00a1gracias! https:\/\/x.co"}}]},"field":"messages"}]}]}`;
const PLAIN_BODY =
  '{"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[{"value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550783881","phone_number_id":"106540352242922"},"contacts":[{"profile":{"name":"Ana"},"wa_id":"573001112233","user_id":"CO.13491208655302741918"}],"messages":[{"from":"573001112233","from_user_id":"CO.13491208655302741918","id":"wamid.HBgMNTczMDAxMTEyMjMzFQIAEhggQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBAA==","timestamp":"1764547200","type":"text","text":{"body":"videollamada +573004445566"}}]},"field":"messages"}]}]}';

describe('webhook signature', () => {
  it('matches the published test vectors', () => {
    assert.equal(
      signWebhookBody(PLAIN_BODY, SECRET),
      'sha256=e5c0177c5af8362aaa2fadde45672b796483c568d20590adf71a7e3b0279d668',
    );
    assert.equal(
      signWebhookBody(ESCAPED_BODY, SECRET),
      'sha256=8ca2aa0691f86344068438fd2d2678f449787cf0e1dc1bd33b340e0e8e577312',
    );
  });

  it('is HMAC-SHA256 of the bytes with the app secret, in lowercase hex', () => {
    const expected = createHmac('sha256', SECRET).update(Buffer.from(ESCAPED_BODY)).digest('hex');
    assert.equal(signWebhookBody(Buffer.from(ESCAPED_BODY), SECRET), `sha256=${expected}`);
  });

  it('accepts the exact escaped bytes Meta sent', () => {
    const body = Buffer.from(ESCAPED_BODY);
    assert.equal(checkWebhookSignature(body, signWebhookBody(body, SECRET), SECRET), 'valid');
  });

  it('does not match once the body is parsed and re-serialised (the bug it guards against)', () => {
    const header = signWebhookBody(ESCAPED_BODY, SECRET);
    const reserialised = Buffer.from(JSON.stringify(JSON.parse(ESCAPED_BODY)));
    assert.equal(checkWebhookSignature(reserialised, header, SECRET), 'invalid');
  });

  it('treats a missing or empty header as missing, not as valid', () => {
    assert.equal(checkWebhookSignature(Buffer.from(PLAIN_BODY), undefined, SECRET), 'missing');
    assert.equal(checkWebhookSignature(Buffer.from(PLAIN_BODY), '', SECRET), 'missing');
  });

  it('rejects a tampered body, another secret, a truncated or differently prefixed signature', () => {
    const body = Buffer.from(PLAIN_BODY);
    const header = signWebhookBody(body, SECRET);
    assert.equal(
      checkWebhookSignature(Buffer.from(PLAIN_BODY.replace('4445566', '4445567')), header, SECRET),
      'invalid',
    );
    assert.equal(checkWebhookSignature(body, signWebhookBody(body, 'other'), SECRET), 'invalid');
    assert.equal(checkWebhookSignature(body, header.slice(0, -2), SECRET), 'invalid');
    assert.equal(checkWebhookSignature(body, header.replace('sha256=', 'sha1='), SECRET), 'invalid');
  });

  it('accepts the hex in upper case', () => {
    const body = Buffer.from(PLAIN_BODY);
    assert.equal(checkWebhookSignature(body, signWebhookBody(body, SECRET).toUpperCase(), SECRET), 'valid');
  });
});
