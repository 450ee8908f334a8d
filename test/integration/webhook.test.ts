import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { createStorage } from '../../src/storage/storage.js';
import { FakeGraphApi } from '../fakes/fake-graph-api.js';
import { cloudConfig, eventually, startApp } from '../helpers/test-app.js';
import {
  messageId,
  notification,
  signed,
  TEST_VERIFY_TOKEN,
  textMessage,
} from '../helpers/webhook-payloads.js';

const ANA = '573001112233';
const LUIS = '573004445566';

/** Luis wrote to the bot a minute ago: his 24-hour window is open, so he can get his link. */
async function luisWroteRecently(app: FastifyInstance): Promise<void> {
  const atMs = Date.now() - 60_000;
  await app.storage.ledger.commit(
    `window-${atMs}`,
    { rooms: [], messages: [], inbound: { person: LUIS, line: 'main', atMs } },
    atMs,
  );
}

let graph: FakeGraphApi;
before(async () => {
  graph = await FakeGraphApi.start();
});
after(() => graph.close());
beforeEach(() => {
  graph.sends.length = 0;
});

describe('GET /webhook (verification handshake)', () => {
  it('echoes hub.challenge as plain text for the right verify token', async (t) => {
    const app = await startApp(t, cloudConfig(graph.baseUrl));
    const response = await app.inject({
      url: `/webhook?hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=${TEST_VERIFY_TOKEN}`,
    });
    assert.equal(response.statusCode, 200);
    assert.match(String(response.headers['content-type']), /^text\/plain/);
    assert.equal(response.body, '1158201444');
  });

  it('answers 403 with a code for a wrong token, a wrong mode or missing parameters', async (t) => {
    const app = await startApp(t, cloudConfig(graph.baseUrl));
    for (const query of [
      'hub.mode=subscribe&hub.challenge=1&hub.verify_token=wrong',
      `hub.mode=unsubscribe&hub.challenge=1&hub.verify_token=${TEST_VERIFY_TOKEN}`,
      '',
    ]) {
      const response = await app.inject({ url: `/webhook?${query}` });
      assert.equal(response.statusCode, 403, query);
      assert.equal(response.json().code, 'WEBHOOK_VERIFICATION_FAILED');
    }
  });
});

