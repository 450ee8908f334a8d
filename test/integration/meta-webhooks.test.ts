import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { FakeGraphApi } from '../fakes/fake-graph-api.js';
import { META_WEBHOOKS } from '../fixtures/meta-webhooks.js';
import { cloudConfig, eventually, startApp } from '../helpers/test-app.js';
import { signed } from '../helpers/webhook-payloads.js';

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
