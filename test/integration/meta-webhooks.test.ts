import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { FakeGraphApi } from '../fakes/fake-graph-api.js';
import { META_WEBHOOKS } from '../fixtures/meta-webhooks.js';
import { cloudConfig, eventually, startApp } from '../helpers/test-app.js';
import { notification, signed, textMessage } from '../helpers/webhook-payloads.js';

const ANA = '573001112233';

// Every body of the collection through POST /webhook, as Meta delivers it: answered 200, read as the expected
// number of messages and statuses, and answered with exactly the expected sends (none for what asks for nothing).

let graph: FakeGraphApi;
before(async () => {
  graph = await FakeGraphApi.start();
});
after(() => graph.close());

describe(`the webhook bodies Meta documents (${META_WEBHOOKS.length})`, () => {
  for (const fixture of META_WEBHOOKS) {
    it(fixture.name, async (t) => {
      const app = await startApp(t, cloudConfig(graph.baseUrl));
      const before = graph.sends.length;
      const response = await app.inject({ method: 'POST', url: '/webhook', ...signed(fixture.body) });
      assert.equal(response.statusCode, 200, response.body);
      const answer = response.json<{ received: number; statuses: number }>();
      assert.equal(answer.received, fixture.expected.received, 'messages read');
      assert.equal(answer.statuses, fixture.expected.statuses, 'statuses read');
      await eventually(() => graph.sends.length - before >= fixture.expected.sends, { what: 'the sends' });
      await app.outboxWorker.stop();
      assert.equal(graph.sends.length - before, fixture.expected.sends, 'sends');
      assert.equal(await app.storage.outbox.nextDueAtMs(), undefined, 'nothing left to send');
    });
  }
});

describe('what is acknowledged but never answered, and counted', () => {
  it('never answers a message for another business number of the app, and counts it', async (t) => {
    const app = await startApp(t, cloudConfig(graph.baseUrl));
    const payload = notification([textMessage(ANA, 'videollamada +57 300 444 5566')]);
    const change = (payload.entry as { changes: { value: { metadata: Record<string, string> } }[] }[])[0]
      ?.changes[0];
    if (change === undefined) throw new Error('the notification has one change');
    // The app's free test number, beside ours.
    change.value.metadata = { display_phone_number: '15550009999', phone_number_id: '999000111222333' };
    const sendsBefore = graph.sends.length;
    const response = await app.inject({ method: 'POST', url: '/webhook', ...signed(payload) });
    assert.equal(response.statusCode, 200);
    assert.deepEqual(response.json(), { received: 0, handled: 0, duplicates: 0, statuses: 0 });
    await app.outboxWorker.stop();
    assert.equal(graph.sends.length, sendsBefore);
    assert.equal(await app.storage.outbox.nextDueAtMs(), undefined, 'nothing waits to be sent either');
    const metrics = await app.inject({ url: '/metrics' });
    assert.match(metrics.body, /wwb_webhook_messages_total\{outcome="other_number"\} 1/);
  });

  it('logs and counts the errors Meta reports outside a status, and answers 200', async (t) => {
    const app = await startApp(t, cloudConfig(graph.baseUrl));
    const payload = notification([]);
    const change = (payload.entry as { changes: { value: Record<string, unknown> }[] }[])[0]?.changes[0];
    if (change === undefined) throw new Error('the notification has one change');
    change.value.errors = [{ code: 131000, title: 'Something went wrong' }];
    const response = await app.inject({ method: 'POST', url: '/webhook', ...signed(payload) });
    assert.equal(response.statusCode, 200);
    const metrics = await app.inject({ url: '/metrics' });
    assert.match(metrics.body, /wwb_webhook_errors_total\{code="131000"\} 1/);
  });
});

describe('read ticks and "typing…" for the messages the bot answers', () => {
  it('marks each answered message read with the typing indicator before its answer leaves, once', async (t) => {
    // Meta answers after 100 ms here: a reply sent without waiting for the mark would arrive first.
    const slow = await FakeGraphApi.start({ delayMs: 100 });
    t.after(() => slow.close());
    const app = await startApp(t, cloudConfig(slow.baseUrl));
    const question = textMessage(ANA, 'ayuda');
    const delivery = signed(notification([question]));
    await app.inject({ method: 'POST', url: '/webhook', ...delivery });
    await eventually(() => slow.sends.length >= 1, { what: 'the reply' });
    assert.deepEqual(slow.readReceipts, [
      {
        messaging_product: 'whatsapp',
        status: 'read',
        message_id: question.id,
        typing_indicator: { type: 'text' },
      },
    ]);
    // The same delivery again, and a reaction (no answer): nothing more to mark. A call request: one mark,
    // though the inviter gets two messages.
    await app.inject({ method: 'POST', url: '/webhook', ...delivery });
    const reaction = {
      ...textMessage(ANA, ''),
      type: 'reaction',
      reaction: { message_id: 'x', emoji: '👍' },
    };
    await app.inject({ method: 'POST', url: '/webhook', ...signed(notification([reaction])) });
    const call = textMessage(ANA, 'videollamada +57 300 444 5566');
    await app.inject({ method: 'POST', url: '/webhook', ...signed(notification([call])) });
    await eventually(() => slow.sends.length >= 3, { what: 'the call’s two messages' });
    await app.outboxWorker.stop();
    assert.deepEqual(
      slow.readReceipts.map((receipt) => receipt.message_id),
      [question.id, call.id],
    );
  });
});
