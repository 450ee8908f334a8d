import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeGraphApi } from '../fakes/fake-graph-api.js';
import { seedRoom, TestPeer } from '../helpers/signaling-client.js';
import { cloudConfig, eventually, startApp, testConfig } from '../helpers/test-app.js';
import { notification, signed, textMessage } from '../helpers/webhook-payloads.js';

/** The value of one series in Prometheus text format. */
function value(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('GET /metrics', () => {
  it('counts webhooks, messages, invitations, sends, rooms, sockets and call setups', async (t) => {
    const graph = await FakeGraphApi.start();
    t.after(() => graph.close());
    const app = await startApp(t, cloudConfig(graph.baseUrl));
    await app.listen({ port: 0, host: '127.0.0.1' });
    const delivery = signed(notification([textMessage('573001112233', 'videollamada +57 300 444 5566')]));
    await app.inject({ method: 'POST', url: '/webhook', ...delivery });
    await app.inject({ method: 'POST', url: '/webhook', ...delivery });
    await app.inject({
      method: 'POST',
      url: '/webhook',
      headers: { 'content-type': 'application/json' },
      payload: '{}',
    });
    await eventually(() => graph.sends.length >= 1);
    const { room, seatKeys } = await seedRoom(app);
    const peer = await TestPeer.connect(app, room.id, seatKeys[0]);
    await peer.next('joined');
    peer.send({ type: 'connected', setupMs: 420, path: 'relay' });
    peer.send({ type: 'ping' });
    await peer.next('pong');

    const text = await eventually(async () => {
      const body = (await app.inject({ url: '/metrics' })).body;
      return (
        value(body, 'wwb_outgoing_messages_total{line="main",kind="inviter-link",outcome="sent"}') === 1 &&
        body
      );
    });
    assert.equal(value(text, 'wwb_webhook_deliveries_total{outcome="accepted"}'), 2);
    assert.equal(value(text, 'wwb_webhook_deliveries_total{outcome="WEBHOOK_SIGNATURE_MISSING"}'), 1);
    assert.equal(value(text, 'wwb_webhook_messages_total{line="main",outcome="handled"}'), 1);
    assert.equal(value(text, 'wwb_webhook_messages_total{line="main",outcome="duplicate"}'), 1);
    assert.equal(value(text, 'wwb_invitations_total{line="main",route="forward_link"}'), 1);
    assert.equal(value(text, 'wwb_rooms_created_total{line="main"}'), 1);
    assert.equal(value(text, 'wwb_room_joins_total'), 1);
    assert.equal(value(text, 'wwb_signaling_sockets'), 1);
    assert.equal(value(text, 'wwb_calls_connected_total{path="relay"}'), 1);
    assert.equal(value(text, 'wwb_call_setup_seconds_bucket{le="0.5"}'), 1);
    assert.equal(value(text, 'wwb_call_setup_seconds_bucket{le="0.25"}'), 0);
    assert.match(text, /wwb_process_resident_memory_bytes/);
  });

  it('answers only to the bearer token when METRICS_TOKEN is set', async (t) => {
    const app = await startApp(t, testConfig({ METRICS_TOKEN: 'scrape-me' }));
    const refused = await app.inject({ url: '/metrics', headers: { authorization: 'Bearer nope' } });
    assert.equal(refused.statusCode, 401);
    assert.equal(refused.json().code, 'METRICS_UNAUTHORIZED');
    const allowed = await app.inject({ url: '/metrics', headers: { authorization: 'Bearer scrape-me' } });
    assert.equal(allowed.statusCode, 200);
    assert.match(allowed.body, /# TYPE wwb_webhook_deliveries_total counter/);
  });
});
