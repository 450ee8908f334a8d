import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { FakeGraphApi, graphError } from '../../../test/fakes/fake-graph-api.js';
import { CloudApiClient } from './cloud-api-client.js';
import { SendError } from './whatsapp-client.js';

let graph: FakeGraphApi;
let client: CloudApiClient;
before(async () => {
  graph = await FakeGraphApi.start();
  client = new CloudApiClient({
    graphApiBaseUrl: graph.baseUrl,
    graphApiVersion: 'v25.0',
    phoneNumberId: '106540352242922',
    token: 'secret-token',
    timeoutMs: 300,
    maxConnections: 8,
  });
});
after(() => graph.close());

const content = { type: 'text', text: { body: 'hola', preview_url: true } };

async function failure(to: string): Promise<SendError> {
  const error = await client.send({ line: 'main', to, content, correlationId: 'c' }).then(
    () => undefined,
    (e: unknown) => e,
  );
  assert.ok(error instanceof SendError, `expected a SendError, got ${String(error)}`);
  return error;
}

describe('CloudApiClient', () => {
  it('posts the message to /{version}/{phone-number-id}/messages with the token and returns the wamid', async () => {
    const { wamid } = await client.send({
      line: 'main',
      to: '573004445566',
      content,
      correlationId: 'wamid.IN:invitee',
    });
    const sent = graph.sendsTo('573004445566').at(-1);
    assert.match(wamid, /^wamid\.fake\./);
    assert.equal(sent?.path, '/v25.0/106540352242922/messages');
    assert.equal(sent?.authorization, 'Bearer secret-token');
    assert.deepEqual(sent?.body, {
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: '573004445566',
      type: 'text',
      text: { body: 'hola', preview_url: true },
      biz_opaque_callback_data: 'wamid.IN:invitee',
    });
  });

  it('addresses people with a username by recipient instead of to', async () => {
    await client.send({ line: 'main', to: 'CO.1349', content, correlationId: 'c' });
    const sent = graph.sends.at(-1);
    assert.equal(sent?.body.recipient, 'CO.1349');
    assert.equal(sent?.body.to, undefined);
  });

  it('classifies by error code, not HTTP status: an expired token (190 on HTTP 400) is final', async () => {
    graph.script('10000000001', graphError(190, 'Error validating access token', 400));
    const error = await failure('10000000001');
    assert.equal(error.details.code, 190);
    assert.equal(error.details.httpStatus, 400);
    assert.equal(error.details.fbtraceId, 'trace-190');
    assert.equal(error.retryable, false);
  });

  it('retries rate limits and transient errors', async () => {
    for (const code of [4, 80007, 130429, 131000, 131016, 131056, 131057]) {
      graph.script('10000000002', graphError(code, 'limit', 400));
      assert.equal((await failure('10000000002')).retryable, true, `code ${code}`);
    }
  });

  it('does not retry permanent errors', async () => {
    for (const code of [100, 131026, 131030, 131047, 132001, 368]) {
      graph.script('10000000003', graphError(code));
      assert.equal((await failure('10000000003')).retryable, false, `code ${code}`);
    }
  });

  it('retries a 5xx without an error body, and network timeouts', async () => {
    graph.script('10000000004', { status: 502, body: 'bad gateway' });
    assert.equal((await failure('10000000004')).retryable, true);
    graph.script('10000000005', { hang: true });
    const timeout = await failure('10000000005');
    assert.equal(timeout.details.kind, 'network');
    assert.equal(timeout.retryable, true);
  });

  it('treats a refused connection as a network error', async () => {
    const closed = new CloudApiClient({
      graphApiBaseUrl: 'http://127.0.0.1:9',
      graphApiVersion: 'v25.0',
      phoneNumberId: '1',
      token: 't',
      timeoutMs: 300,
      maxConnections: 8,
    });
    const error = await closed
      .send({ line: 'main', to: '1', content, correlationId: 'c' })
      .catch((e: unknown) => e);
    assert.ok(error instanceof SendError && error.details.kind === 'network' && error.retryable);
  });
});