describe('POST /webhook', () => {
  it('answers 200 and sends both links through the Graph API', async (t) => {
    const app = await startApp(t, cloudConfig(graph.baseUrl));
    await luisWroteRecently(app);
    const response = await app.inject({
      method: 'POST',
      url: '/webhook',
      ...signed(notification([textMessage(ANA, 'videollamada +57 300 444 5566')])),
    });
    assert.equal(response.statusCode, 200);
    assert.deepEqual(response.json(), { received: 1, handled: 1, duplicates: 0, statuses: 0 });
    await eventually(() => graph.sends.length === 2, { what: 'two sends' });
    assert.equal(graph.sendsTo(ANA).length, 1);
    assert.equal(graph.sendsTo(LUIS).length, 1);
    const inviteeText = (graph.sendsTo(LUIS)[0]?.body.text as { body: string }).body;
    assert.match(inviteeText, /^Ana \(\+57 300 1112233\) te invita a una videollamada/);
    assert.match(inviteeText, /http:\/\/127\.0\.0\.1:8000\/room\/[\w-]{22}#k=[\w-]{22}/);
  });

  it('accepts the escaped bytes Meta signs (accents, ¡, https:\\/\\/)', async (t) => {
    const app = await startApp(t, cloudConfig(graph.baseUrl));
    await luisWroteRecently(app);
    const id = messageId();
    const raw = JSON.stringify(
      notification([textMessage(ANA, 'videollamada +573004445566 ¡gracias! https://x.co', id)], {
        name: 'José',
      }),
    )
      .replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
      .replaceAll('/', '\\/');
    assert.ok(raw.includes('\\u00e9') && raw.includes('\\/'));
    const response = await app.inject({ method: 'POST', url: '/webhook', ...signed(raw) });
    assert.equal(response.statusCode, 200);
    await eventually(() => graph.sendsTo(LUIS).length === 1);
    assert.match((graph.sendsTo(LUIS)[0]?.body.text as { body: string }).body, /^José/);
  });

  it('rejects a delivery without a signature with 401 and sends nothing', async (t) => {
    const app = await startApp(t, cloudConfig(graph.baseUrl));
    const { payload } = signed(notification([textMessage(ANA, 'videollamada +573004445566')]));
    const response = await app.inject({
      method: 'POST',
      url: '/webhook',
      headers: { 'content-type': 'application/json' },
      payload,
    });
    assert.equal(response.statusCode, 401);
    assert.equal(response.json().code, 'WEBHOOK_SIGNATURE_MISSING');
    await app.outboxWorker.stop();
    assert.equal(graph.sends.length, 0);
  });

  it('rejects a tampered body or a signature made with another secret', async (t) => {
    const app = await startApp(t, cloudConfig(graph.baseUrl));
    const good = signed(notification([textMessage(ANA, 'videollamada +573004445566')]));
    const tampered = await app.inject({
      method: 'POST',
      url: '/webhook',
      headers: good.headers,
      payload: good.payload.replace('4445566', '4445567'),
    });
    const otherSecret = await app.inject({
      method: 'POST',
      url: '/webhook',
      ...signed(notification([textMessage(ANA, 'videollamada +573004445566')]), 'another_secret'),
    });
    for (const response of [tampered, otherSecret]) {
      assert.equal(response.statusCode, 401);
      assert.equal(response.json().code, 'WEBHOOK_SIGNATURE_INVALID');
    }
  });

  it('answers a signed body that is not a notification with a coded 400', async (t) => {
    const app = await startApp(t, cloudConfig(graph.baseUrl));
    for (const body of ['{"object":', '{"object":"page","entry":[]}', '[]']) {
      const response = await app.inject({ method: 'POST', url: '/webhook', ...signed(body) });
      assert.equal(response.statusCode, 400, body);
      assert.equal(response.json().code, 'WEBHOOK_PAYLOAD_INVALID');
    }
  });

  it('answers an oversized body with 413 and a code', async (t) => {
    const app = await startApp(t, cloudConfig(graph.baseUrl));
    const response = await app.inject({ method: 'POST', url: '/webhook', ...signed('x'.repeat(1_100_000)) });
    assert.equal(response.statusCode, 413);
    assert.equal(response.json().code, 'PAYLOAD_TOO_LARGE');
  });

  it('handles the same delivery twice as one: one room, one set of messages', async (t) => {
    const app = await startApp(t, cloudConfig(graph.baseUrl));
    await luisWroteRecently(app);
    const delivery = signed(notification([textMessage(ANA, 'videollamada +573004445566')]));
    const first = await app.inject({ method: 'POST', url: '/webhook', ...delivery });
    const second = await app.inject({ method: 'POST', url: '/webhook', ...delivery });
    assert.equal(first.json().handled, 1);
    assert.deepEqual(second.json(), { received: 1, handled: 0, duplicates: 1, statuses: 0 });
    await eventually(() => graph.sends.length >= 2);
    await app.outboxWorker.stop();
    assert.equal(graph.sends.length, 2);
  });

  it('handles 30 identical deliveries arriving at once as one', async (t) => {
    const app = await startApp(t, cloudConfig(graph.baseUrl));
    await luisWroteRecently(app);
    const delivery = signed(notification([textMessage(ANA, 'videollamada +573004445566')]));
    const responses = await Promise.all(
      Array.from({ length: 30 }, () => app.inject({ method: 'POST', url: '/webhook', ...delivery })),
    );
    assert.ok(responses.every((r) => r.statusCode === 200));
    assert.equal(
      responses.reduce((sum, r) => sum + r.json<{ handled: number }>().handled, 0),
      1,
    );
    await eventually(() => graph.sends.length >= 2);
    await app.outboxWorker.stop();
    assert.equal(graph.sends.length, 2);
  });

  it('does not forget handled messages across a restart', async (t) => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'wwb-restart-'));
    t.after(() => rmSync(dataDir, { recursive: true, force: true }));
    const config = cloudConfig(graph.baseUrl, { DATA_DIR: dataDir });
    const delivery = signed(notification([textMessage(ANA, 'videollamada +573004445566')]));

    const first = await startApp(t, config);
    await luisWroteRecently(first);
    assert.equal((await first.inject({ method: 'POST', url: '/webhook', ...delivery })).json().handled, 1);
    await eventually(() => graph.sends.length === 2);
    await first.close();

    const restarted = await startApp(t, config);
    assert.equal(
      (await restarted.inject({ method: 'POST', url: '/webhook', ...delivery })).json().duplicates,
      1,
    );
    await restarted.outboxWorker.stop();
    assert.equal(graph.sends.length, 2);
  });

  it('walks every entry and message of a batch, and ignores statuses for commands', async (t) => {
    const app = await startApp(t, cloudConfig(graph.baseUrl));
    await luisWroteRecently(app);
    const batch = notification(
      [textMessage(ANA, 'ayuda'), textMessage('573007778899', 'videollamada +573004445566')],
      {
        statuses: [{ id: 'wamid.OUT', status: 'delivered', recipient_id: LUIS, timestamp: '1' }],
      },
    );
    // A second entry in the same delivery.
    (batch.entry as unknown[]).push(
      ...(notification([textMessage('16505551234', 'help')]).entry as unknown[]),
    );
    const response = await app.inject({ method: 'POST', url: '/webhook', ...signed(batch) });
    assert.deepEqual(response.json(), { received: 3, handled: 3, duplicates: 0, statuses: 1 });
    await eventually(() => graph.sends.length === 4, { what: 'help, help, and two links' });
    assert.match((graph.sendsTo('16505551234')[0]?.body.text as { body: string }).body, /^Hi/);
  });

  it('handles a profile name holding a lone surrogate (legal JSON): the inviter gets a forward link that decodes', async (t) => {
    const app = await startApp(t, cloudConfig(graph.baseUrl));
    const raw = JSON.stringify(
      notification([textMessage(ANA, 'videollamada +573004445566')], { name: 'Ana \ud800\u0007' }),
    );
    assert.ok(raw.includes('\\ud800'));
    const response = await app.inject({ method: 'POST', url: '/webhook', ...signed(raw) });
    assert.equal(response.statusCode, 200);
    assert.equal(response.json().handled, 1);
    await eventually(() => graph.sendsTo(ANA).length === 2, {
      what: 'the inviter’s link and the one to forward',
    });
    const body = graph.sendsTo(ANA)[1]?.body as { text: { body: string } };
    const short = new URL(/http\S+\/i\/\S+$/.exec(body.text.body)?.[0] ?? 'http://missing/');
    const redirect = await app.inject({ url: short.pathname + short.search });
    const forward = new URL(String(redirect.headers.location));
    assert.match(forward.searchParams.get('text') ?? '', /^Ana \ufffd \(\+57 300 1112233\) te invita/);
  });

  it('records a message it cannot handle, answers 200 and counts it, so that Meta does not retry it for days', async (t) => {
    const storage = createStorage({ dataDir: ':memory:' });
    const app = await startApp(t, cloudConfig(graph.baseUrl), {
      storage: {
        ...storage,
        people: {
          get: () => Promise.reject(new RangeError('a bug in planning')),
          linked: () => Promise.resolve(undefined),
        },
      },
    });
    const delivery = signed(notification([textMessage(ANA, 'videollamada +573004445566')]));
    const first = await app.inject({ method: 'POST', url: '/webhook', ...delivery });
    assert.equal(first.statusCode, 200);
    assert.deepEqual(first.json(), { received: 1, handled: 0, duplicates: 0, statuses: 0 });
    const again = await app.inject({ method: 'POST', url: '/webhook', ...delivery });
    assert.equal(again.json().duplicates, 1);
    const metrics = await app.inject({ url: '/metrics' });
    assert.match(metrics.body, /wwb_webhook_messages_total\{line="main",outcome="unhandleable"\} 1/);
  });

  it('answers 500 while storage does not answer, so that Meta retries later', async (t) => {
    const storage = createStorage({ dataDir: ':memory:' });
    const down = () => Promise.reject(new Error('database unavailable'));
    const app = await startApp(t, cloudConfig(graph.baseUrl), {
      storage: { ...storage, ping: down, people: { get: down, linked: down } },
    });
    const response = await app.inject({
      method: 'POST',
      url: '/webhook',
      ...signed(notification([textMessage(ANA, 'videollamada +573004445566')])),
    });
    assert.equal(response.statusCode, 500);
    assert.equal(response.json().code, 'INTERNAL');
  });

  it('skips a malformed message, handles the rest, and still answers 200', async (t) => {
    const app = await startApp(t, cloudConfig(graph.baseUrl));
    const response = await app.inject({
      method: 'POST',
      url: '/webhook',
      ...signed(notification([{ from: ANA, type: 'text' }, textMessage(ANA, 'ayuda')])),
    });
    assert.equal(response.statusCode, 200);
    assert.equal(response.json().handled, 1);
  });

  it('answers before the Graph API does (the send happens after the answer)', async (t) => {
    const app = await startApp(t, cloudConfig(graph.baseUrl));
    await luisWroteRecently(app);
    graph.script(LUIS, { hang: true });
    const response = await app.inject({
      method: 'POST',
      url: '/webhook',
      ...signed(notification([textMessage(ANA, 'videollamada +573004445566')])),
    });
    assert.equal(response.statusCode, 200);
    await eventually(() => graph.sendsTo(LUIS).length === 1, { what: 'the hanging send to start' });
    graph.releaseHanging();
  });
});
